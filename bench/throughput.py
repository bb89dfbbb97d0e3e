"""Load generators for ``bench/endpoint.py``: ``wrk`` runs and their parsed figures."""

import re
import shutil
import subprocess
import urllib.parse
from typing import Any

from bench.servers import JSON

_UNITS = {"us": 1e-6, "ms": 1e-3, "s": 1.0, "m": 60.0}


def have_wrk() -> bool:
    """Whether the ``wrk`` load generator is installed (Debian package ``wrk``)."""
    return shutil.which("wrk") is not None


def wrk(
    url: str, query: str, connections: int, seconds: float, cached: bool = False
) -> dict[str, Any]:
    """Throughput and latency percentiles of GET ``query`` at ``connections`` connections;
    ``Cache-Control: no-cache`` unless ``cached`` (answers may come from a server's cache)."""
    target = url + "?" + urllib.parse.urlencode({"query": query})
    command = [
        "wrk",
        "--threads",
        str(min(2, connections)),
        "--connections",
        str(connections),
        "--duration",
        f"{max(1, round(seconds))}s",
        "--timeout",
        "10s",
        "--latency",
        "--header",
        f"Accept: {JSON}",
        *([] if cached else ["--header", "Cache-Control: no-cache"]),
        target,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 60, check=True)
    return parse(done.stdout)


def parse(report: str) -> dict[str, Any]:
    """Requests/s, p50/p99 latency (seconds) and error counts from wrk's ``--latency`` report."""
    found: dict[str, Any] = {"requests_per_s": float("nan"), "errors": 0, "non_2xx": 0}
    match = re.search(r"Requests/sec:\s*([\d.]+)", report)
    if match:
        found["requests_per_s"] = float(match.group(1))
    for percent, key in (("50", "p50_s"), ("99", "p99_s")):
        match = re.search(rf"^\s*{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", report, re.M)
        found[key] = float(match.group(1)) * _UNITS[match.group(2)] if match else float("nan")
    match = re.search(r"(\d+) requests in", report)
    found["requests"] = int(match.group(1)) if match else 0
    match = re.search(r"Non-2xx or 3xx responses:\s*(\d+)", report)
    if match:
        found["non_2xx"] = int(match.group(1))
    match = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", report
    )
    if match:
        found["errors"] = sum(int(n) for n in match.groups())
    return found
