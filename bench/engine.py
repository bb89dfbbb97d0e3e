"""Measure one engine in this process; ``bench/stores.py`` runs it once per measurement.

    python bench/engine.py run --engine oxigraph --data DIR [--load-limit 600]
    python bench/engine.py build --data DIR --db PATH
    python bench/engine.py open --db PATH --society IRI [--via pyoxigraph|rcsgraph]

``run`` loads the ontology and the data into an in-memory backend of ``rcsgraph.store`` (each
file in its named graph, as ``rcsgraph load`` lays them out), then times every query of
``bench/queries.py``; ``build`` writes the on-disk Oxigraph store the way ``rcsgraph load``
does; ``open`` opens that store read-only and answers one query. Each prints one JSON object.
Memory is this process's peak resident set (``VmHWM``), so every measurement needs its own.
"""

import argparse
import hashlib
import json
import resource
import sys
import time
from pathlib import Path
from statistics import median
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.queries import QUERIES, sparql

MIN_RUNS, MAX_RUNS, BUDGET_S, SLOW_S = 3, 25, 2.0, 20.0


def memory_mb() -> dict[str, float]:
    """Current and peak resident memory of this process, in MB."""
    fields = {}
    for line in Path("/proc/self/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            fields[key] = int(value.split()[0]) / 1024
    fields["ru_maxrss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return fields


def data_files(data: Path) -> list[tuple[Path, str, str]]:
    """(file, syntax, named graph) of the ontology and the generated data, in load order."""
    from rcsgraph import layout, resources
    from rcsgraph.graph.loading import rdf_format

    manifest = json.loads((data / "manifest.json").read_text())
    files = [(resources.ontology_file(), "turtle", layout.ONTOLOGY_GRAPH)]
    for name in manifest["data"]:
        path = data / name
        files.append((path, rdf_format(path), layout.data_graph(path)))
    return files


def time_query(store: Any, name: str, bindings: dict[str, Any]) -> dict[str, Any]:
    """Median latency of one query (after a warm-up run), its row count and a digest of rows."""
    text = sparql(name)
    start = time.perf_counter()
    answer = store.query(text, bindings if "?node" in text else None)
    warmup = time.perf_counter() - start
    runs = 1 if warmup > SLOW_S else MIN_RUNS
    samples: list[float] = []
    began = time.perf_counter()
    while len(samples) < runs or (
        len(samples) < MAX_RUNS and time.perf_counter() - began < BUDGET_S
    ):
        start = time.perf_counter()
        store.query(text, bindings if "?node" in text else None)
        samples.append(time.perf_counter() - start)
    rows = sorted(" ".join("-" if t is None else t.n3() for t in row) for row in answer.rows)
    digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()[:16]
    return {
        "median_s": median(samples),
        "samples_s": samples,
        "warmup_s": warmup,
        "rows": len(rows),
        "digest": digest,
    }


def cmd_run(args: argparse.Namespace) -> dict[str, Any]:
    from rdflib import URIRef

    from rcsgraph.store import OxigraphStore, RdflibStore

    before = memory_mb()
    store = OxigraphStore() if args.engine == "oxigraph" else RdflibStore()
    start = time.perf_counter()
    for path, fmt, graph in data_files(args.data):
        store.load(path.read_bytes(), fmt, graph)
    load_s = time.perf_counter() - start
    out: dict[str, Any] = {
        "engine": args.engine,
        "load_s": load_s,
        "quads": store.count(),
        "memory_before_mb": before,
        "memory_after_load_mb": memory_mb(),
    }
    if load_s > args.load_limit:
        out["skipped_queries"] = f"load took {load_s:.0f} s, over the {args.load_limit:.0f} s limit"
        return out
    society = json.loads((args.data / "manifest.json").read_text())["probe"]["society"]
    bindings = {"node": URIRef(society)}
    out["queries"] = {name: time_query(store, name, bindings) for name in QUERIES}
    out["memory_end_mb"] = memory_mb()
    return out


def cmd_build(args: argparse.Namespace) -> dict[str, Any]:
    from rcsgraph.graph.build import load_file
    from rcsgraph.store import OxigraphStore

    start = time.perf_counter()
    store = OxigraphStore(args.db)
    for path, _, graph in data_files(args.data):
        load_file(store, path, graph, None)
    quads = store.count()
    store.close()
    size = sum(f.stat().st_size for f in args.db.rglob("*") if f.is_file())
    return {"build_s": time.perf_counter() - start, "quads": quads, "disk_mb": size / 2**20}


def cmd_open(args: argparse.Namespace) -> dict[str, Any]:
    """Seconds from opening the store read-only to the first answer, in a fresh process."""
    start = time.perf_counter()
    import pyoxigraph as ox

    imported = time.perf_counter()
    if args.via == "pyoxigraph":
        store = ox.Store.read_only(str(args.db))
        answer = store.query(
            sparql("point"),
            substitutions={ox.Variable("node"): ox.NamedNode(args.society)},
            use_default_graph_as_union=True,
        )
        rows = len(list(answer))  # type: ignore[arg-type]
    else:
        from rdflib import URIRef

        from rcsgraph.store import OxigraphStore

        imported = time.perf_counter()
        wrapped = OxigraphStore(args.db, read_only=True)
        rows = len(wrapped.query(sparql("point"), {"node": URIRef(args.society)}).rows)
    answered = time.perf_counter()
    return {
        "via": args.via,
        "open_to_answer_s": answered - imported,
        "import_s": imported - start,
        "rows": rows,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run")
    run.add_argument("--engine", choices=("oxigraph", "rdflib"), required=True)
    run.add_argument("--data", type=Path, required=True)
    run.add_argument("--load-limit", type=float, default=600.0)
    build = commands.add_parser("build")
    build.add_argument("--data", type=Path, required=True)
    build.add_argument("--db", type=Path, required=True)
    opened = commands.add_parser("open")
    opened.add_argument("--db", type=Path, required=True)
    opened.add_argument("--society", required=True)
    opened.add_argument("--via", choices=("pyoxigraph", "rcsgraph"), default="pyoxigraph")
    args = parser.parse_args()
    handlers = {"run": cmd_run, "build": cmd_build, "open": cmd_open}
    json.dump(handlers[args.command](args), sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
