"""Our SPARQL endpoint against Oxigraph's own server and rdflib-endpoint, side by side.

    python bench/endpoint.py --sizes 100k,1M [--repeats 7] [--baseline REV]

For each size: generate the graph (``bench/generate.py``) and build an rcsgraph store of it
(``rcsgraph.graph.build.load``, generations and a ``current`` link); serve it with
``rcsgraph serve --store DIR``, with ``oxigraph serve-read-only`` on the store's current
generation (the same files) and with rdflib-endpoint (from its own virtual environment,
``var/bench/venv``, loading the same N-Triples); ``--baseline REV`` adds rcsgraph as it was at
commit REV (its package extracted with ``git archive``), for a before/after in the same run.
Then, with every server up and interleaving them (the order rotates each round):

- cold start: seconds from starting the server to its first answer (restarted ``--starts`` times);
- the median latency of every catalogue query (parameters bound as ``rcsgraph.store.binding.bind``
  writes them) and of the generic queries of ``bench/queries.py``, over HTTP, as SPARQL JSON;
- point lookups with ``wrk`` at 8 and 32 connections: requests/s, p50 and p99;
- memory: RSS and PSS of the server and all its processes, after the load.

Writes ``bench/results/endpoint.md``, ``.json`` and ``endpoint.png`` (the plot needs matplotlib
in ``var/bench/venv``; see ``bench/README.md``).
"""

import argparse
import json
import shutil
import signal
import subprocess
import sys
import tarfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import machine
from bench.catalogue import first_of_kind
from bench.endpoint_report import render
from bench.generate import parse_size, size_name
from bench.queries import QUERIES, sparql
from bench.servers import Client, Server
from bench.stores import ensure_data
from bench.throughput import have_wrk, wrk

ROOT = Path(__file__).resolve().parents[1]
VENV = ROOT / "var" / "bench" / "venv"  # rdflib-endpoint and matplotlib, apart from our deps
PLOT = ROOT / "bench" / "plot_endpoint.py"
LOOKUP = "point"


def build_store(data: Path, folder: Path) -> Path:
    """The rcsgraph store of the generated graph in ``data`` (built once; not validated: the
    generated graph conforms, see ``bench/results/validation.md``)."""
    from rcsgraph.graph import build
    from rcsgraph.store import generations

    manifest = json.loads((data / "manifest.json").read_text())
    stamp = folder / "built-from.json"
    if (
        generations.current_generation(folder) is None
        or not stamp.exists()
        or (json.loads(stamp.read_text()) != manifest)
    ):
        build.load(folder, [data / name for name in manifest["data"]], validate=False)
        stamp.write_text(json.dumps(manifest))
    generation = generations.current_generation(folder)
    assert generation is not None
    return generation


def workload(generation: Path, probe: str) -> dict[str, str]:
    """Query name -> SPARQL text: the catalogue (bound) and the generic queries."""
    from rdflib import URIRef

    from rcsgraph import queries
    from rcsgraph.store import OxigraphStore
    from rcsgraph.store.binding import bind

    store = OxigraphStore(generation, read_only=True)
    texts = {}
    for name, query in queries.load_catalogue().items():
        raw = {}
        for param in query.params:
            value = param.default or param.example
            if param.type == "iri" and value:
                value = first_of_kind(store, value)
            if value is not None:
                raw[param.name] = value
        texts[name] = bind(query.text, queries.bind(query, raw))
    for name in QUERIES:
        bound = {"node": URIRef(probe)} if name == LOOKUP else {}
        texts[f"generic:{name}"] = bind(sparql(name), bound)
    del store
    return texts


def servers(args: argparse.Namespace, size: str, generation: Path, data: Path) -> list[Server]:
    """The servers to compare at this size."""
    store = generation.parent
    logs = args.work / "endpoint" / size
    # -P: PYTHONPATH comes first, so each rcsgraph is the one its PYTHONPATH names
    ours = [sys.executable, "-P", "-m", "rcsgraph.cli", "serve", "--store", str(store)]
    found = [
        Server("rcsgraph", [*ours, "--port", "{port}"], {"PYTHONPATH": str(ROOT)}),
        Server(
            "oxigraph",
            [
                str(Path(sys.executable).parent / "oxigraph"),
                *("serve-read-only", "--location", str(generation)),
                *("--bind", "127.0.0.1:{port}", "--union-default-graph"),
            ],
        ),
    ]
    if args.baseline:
        code = baseline(args.work, args.baseline)
        before = Server("rcsgraph-before", [*ours, "--port", "{port}"], {"PYTHONPATH": code})
        found.insert(1, before)
    endpoint = VENV / "bin" / "rdflib-endpoint"
    if endpoint.exists() and size not in args.skip_rdflib:
        from rcsgraph import resources

        manifest = json.loads((data / "manifest.json").read_text())
        files = [str(resources.ontology_file())] + [str(data / n) for n in manifest["data"]]
        found.append(
            Server(
                "rdflib-endpoint",
                [str(endpoint), "serve", "--host", "127.0.0.1", "--port", "{port}", *files],
                path="/",
                start_limit=args.rdflib_load_limit,
            )
        )
    for server in found:
        server.log = logs / f"{server.name}.log"
    return found


def baseline(work: Path, revision: str) -> str:
    """The ``rcsgraph`` package as it was at ``revision``, extracted under ``work``."""
    folder = work / "baseline" / revision
    if not (folder / "rcsgraph").exists():
        folder.mkdir(parents=True, exist_ok=True)
        archive = subprocess.run(
            ["git", "archive", "--format=tar", revision, "rcsgraph"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        archive_path = folder / "rcsgraph.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            tar.extractall(folder, filter="data")
        archive_path.unlink()
    return str(folder)


def rotate(items: list[Server], turn: int) -> list[Server]:
    """``items`` starting at a different one each turn, so no server always goes first."""
    shift = turn % len(items)
    return items[shift:] + items[:shift]


def cold_starts(running: list[Server], probe: str, starts: int) -> dict[str, list[float]]:
    """Start every server ``starts`` times (rdflib-endpoint once: its start is its load); leave
    them all running after the last start."""
    found: dict[str, list[float]] = {s.name: [] for s in running}
    for turn in range(starts):
        last = turn == starts - 1
        for server in rotate(running, turn):
            if server.name == "rdflib-endpoint" and not last:
                continue
            found[server.name].append(server.start(probe))
            if not last:
                server.stop()
            print(f"  start {server.name}: {found[server.name][-1]:.3f} s", file=sys.stderr)
    return found


def latencies(
    running: list[Server], texts: dict[str, str], args: argparse.Namespace, probe: str
) -> dict[str, dict[str, Any]]:
    """Per query and server: every run's seconds and the number of rows (after a warm-up)."""
    found: dict[str, dict[str, Any]] = {}
    for name, text in texts.items():
        found[name] = {s.name: {"runs": [], "rows": None} for s in running}
        clients = {s.name: Client(s.url, args.query_timeout) for s in running}
        for turn in range(args.repeats + 1):
            for server in rotate(running, turn):
                entry = found[name][server.name]
                rested = turn > args.rdflib_repeats and server.name == "rdflib-endpoint"
                if "error" in entry or rested:
                    continue
                try:
                    took, rows = clients[server.name].time(text)
                except (OSError, RuntimeError, ValueError) as exc:
                    entry["error"] = str(exc)[:200] or type(exc).__name__
                    if server.name == "rdflib-endpoint":  # still busy: start it afresh
                        server.stop()
                        server.start(probe)
                        clients[server.name] = Client(server.url, args.query_timeout)
                    continue
                entry["rows"] = rows
                if turn > 0:  # the first round warms up
                    entry["runs"].append(took)
        for client in clients.values():
            client.close()
        summary = {s: f"{machine.mid(e['runs']) * 1000:.1f}" for s, e in found[name].items()}
        print(f"  {name}: {summary}", file=sys.stderr)
    return found


def throughput(running: list[Server], text: str, seconds: float) -> dict[str, dict[str, Any]]:
    """``wrk`` point lookups at 8 and 32 connections, servers interleaved; rcsgraph also with
    its answer cache (``<name> cached``: the same URL again and again)."""
    found: dict[str, dict[str, Any]] = {}
    for turn, connections in enumerate((8, 32)):
        for server in rotate(running, turn):
            for cached in (False, True) if server.name.startswith("rcsgraph") else (False,):
                figures = wrk(server.url, text, connections, seconds, cached)
                name = server.name + (" cached" if cached else "")
                found.setdefault(name, {})[str(connections)] = figures
                print(f"  wrk {name} c={connections}: {figures}", file=sys.stderr)
    return found


def measure(args: argparse.Namespace, triples: int) -> dict[str, Any]:
    """Every figure of one size."""
    size = size_name(triples)
    data = ensure_data(args.work, triples)
    generation = build_store(data, args.work / "endpoint" / size / "store")
    manifest = json.loads((data / "manifest.json").read_text())
    probe = manifest["probe"]["society"]
    texts = workload(generation, probe)
    running = servers(args, size, generation, data)
    (args.work / "endpoint" / size).mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"manifest": manifest, "servers": [s.name for s in running]}
    try:
        out["cold_start_s"] = cold_starts(running, texts[f"generic:{LOOKUP}"], args.starts)
        out["memory_start"] = {s.name: s.memory_mb() for s in running}
        out["queries"] = latencies(running, texts, args, texts[f"generic:{LOOKUP}"])
        if have_wrk():
            out["lookups"] = throughput(running, texts[f"generic:{LOOKUP}"], args.wrk_seconds)
        out["memory_end"] = {s.name: s.memory_mb() for s in running}
    finally:
        for server in running:
            server.stop()
    return out


def write(folder: Path, raw: dict[str, Any]) -> None:
    """``endpoint.md``, ``.json`` and, with matplotlib in the bench environment, ``.png``."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "endpoint.json").write_text(json.dumps(raw, indent=1, sort_keys=True) + "\n")
    (folder / "endpoint.md").write_text("\n".join(render(raw)) + "\n")
    python = VENV / "bin" / "python"
    if python.exists():
        source, target = folder / "endpoint.json", folder / "endpoint.png"
        subprocess.run([str(python), str(PLOT), str(source), str(target)], check=False)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="100k,1M", help="comma-separated, e.g. 10k,100k,1M")
    parser.add_argument("--repeats", type=int, default=7, help="timed runs per query and server")
    parser.add_argument("--rdflib-repeats", type=int, default=3, help="timed runs for rdflib")
    parser.add_argument("--starts", type=int, default=3, help="cold starts per server")
    parser.add_argument("--wrk-seconds", type=float, default=10.0, help="duration of each wrk run")
    parser.add_argument("--query-timeout", type=float, default=120.0, help="seconds per answer")
    parser.add_argument("--rdflib-load-limit", type=float, default=900.0, help="seconds")
    parser.add_argument("--skip-rdflib", default="", help="sizes without rdflib-endpoint")
    parser.add_argument("--baseline", help="also serve rcsgraph as of this git revision")
    parser.add_argument("--work", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--results", type=Path, default=machine.RESULTS, help="output folder")
    parser.add_argument("--render", action="store_true", help="rewrite the .md from the .json")
    parser.add_argument(
        "--no-setup", action="store_true", help=f"do not create {VENV} when it is absent"
    )
    args = parser.parse_args(argv)
    signal.signal(signal.SIGTERM, _stop)  # servers are stopped on the way out (finally)
    args.skip_rdflib = {s for s in args.skip_rdflib.split(",") if s}
    if args.render:
        write(args.results, json.loads((args.results / "endpoint.json").read_text()))
        return 0
    if not args.no_setup and not VENV.exists():
        set_up_peers()
    raw: dict[str, Any] = {"facts": machine.facts(), "sizes": {}, "options": _options(args)}
    for triples in (parse_size(s) for s in args.sizes.split(",")):
        print(f"{size_name(triples)}:", file=sys.stderr)
        raw["sizes"][size_name(triples)] = measure(args, triples)
    raw["finished"] = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    write(args.results, raw)
    return 0


def set_up_peers() -> None:
    """rdflib-endpoint and matplotlib in their own environment, apart from the project's; on
    failure the run goes on without them (the results say rdflib-endpoint was not run)."""
    print(f"setting up {VENV} (rdflib-endpoint, matplotlib)", file=sys.stderr)
    steps = [
        [sys.executable, "-m", "venv", str(VENV)],
        [str(VENV / "bin" / "pip"), "install", "--quiet", "rdflib-endpoint[cli]", "matplotlib"],
    ]
    for step in steps:
        if subprocess.run(step, check=False).returncode != 0:
            print(f"could not set up {VENV}: going on without it", file=sys.stderr)
            shutil.rmtree(VENV, ignore_errors=True)
            return


def _stop(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _options(args: argparse.Namespace) -> dict[str, Any]:
    keep = ("sizes", "repeats", "rdflib_repeats", "starts", "wrk_seconds", "query_timeout")
    found = {k: getattr(args, k) for k in keep}
    found["baseline"] = args.baseline
    return found


if __name__ == "__main__":
    raise SystemExit(main())
