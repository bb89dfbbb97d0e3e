"""``bench/requests.py`` runs end to end on the article's store (figures are not checked:
timings belong in the benchmark's results, never in a test)."""

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import requests  # noqa: E402

OXIGRAPH = Path(sys.executable).parent / "oxigraph"


@pytest.mark.slow
def test_the_benchmark_runs_on_the_article_store(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk (Debian package) is not installed")
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (dev extra) is not installed")
    args = ["--baseline", "", "--wrk-seconds", "1", "--starts", "1", "--heavy", "article"]
    args += ["--repeats", "1", "--load-seconds", "1", "--work", str(tmp_path / "work")]
    assert requests.main([*args, "--results", str(tmp_path / "results")]) == 0
    raw = json.loads((tmp_path / "results" / "requests.json").read_text())
    found = raw["stores"]["article"]
    assert found["servers"] == ["oxigraph", "rcsgraph"]
    for name in ("oxigraph", "rcsgraph", "rcsgraph cached"):
        assert found["lookups"][name]["requests"] > 0, name
    for label, per in found["pages"].items():
        assert per["rcsgraph cached"]["requests"] > 0, label
        assert per["rcsgraph cached"]["non_2xx"] == 0, label
    assert found["load"]["rcsgraph"]["requests"] > 0
    assert set(found["queries"]) <= set(requests.HEAVY)
    text = (tmp_path / "results" / "requests.md").read_text()
    assert "### Point lookups" in text and "### Cold start" in text


def test_a_measurement_waits_for_the_servers_to_be_idle() -> None:
    """A server still working (here a process that spins) holds the next measurement back,
    up to the limit; idle servers do not."""
    import subprocess

    from bench.servers import Server, wait_idle

    busy = Server("busy", [])
    busy.process = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    idle = Server("idle", [])
    idle.process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    try:
        assert wait_idle([idle, busy], most=1.0) >= 1.0
        assert wait_idle([idle], most=30.0) < 30.0
    finally:
        for server in (busy, idle):
            assert server.process is not None
            server.process.kill()
            server.process.wait()
