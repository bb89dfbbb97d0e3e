"""Benchmark the Oxigraph and rdflib backends of ``rcsgraph.store`` side by side.

    python bench/stores.py --sizes 10k,100k,1M [--repeats 3] [--work var/bench]

For each size: generate the graph (``bench/generate.py``, once, into ``--work``), build the
on-disk Oxigraph store as ``rcsgraph load`` does, then alternate the two engines, each run in a
fresh process that loads everything into memory, reports its peak memory and times every query
of ``bench/queries.py``; last, open the on-disk store read-only in fresh processes (cold open)
and time the first answer. rdflib is skipped at a size when its load exceeds ``--load-limit``.
Writes ``bench/results/stores.md`` and ``stores.json``.
"""

import argparse
import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import machine
from bench.generate import generate, parse_size, size_name
from bench.machine import mid, ratio, seconds, table
from bench.queries import QUERIES

ENGINES = ("oxigraph", "rdflib")
COLD_OPENS = 7


def ensure_data(work: Path, triples: int) -> Path:
    """The generated graph of this size under ``work``, generated when missing."""
    folder = work / "data" / size_name(triples)
    manifest = folder / "manifest.json"
    if not manifest.exists() or json.loads(manifest.read_text())["target"] != triples:
        generate(triples, folder)
    return folder


def measure(data: Path, db: Path, repeats: int, load_limit: float) -> dict[str, Any]:
    """Every measurement of one size: build, engine runs (alternating), cold opens."""
    shutil.rmtree(db, ignore_errors=True)
    db.parent.mkdir(parents=True, exist_ok=True)
    out: dict[str, Any] = {"manifest": json.loads((data / "manifest.json").read_text())}
    out["build"] = machine.worker(
        ["bench/engine.py", "build", "--data", str(data), "--db", str(db)]
    )
    runs: dict[str, list[dict[str, Any]]] = {engine: [] for engine in ENGINES}
    for repeat in range(repeats):
        order = ENGINES if repeat % 2 == 0 else ENGINES[::-1]
        for engine in order:
            if engine == "rdflib" and "skipped" in out:
                continue
            args = ["bench/engine.py", "run", "--engine", engine, "--data", str(data)]
            try:
                run = machine.worker([*args, "--load-limit", str(load_limit)], load_limit * 3)
            except subprocess.TimeoutExpired:
                out["skipped"] = f"rdflib did not finish within {load_limit * 3:.0f} s"
                continue
            runs[engine].append(run)
            if "skipped_queries" in run:
                out["skipped"] = f"rdflib: {run['skipped_queries']}"
            print(f"  {engine}: load {run['load_s']:.2f} s", file=sys.stderr)
    out["runs"] = runs
    society = out["manifest"]["probe"]["society"]
    opens = ["bench/engine.py", "open", "--db", str(db), "--society", society, "--via"]
    out["cold_open"] = [
        machine.worker([*opens, via])
        for _ in range(COLD_OPENS)
        for via in ("pyoxigraph", "rcsgraph")
    ]
    return out


def summarise(raw: dict[str, Any]) -> dict[str, Any]:
    """Medians per size and engine."""
    summary: dict[str, Any] = {}
    for size, found in raw["sizes"].items():
        engines: dict[str, Any] = {}
        for engine, runs in found["runs"].items():
            timed = [r for r in runs if "queries" in r]
            engines[engine] = {
                "runs": len(runs),
                "load_s": mid([r["load_s"] for r in runs]),
                "baseline_mb": mid([r["memory_before_mb"]["VmRSS"] for r in runs]),
                "peak_after_load_mb": mid([r["memory_after_load_mb"]["VmHWM"] for r in runs]),
                "peak_end_mb": mid([r["memory_end_mb"]["VmHWM"] for r in timed]),
                "queries": {
                    name: {
                        "median_s": mid(
                            [s for r in timed for s in r["queries"][name]["samples_s"]]
                        ),
                        "rows": sorted({r["queries"][name]["rows"] for r in timed}),
                        "digests": sorted({r["queries"][name]["digest"] for r in timed}),
                    }
                    for name in QUERIES
                },
            }
        opens = found["cold_open"]
        summary[size] = {
            "engines": engines,
            "cold_open_s": {
                via: mid([o["open_to_answer_s"] for o in opens if o["via"] == via])
                for via in ("pyoxigraph", "rcsgraph")
            },
            "cold_open_max_s": max(
                o["open_to_answer_s"] for o in opens if o["via"] == "pyoxigraph"
            ),
        }
    return summary


def render(raw: dict[str, Any], summary: dict[str, Any]) -> list[str]:
    """The results as markdown."""
    lines = [
        "# Stores: Oxigraph and rdflib side by side",
        "",
        f"`python bench/stores.py --sizes {','.join(summary)}` (see `bench/README.md`). Each engine"
        " run is a fresh process loading the ontology and the generated data into the in-memory"
        " backend of `rcsgraph.store` (`OxigraphStore`, `RdflibStore`), one named graph per file;"
        f" runs alternate between engines, {raw['settings']['repeats']} per engine and size."
        " Times are medians; memory is the process's peak resident set (VmHWM) after loading, and"
        " in brackets that minus its resident set before loading (Python and libraries).",
        "",
        *machine.facts_table(raw["machine"]),
        "",
        "## Load, memory and the on-disk store",
        "",
    ]
    rows = []
    for size, found in raw["sizes"].items():
        ox, rd = summary[size]["engines"]["oxigraph"], summary[size]["engines"].get("rdflib", {})
        manifest, build = found["manifest"], found["build"]
        rows.append(
            (
                size,
                f"{manifest['triples']:,}",
                f"{build['quads']:,}",
                seconds(ox["load_s"]),
                seconds(rd.get("load_s", float("nan"))),
                ratio(rd.get("load_s", float("nan")), ox["load_s"]),
                f"{ox['peak_after_load_mb']:.0f} ({_net(ox):.0f})",
                f"{rd.get('peak_after_load_mb', float('nan')):.0f} ({_net(rd):.0f})",
                ratio(_net(rd), _net(ox)),
                seconds(build["build_s"]),
                f"{build['disk_mb']:.0f}",
            )
        )
    lines += table(
        [
            "size",
            "data triples",
            "quads with ontology",
            "load Oxigraph",
            "load rdflib",
            "rdflib/Ox",
            "peak MB Oxigraph (data)",
            "peak MB rdflib (data)",
            "rdflib/Ox",
            "on-disk build",
            "on-disk MB",
        ],
        rows,
    )
    lines += [
        "",
        "## Cold open of the on-disk store",
        "",
        f"A fresh process opens the store read-only and answers the point query; median of"
        f" {COLD_OPENS} (file cache warm: the store was just built). Target: under 0.3 s.",
        "",
    ]
    lines += table(
        [
            "size",
            "pyoxigraph `Store.read_only` → answer",
            "slowest of the runs",
            "`OxigraphStore(read_only=True).query` → answer",
        ],
        [
            (
                size,
                seconds(s["cold_open_s"]["pyoxigraph"]),
                seconds(s["cold_open_max_s"]),
                seconds(s["cold_open_s"]["rcsgraph"]),
            )
            for size, s in summary.items()
        ],
    )
    lines += [
        "",
        "## Query latency",
        "",
        "Median over all timed runs (after one warm-up run per process) of `Store.query`,"
        " which also turns the answer into rdflib terms. `same` says whether both engines"
        " gave the same rows.",
        "",
    ]
    for size, s in summary.items():
        ox, rd = s["engines"]["oxigraph"]["queries"], s["engines"].get("rdflib", {}).get("queries")
        rows = []
        for name, (what, _) in QUERIES.items():
            slow = rd[name]["median_s"] if rd else float("nan")
            same = (
                "-" if not rd else ("yes" if rd[name]["digests"] == ox[name]["digests"] else "NO")
            )
            rows.append(
                (
                    name,
                    what,
                    seconds(ox[name]["median_s"]),
                    seconds(slow),
                    ratio(slow, ox[name]["median_s"]),
                    ox[name]["rows"][0],
                    same,
                )
            )
        lines += [f"### {size}", ""]
        header = ["query", "what", "Oxigraph", "rdflib", "rdflib/Ox", "rows", "same"]
        lines += table(header, rows, text_columns=2)
        lines.append("")
    skipped = [
        f"- {size}: {found['skipped']}"
        for size, found in raw["sizes"].items()
        if "skipped" in found
    ]
    if skipped:
        lines += ["## Skipped", "", *skipped, ""]
    return lines


def _net(engine: dict[str, Any]) -> float:
    """Peak memory after loading minus the process's memory before (Python and libraries)."""
    if not engine:
        return float("nan")
    return float(engine["peak_after_load_mb"] - engine["baseline_mb"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10k,100k,1M")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--work", type=Path, default=machine.ROOT / "var" / "bench")
    parser.add_argument("--load-limit", type=float, default=600.0, help="seconds for rdflib")
    parser.add_argument("--render", action="store_true", help="rewrite the .md from the .json")
    args = parser.parse_args(argv)
    if args.render:
        raw = machine.read("stores")
        machine.write("stores", render(raw, raw["summary"]), raw)
        return 0
    raw: dict[str, Any] = {
        "machine": machine.facts(),
        "sizes": {},
        "settings": {"repeats": args.repeats, "load_limit_s": args.load_limit},
    }
    for size in args.sizes.split(","):
        triples = parse_size(size)
        print(f"{size_name(triples)}:", file=sys.stderr)
        data = ensure_data(args.work, triples)
        db = args.work / "stores" / size_name(triples)
        raw["sizes"][size_name(triples)] = measure(data, db, args.repeats, args.load_limit)
        summary = summarise(raw)
        machine.write("stores", render(raw, summary), {**raw, "summary": summary})
    return 0


if __name__ == "__main__":
    sys.exit(main())
