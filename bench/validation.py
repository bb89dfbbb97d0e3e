"""Benchmark validation: the whole graph on rdflib and on Oxigraph, and one bundle.

    python bench/validation.py --sizes 10k,100k,1M [--repeats 3] [--timeout 1800]

Each measurement is a fresh process (``one``) that loads the generated graph (timed apart) and
validates it as ``rcsgraph.graph.validation`` does: SHACL shapes plus the quote check. Engines:

- ``rdflib``: ``validate_graph`` on the graph of record;
- ``oxigraph``: ``validate_store`` on an in-memory store (pyshacl's pitfall worked around);
- ``oxigraph-plain``: the same store given to pyshacl as it is (the pitfall left in);
- ``bundle``: ``validate_bundle`` of the generated extra article against the stored graph.

Runs over ``--timeout`` seconds are recorded as such. Writes ``bench/results/validation.md``
and ``.json``.
"""

import argparse
import json
import math
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import machine
from bench.engine import memory_mb
from bench.generate import parse_size, size_name
from bench.machine import mid, ratio, seconds, table
from bench.stores import ensure_data

ENGINES = ("rdflib", "oxigraph", "oxigraph-plain", "bundle")


def one(engine: str, data: Path) -> dict[str, Any]:
    """Load the graph of ``data`` for ``engine`` and validate it once."""
    from rcsgraph.graph import validation
    from rcsgraph.graph.loading import knowledge_graph

    manifest = json.loads((data / "manifest.json").read_text())
    files = [data / name for name in manifest["data"]]
    shapes = validation.shapes_graph()
    start = time.perf_counter()
    loaded: Any = knowledge_graph(files) if engine == "rdflib" else validation.oxigraph_store(files)
    load_s = time.perf_counter() - start
    truth_tests = _count_truth_tests(validation)
    start = time.perf_counter()
    report = _validate(engine, loaded, shapes, data, manifest)
    out = {
        "engine": engine,
        "load_s": load_s,
        "validate_s": time.perf_counter() - start,
        "conforms": report.conforms,
        "results": len(report.results),
        "peak_mb": memory_mb()["VmHWM"],
    }
    if engine == "oxigraph":
        out["truth_tests"] = truth_tests[0]
        out["full_count_s"] = _full_count_s(loaded)
    return out


def _validate(engine: str, loaded: Any, shapes: Any, data: Path, manifest: Any) -> Any:
    from pyshacl.graph_abstraction import OxigraphDataGraph

    from rcsgraph.graph import bundle_validation, validation
    from rcsgraph.graph.loading import load_graph

    if engine == "rdflib":
        return validation.validate_graph(loaded, shapes, [data])
    if engine == "oxigraph":
        return validation.validate_store(loaded, shapes, [data])
    if engine == "oxigraph-plain":
        return validation._validate(OxigraphDataGraph(loaded), shapes, [data], inplace=True)
    bundle_path = data / manifest["bundle"]["data"]
    bundle = load_graph([bundle_path])
    return bundle_validation.validate_bundle(loaded, bundle, [data, bundle_path.parent], shapes)


def _count_truth_tests(validation: Any) -> list[int]:
    """How often pyshacl asks whether the data graph is true: each was a full count before."""
    calls = [0]

    def counted(self: Any) -> bool:
        calls[0] += 1
        return True

    validation.OxigraphData.__bool__ = counted
    return calls


def _full_count_s(store: Any) -> float:
    """What one truth test of pyshacl's own Oxigraph graph costs: ``len()`` of the store."""
    from pyshacl.graph_abstraction import OxigraphDataGraph

    plain = OxigraphDataGraph(store)
    plain.default_union = True
    samples = []
    for _ in range(3):
        start = time.perf_counter()
        len(plain)
        samples.append(time.perf_counter() - start)
    return mid(samples)


def measure(data: Path, engines: list[str], repeats: int, timeout: float) -> Any:
    """Alternate the engines ``repeats`` times; an engine that times out is not run again."""
    runs: dict[str, list[dict[str, Any]]] = {engine: [] for engine in engines}
    timed_out: dict[str, str] = {}
    for repeat in range(repeats):
        for engine in engines if repeat % 2 == 0 else engines[::-1]:
            if engine in timed_out:
                continue
            args = ["bench/validation.py", "one", "--engine", engine, "--data", str(data)]
            try:
                run = machine.worker(args, timeout)
            except subprocess.TimeoutExpired:
                timed_out[engine] = f"did not finish within {timeout:.0f} s"
                continue
            runs[engine].append(run)
            print(f"  {engine}: {run['validate_s']:.2f} s", file=sys.stderr)
    return {"runs": runs, "timed_out": timed_out}


def extrapolate(times: dict[str, float], size: str) -> str:
    """An estimate for ``size`` from the growth between the two largest sizes measured."""
    known = sorted((parse_size(s), t) for s, t in times.items() if t == t and s != size)
    if len(known) < 2:
        return "not run"
    (n1, t1), (n2, t2) = known[-2:]
    power = math.log(t2 / t1) / math.log(n2 / n1)
    estimate = t2 * (parse_size(size) / n2) ** power
    return (
        f"not run: about {seconds(estimate)} if time kept growing as size^{power:.2f}, as it did"
        f" from {size_name(n1)} to {size_name(n2)}"
    )


def summarise(raw: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Median load and validation time, peak memory and outcome per size and engine."""
    summary: dict[str, dict[str, Any]] = {}
    for size, found in raw["sizes"].items():
        summary[size] = {}
        for engine in ENGINES:
            runs = found["runs"].get(engine, [])
            summary[size][engine] = {
                "runs": len(runs),
                "load_s": mid([r["load_s"] for r in runs]),
                "validate_s": mid([r["validate_s"] for r in runs]),
                "peak_mb": mid([r["peak_mb"] for r in runs]),
                "outcome": sorted({(r["conforms"], r["results"]) for r in runs}),
                "note": found["timed_out"].get(engine) or found["skipped"].get(engine, ""),
            }
    for engine in ENGINES:
        times = {size: engines[engine]["validate_s"] for size, engines in summary.items()}
        for size, engines in summary.items():
            if engines[engine]["note"].startswith("not run"):
                engines[engine]["note"] = extrapolate(times, size)
    for size, engines in summary.items():
        runs = [r for r in raw["sizes"][size]["runs"].get("oxigraph", []) if "truth_tests" in r]
        if runs:
            tests, count_s = runs[0]["truth_tests"], mid([r["full_count_s"] for r in runs])
            estimate = engines["oxigraph"]["validate_s"] + tests * count_s
            engines["oxigraph-plain"]["estimate"] = (
                f"model: {seconds(engines['oxigraph']['validate_s'])} + {tests:,} full counts"
                f" x {seconds(count_s)} = {seconds(estimate)}"
            )
    return summary


def render(raw: dict[str, Any], summary: dict[str, dict[str, Any]]) -> list[str]:
    """The results as markdown."""
    lines = [
        "# Validation: rdflib, Oxigraph, one bundle",
        "",
        f"`python bench/validation.py --sizes {','.join(summary)}`"
        " (see `bench/README.md`). Shapes of `shapes/` plus the quote check against the"
        " generated texts, quotes read by `rcsgraph.graph.evidence.quotes`. Each run is"
        " a fresh process; times are medians of the runs, loading not included; memory is the"
        " process's peak resident set.",
        "",
        *machine.facts_table(raw["machine"]),
        "",
        *[
            f"Added with `python bench/validation.py {' '.join(m['argv'])}`"
            f" on {m['machine']['date']} (load average"
            f" {' '.join(f'{x:.2f}' for x in m['machine']['load_average'])}).\n"
            for m in raw.get("merged", [])
        ],
    ]
    header = ["size", "engine", "validation", "vs rdflib", "load (apart)", "peak MB", "outcome"]
    rows = []
    for size, engines in summary.items():
        base = engines["rdflib"]["validate_s"]
        for engine, found in engines.items():
            outcome = ", ".join(
                f"{'conforms' if ok else 'does not conform'}, {n} results"
                for ok, n in found["outcome"]
            )
            rows.append(
                (
                    size,
                    engine,
                    seconds(found["validate_s"]),
                    ratio(base, found["validate_s"]),
                    seconds(found["load_s"]),
                    machine.megabytes(found["peak_mb"]),
                    "; ".join(x for x in (outcome or found["note"], found.get("estimate")) if x),
                )
            )
    lines += table(header, rows, text_columns=2)
    lines += [
        "",
        "Engines: `rdflib` is `validate_graph` on an rdflib `Graph`; `oxigraph` is"
        " `validate_store` on an in-memory `pyoxigraph.Store` (pyshacl's per-result full count"
        " worked around); `oxigraph-plain` hands pyshacl the same store as it is; `bundle` is"
        " `validate_bundle` of one generated article (about 400 triples) against the Oxigraph"
        " store holding the rest. Where `oxigraph-plain` is not run, its time is estimated: the"
        " `oxigraph` run counts how often pyshacl tests the data graph's truth, and each such"
        " test cost `oxigraph-plain` one full count (`len()`, timed on the same store); at 10k"
        " the estimate can be checked against the measured time.",
    ]
    return lines


def run(args: argparse.Namespace) -> None:
    """Measure every size asked for; with ``--merge``, into the results of an earlier run."""
    skips = {tuple(item.split("@")) for item in args.skip.split(",") if item}
    settings = {
        "repeats": args.repeats,
        "timeout_s": args.timeout,
    }
    raw: dict[str, Any] = {"machine": machine.facts(), "settings": settings, "sizes": {}}
    if args.merge:
        raw = machine.read("validation")
        raw.setdefault("merged", []).append({"argv": sys.argv[1:], "machine": machine.facts()})
    for size in args.sizes.split(","):
        name = size_name(parse_size(size))
        print(f"{name}:", file=sys.stderr)
        data = ensure_data(args.work, parse_size(size))
        engines = [e for e in args.engines.split(",") if (e, name) not in skips]
        found = measure(data, engines, args.repeats, args.timeout)
        old = raw["sizes"].get(name, {"runs": {}, "timed_out": {}, "skipped": {}})
        old["runs"].update({e: runs for e, runs in found["runs"].items() if runs})
        old["timed_out"] = {**old.get("timed_out", {}), **found["timed_out"]}
        old["skipped"] = {e: "not run" for e in ENGINES if e not in old["runs"]}
        for engine in old["runs"]:
            old["timed_out"].pop(engine, None)
        raw["sizes"][name] = old
        summary = summarise(raw)
        machine.write("validation", render(raw, summary), {**raw, "summary": summary})


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command")
    single = commands.add_parser("one", help="one measurement (used by the benchmark itself)")
    single.add_argument("--engine", choices=ENGINES, required=True)
    single.add_argument("--data", type=Path, required=True)
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--engines", default=",".join(ENGINES))
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=1800.0)
    parser.add_argument("--skip", default="rdflib@1M,oxigraph-plain@100k,oxigraph-plain@1M")
    parser.add_argument("--work", type=Path, default=machine.ROOT / "var" / "bench")
    parser.add_argument("--merge", action="store_true", help="add to the results of a run")
    parser.add_argument("--render", action="store_true", help="rewrite the .md from the .json")
    args = parser.parse_args(argv)
    if args.command == "one":
        json.dump(one(args.engine, args.data), sys.stdout)
    elif args.render:
        raw = machine.read("validation")
        summary = summarise(raw)
        machine.write("validation", render(raw, summary), {**raw, "summary": summary})
    else:
        run(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
