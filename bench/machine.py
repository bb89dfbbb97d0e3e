"""What a benchmark ran on, how to run a measuring subprocess, and small markdown helpers."""

import json
import os
import platform
import subprocess
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path
from statistics import median
from typing import Any

from bench.generate import parse_size

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def facts() -> dict[str, Any]:
    """CPU, memory, software versions, date, commit and load of this machine."""
    memory = next(
        line
        for line in Path("/proc/meminfo").read_text().splitlines()
        if line.startswith("MemTotal")
    )
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor(),
    )
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout.strip()
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "ram_gb": round(int(memory.split()[1]) / 2**20, 1),
        "os": platform.platform(),
        "python": platform.python_version(),
        "pyoxigraph": version("pyoxigraph"),
        "rdflib": version("rdflib"),
        "pyshacl": version("pyshacl"),
        "commit": commit,
        "load_average": os.getloadavg(),
    }


def facts_table(info: dict[str, Any]) -> list[str]:
    """The machine facts as a markdown table."""
    rows = [
        ("date", info["date"]),
        ("CPU", f"{info['cpus']} x {info['cpu']}"),
        ("RAM", f"{info['ram_gb']} GB"),
        ("OS", info["os"]),
        ("Python", info["python"]),
        (
            "pyoxigraph / rdflib / pyshacl",
            f"{info['pyoxigraph']} / {info['rdflib']} / {info['pyshacl']}",
        ),
        ("commit", info["commit"]),
        ("load average at start", " ".join(f"{x:.2f}" for x in info["load_average"])),
    ]
    return table(["machine", ""], rows, text_columns=2)


def worker(args: list[str], timeout: float | None = None) -> dict[str, Any]:
    """Run ``bench/<script>`` in a fresh Python process and return the JSON it prints."""
    done = subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def table(header: list[str], rows: list[tuple[Any, ...]], text_columns: int = 1) -> list[str]:
    """A markdown table: the first ``text_columns`` left-aligned, the figures right-aligned."""
    lines = ["| " + " | ".join(header) + " |"]
    lines.append("|" + "|".join("---" if i < text_columns else "---:" for i in range(len(header))))
    lines[-1] += "|"
    lines += ["| " + " | ".join(str(cell) for cell in row) + " |" for row in rows]
    return lines


def mid(values: list[float]) -> float:
    """The median, or NaN for no values."""
    return median(values) if values else float("nan")


def seconds(value: float) -> str:
    """A duration for a table: ms below a second, minutes above 100 s, hours above 2 h."""
    if value != value:  # NaN: not measured
        return "-"
    if value < 1:
        return f"{value * 1000:.3g} ms"
    if value < 100:
        return f"{value:.3g} s"
    return f"{value / 60:.3g} min" if value < 7200 else f"{value / 3600:,.0f} h"


def megabytes(value: float) -> str:
    """A memory size in MB for a table."""
    return "-" if value != value else f"{value:,.0f}"


def ratio(slow: float, fast: float) -> str:
    """How many times ``fast`` beats ``slow``."""
    if slow != slow or fast != fast or fast == 0:
        return "-"
    return f"{slow / fast:.3g}x"


def read(name: str) -> dict[str, Any]:
    """The raw results of an earlier run, ``bench/results/<name>.json``."""
    raw: dict[str, Any] = json.loads((RESULTS / f"{name}.json").read_text())
    for key in ("sizes", "summary"):  # the file has its keys sorted: put sizes back in order
        if key in raw:
            raw[key] = dict(sorted(raw[key].items(), key=lambda item: parse_size(item[0])))
    return raw


def write(name: str, lines: list[str], raw: dict[str, Any]) -> None:
    """Write ``bench/results/<name>.md`` and ``.json``."""
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / f"{name}.md").write_text("\n".join(lines) + "\n")
    (RESULTS / f"{name}.json").write_text(json.dumps(raw, indent=1, sort_keys=True) + "\n")
