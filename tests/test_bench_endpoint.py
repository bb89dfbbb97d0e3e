"""``bench/endpoint.py`` runs end to end on a tiny generated graph (figures are not checked:
timings belong in the benchmark's results, never in a test)."""

import json
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import endpoint  # noqa: E402
from bench.throughput import parse  # noqa: E402

OXIGRAPH = Path(sys.executable).parent / "oxigraph"

WRK_REPORT = """Running 1s test @ http://127.0.0.1:1/sparql
  Latency Distribution
     50%    1.50ms
     99%   12.00ms
  2000 requests in 1.00s, 3.00MB read
  Socket errors: connect 0, read 1, write 0, timeout 2
  Non-2xx or 3xx responses: 4
Requests/sec:   1999.50
"""


def test_wrk_reports_are_read() -> None:
    found = parse(WRK_REPORT)
    assert found["requests_per_s"] == 1999.5
    assert found["p50_s"] == pytest.approx(0.0015)
    assert found["p99_s"] == pytest.approx(0.012)
    assert (found["requests"], found["errors"], found["non_2xx"]) == (2000, 3, 4)


@pytest.mark.slow
def test_the_benchmark_runs_on_a_tiny_graph(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk (Debian package) is not installed")
    if not OXIGRAPH.exists():
        pytest.skip("the oxigraph server (dev extra) is not installed")
    args = ["--sizes", "3000", "--repeats", "1", "--rdflib-repeats", "1", "--starts", "1"]
    args += ["--wrk-seconds", "1", "--work", str(tmp_path / "work"), "--no-setup"]
    assert endpoint.main([*args, "--results", str(tmp_path / "results")]) == 0
    raw = json.loads((tmp_path / "results" / "endpoint.json").read_text())
    found = raw["sizes"]["3k"]
    assert found["servers"][:2] == ["rcsgraph", "oxigraph"]
    for query, per in found["queries"].items():
        ours, native = per["rcsgraph"], per["oxigraph"]
        assert ours["runs"] and native["runs"], query
        assert ours["rows"] == native["rows"], query  # the same answer from both servers
    for name in ("rcsgraph", "rcsgraph cached", "oxigraph"):
        assert found["lookups"][name]["8"]["requests"] > 0
    assert found["memory_end"]["rcsgraph"]["processes"] >= 3  # web, fork server, workers
    text = (tmp_path / "results" / "endpoint.md").read_text()
    assert "## Targets at 3k" in text
    assert "### Point lookups (wrk)" in text
