"""Benchmark publication at scale: every page, description and dump of a store, first request
after start and repeated, with the memory of all the server's processes.

    python bench/publication.py [--size 1M] [--baseline 05bc04c] [--timeout 30]

Generates the graph (``bench/generate.py``), builds a store with ``rcsgraph load
--skip-validation`` as of now (which derives the publication artefacts) and as of ``--baseline``
(which does not: the load time without them), then serves the store with both, one after the
other, and asks each route once after a fresh start and then three times more. A request that
takes longer than ``--timeout`` seconds is recorded as such and its server restarted, so one
slow route does not delay the next. Dumps are downloaded in full (MB/s), then by four clients
at once while the memory (PSS of every process of the server) is sampled. Writes
``bench/results/publication.md`` and ``.json``.
"""

import argparse
import http.client
import json
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.generate import generate, parse_size
from bench.machine import facts, facts_table
from bench.servers import Server

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
HTML, TURTLE = "text/html", "text/turtle"
DUMPS = ("ttl", "nt", "jsonld", "trig")
QUERIES = sorted(p.stem for p in (ROOT / "rcsgraph" / "queries").glob("*.rq"))


def routes(most_linked: str) -> list[tuple[str, str]]:
    """(path, Accept) of every route the issue names, in the order they are asked."""
    found = [
        ("/", HTML),
        ("/dataset", HTML),
        ("/dataset", TURTLE),
        ("/.well-known/void", HTML),
        ("/.well-known/void", TURTLE),
        ("/dumps/", HTML),
        ("/dumps/SHA256SUMS", "*/*"),
        ("/queries", HTML),
        *((f"/queries/{name}", HTML) for name in QUERIES),
        ("/sparql", HTML),
        ("/ontology", HTML),
        (f"/doc/{most_linked}", HTML),
        (f"/doc/{most_linked}", TURTLE),
        ("/map?country=IRN&country=IQ", HTML),
    ]
    return found + [(f"/dumps/rcsgraph.{fmt}", "*/*") for fmt in DUMPS]


def get(port: int, path: str, accept: str, timeout: float) -> tuple[int, float, int]:
    """(status, seconds, bytes) of one GET, the body read to its end; status 0 on a timeout."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    began = time.perf_counter()
    try:
        connection.request("GET", path, headers={"Accept": accept})
        response = connection.getresponse()
        size = 0
        while chunk := response.read(1 << 20):
            size += len(chunk)
        return response.status, time.perf_counter() - began, size
    except TimeoutError:
        return 0, time.perf_counter() - began, 0
    finally:
        connection.close()


class Sampler(threading.Thread):
    """Samples a server's PSS every 0.2 s while it runs; keeps the highest."""

    def __init__(self, server: Server) -> None:
        super().__init__(daemon=True)
        self.server, self.most, self.running = server, 0.0, True

    def run(self) -> None:
        while self.running:
            self.most = max(self.most, self.server.memory_mb()["pss_mb"])
            time.sleep(0.2)

    def stop(self) -> float:
        self.running = False
        self.join()
        return self.most


def measure(server: Server, asked: list[tuple[str, str]], timeout: float) -> dict[str, Any]:
    """Each route after a fresh start (restarting after a timeout), then repeated."""
    results: dict[str, Any] = {"routes": [], "cold_start_s": server.start("ASK {}")}
    sampler = Sampler(server)
    sampler.start()
    for path, accept in asked:
        status, first, size = get(server.port, path, accept, timeout)
        repeats = (
            [] if status != 200 else [get(server.port, path, accept, timeout) for _ in range(3)]
        )
        row = {"path": path, "accept": accept, "status": status, "first_s": first, "bytes": size}
        if repeats:
            row["repeat_s"] = statistics.median(r[1] for r in repeats)
        if path.startswith("/dumps/rcsgraph.") and status == 200:
            row["mb_per_s"] = size / 1e6 / min([first, *(r[1] for r in repeats)])
        results["routes"].append(row)
        print(
            f"  {server.name} {status} {first:7.3f}s {size:>11,}B {path} {accept}", file=sys.stderr
        )
        if status == 0:  # it is still busy with the request: start afresh for the next one
            sampler.stop()
            server.stop()
            server.start("ASK {}")
            sampler = Sampler(server)
            sampler.start()
    results["pss_mb_routes"] = sampler.stop()
    dumps_ok = all(r["status"] == 200 for r in results["routes"] if "/dumps/rcsgraph." in r["path"])
    # four clients at once on a server that builds each dump in memory could take all of it
    results["pss_mb_parallel_downloads"] = parallel_downloads(server, timeout) if dumps_ok else None
    server.stop()
    return results


def parallel_downloads(server: Server, timeout: float) -> float:
    """The highest PSS while four clients download every dump at once."""
    sampler = Sampler(server)
    sampler.start()
    clients = [
        threading.Thread(
            target=lambda: [get(server.port, f"/dumps/rcsgraph.{f}", "*/*", timeout) for f in DUMPS]
        )
        for _ in range(4)
    ]
    for client in clients:
        client.start()
    for client in clients:
        client.join()
    return sampler.stop()


def baseline(work: Path, revision: str) -> str:
    """The package and its authored RDF as they were at ``revision``, extracted under ``work``
    (the ontology is loaded with the data)."""
    folder = work / "baseline-tree" / revision
    if not (folder / "rcsgraph").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", revision, "rcsgraph", "ontology", "data", "shapes"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        subprocess.run(["tar", "-x", "-C", str(folder)], input=archive, check=True)
    return str(folder)


def load(code: str, data: Path, store: Path, files: list[str]) -> float:
    """Seconds ``rcsgraph load --skip-validation`` of ``code`` takes to build ``store``."""
    command = [sys.executable, "-P", "-m", "rcsgraph.cli", "load", *files, "--store", str(store)]
    began = time.perf_counter()
    subprocess.run(
        [*command, "--quiet", "--skip-validation"],
        env={"PYTHONPATH": code, "PATH": "/usr/bin:/bin"},
        check=True,
        cwd=data,
    )
    return time.perf_counter() - began


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", default="1M")
    parser.add_argument("--baseline", default="05bc04c")
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--out", type=Path, default=RESULTS / "publication")
    args = parser.parse_args()
    work = args.work / "publication" / args.size
    data = work / "data"
    if not (data / "manifest.json").exists():
        generate(parse_size(args.size), data)
    manifest = json.loads((data / "manifest.json").read_text())
    files = [str(data / name) for name in manifest["data"]]
    before_code = baseline(args.work, args.baseline)
    found: dict[str, Any] = {"size": args.size, "baseline": args.baseline}
    found["machine"] = facts()
    subprocess.run(["rm", "-rf", str(work / "store"), str(work / "store-before")], check=True)
    found["load_s"] = {
        "rcsgraph-before": load(before_code, data, work / "store-before", files),
        "rcsgraph": load(str(ROOT), data, work / "store", files),
    }
    asked = routes("organization/ifrc")
    for name, code in (("rcsgraph", str(ROOT)), ("rcsgraph-before", before_code)):
        command = [
            sys.executable,
            "-P",
            "-m",
            "rcsgraph.cli",
            "serve",
            "--store",
            str(work / "store"),
        ]
        server = Server(name, [*command, "--port", "{port}"], {"PYTHONPATH": code})
        server.log = work / f"{name}.log"
        found[name] = measure(server, asked, args.timeout)
    args.out.with_suffix(".json").write_text(json.dumps(found, indent=1) + "\n")
    args.out.with_suffix(".md").write_text(report(found))
    return 0


def report(found: dict[str, Any]) -> str:
    """The results as a markdown table, routes side by side."""
    before, now = found["rcsgraph-before"], found["rcsgraph"]
    lines = [
        f"# Publication at {found['size']}: every route, first request after start and repeated",
        "",
        f"`python bench/publication.py --size {found['size']} --baseline {found['baseline']}` "
        f"on the machine below. rcsgraph as of `{found['baseline']}` (before) and now, serving "
        "the same store built now. First: the first request after the server started; repeat: "
        "the median of three more. `timeout` is no answer within the limit (the server was "
        "then restarted for the next route).",
        "",
        "| route | Accept | before: first | now: first | now: repeat | bytes now | dumps MB/s |",
        "| --- | --- | ---: | ---: | ---: | ---: | ---: |",
    ]
    for old, new in zip(before["routes"], now["routes"], strict=True):
        lines.append(
            f"| `{new['path']}` | {new['accept']} | {_cell(old)} | {_cell(new)} | "
            f"{_seconds(new.get('repeat_s'))} | {new['bytes']:,} | "
            f"{new.get('mb_per_s', 0):,.0f} |".replace("| 0 |", "| |")
        )
    slowest = max(r["first_s"] for r in now["routes"])
    lines += [
        "",
        "| | before | now |",
        "| --- | ---: | ---: |",
        f"| `rcsgraph load --skip-validation` | {found['load_s']['rcsgraph-before']:.1f} s "
        f"(no artefacts) | {found['load_s']['rcsgraph']:.1f} s (with artefacts) |",
        f"| cold start to first answer | {before['cold_start_s']:.2f} s | "
        f"{now['cold_start_s']:.2f} s |",
        f"| PSS, all processes, through the routes | {before['pss_mb_routes']:,.0f} MB | "
        f"{now['pss_mb_routes']:,.0f} MB |",
        f"| PSS, four clients downloading every dump at once | "
        f"{_mb(before['pss_mb_parallel_downloads'])} | {_mb(now['pss_mb_parallel_downloads'])} |",
        f"| slowest first request | | {slowest:.3f} s |",
        "",
        *facts_table(found["machine"]),
        "",
    ]
    return "\n".join(lines)


def _mb(value: float | None) -> str:
    return "not run (its dumps did not download)" if value is None else f"{value:,.0f} MB"


def _cell(row: dict[str, Any]) -> str:
    if row["status"] == 0:
        return "timeout"
    text = _seconds(row["first_s"])
    return text if row["status"] == 200 else f"{text} ({row['status']})"


def _seconds(value: float | None) -> str:
    if value is None:
        return ""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


if __name__ == "__main__":
    sys.exit(main())
