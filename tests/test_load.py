"""``bench/load.sh`` in a short run: wrk against a live server, a mix of pages and queries,
no request failed. The 30 s run with 32 connections is ``bench/load.sh`` itself; its figures
are in ``bench/results/load.md``. Skips when wrk is absent; asserts no time.
"""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from endpoint_server import ROOT

pytestmark = pytest.mark.slow


def test_a_short_load_run_has_no_errors(tmp_path: Path) -> None:
    if shutil.which("wrk") is None:
        pytest.skip("wrk is absent: apt-get install wrk (.ci/run installs it)")
    output = tmp_path / "load.md"
    command = [str(ROOT / "bench" / "load.sh"), "-d", "3s", "-c", "8", "-o", str(output)]
    environment = {**os.environ, "PYTHON": sys.executable}
    done = subprocess.run(
        command, capture_output=True, text=True, env=environment, timeout=300, check=False
    )
    result = re.search(r"^RESULT .*$", done.stdout + done.stderr, re.MULTILINE)
    assert result, done.stderr[-2000:]
    figures = dict(pair.split("=") for pair in result.group().split()[1:])
    assert int(figures["requests"]) > 0
    assert figures["errors"] == "0", result.group()
    assert figures["bad_status"] == "0", result.group()
    assert done.returncode == 0, done.stderr[-2000:]
    report = output.read_text(encoding="utf-8")
    assert "| requests |" in report and "p99" in report
