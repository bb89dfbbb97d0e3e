"""Median run time of every canned query, on the article graph and on a generated graph.

    python bench/catalogue.py [--size 1M] [--repeats 15]

Runs each query of ``rcsgraph/queries`` through ``rcsgraph.queries.run`` on the Oxigraph engine
(in memory), with its defaults (or its example where it has no default), after one warm-up run.
The generated graph comes from ``bench/generate.py`` (built into ``var/bench/data/`` when absent).
Writes ``bench/results/catalogue.md`` and ``catalogue.json``.
"""

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rdflib import Literal

from bench.generate import generate, parse_size
from rcsgraph import queries
from rcsgraph.graph.loading import fill_store
from rcsgraph.namespaces import ID_BASE
from rcsgraph.store import OxigraphStore

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def arguments(store: OxigraphStore, query: queries.CannedQuery) -> dict[str, str]:
    """Defaults, and for each IRI parameter a thing of the same kind that ``store`` holds (the
    examples name the article's things, which a generated graph does not have)."""
    chosen = {}
    for param in query.params:
        value = param.default or param.example
        if param.type == "iri" and value and store.count() > 100_000:
            value = first_of_kind(store, value)
        if value is not None:
            chosen[param.name] = value
    return chosen


def first_of_kind(store: OxigraphStore, example: str) -> str:
    """The first thing of the kind of ``example`` (``…/id/KIND/…``) that ``store`` has claims
    about: a generated graph's stand-in for an example that names the article's things."""
    kind = example.split("/id/")[1].split("/")[0]
    found = store.query(_FIRST_OF_KIND, {"prefix": Literal(f"{ID_BASE}{kind}/")})
    return str(found.rows[0][1])


_FIRST_OF_KIND = """
SELECT ?prefix ?thing WHERE {
  ?thing a ?type . FILTER STRSTARTS(STR(?thing), ?prefix)
  FILTER EXISTS { ?claim <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?thing }
} ORDER BY ?thing LIMIT 1
"""


def timings(store: OxigraphStore, repeats: int) -> dict[str, dict[str, float]]:
    """Per query: median and fastest milliseconds, and the number of rows."""
    found = {}
    for name, query in queries.load_catalogue().items():
        params = arguments(store, query)
        answer = queries.run(store, query, params)  # warm-up
        runs = []
        for _ in range(repeats):
            start = time.perf_counter()
            queries.run(store, query, params)
            runs.append((time.perf_counter() - start) * 1000)
        size = len(answer.rows) if answer.kind == "select" else len(answer.triples)
        found[name] = {"median_ms": statistics.median(runs), "min_ms": min(runs), "rows": size}
    return found


def generated_store(size: str) -> tuple[OxigraphStore, int]:
    folder = ROOT / "var" / "bench" / "data" / size
    if not (folder / "manifest.json").exists():
        generate(parse_size(size), folder)
    files = sorted(folder.glob("*.nt"))
    store = OxigraphStore()
    fill_store(store, files)
    return store, store.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="1M")
    parser.add_argument("--repeats", type=int, default=15)
    args = parser.parse_args()
    article = OxigraphStore()
    fill_store(article)
    big, quads = generated_store(args.size)
    results = {
        "article": {"quads": article.count(), "queries": timings(article, args.repeats)},
        args.size: {"quads": quads, "queries": timings(big, args.repeats)},
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "catalogue.json").write_text(json.dumps(results, indent=1) + "\n")
    (RESULTS / "catalogue.md").write_text(report(results, args.size, args.repeats))


def report(results: dict[str, dict], size: str, repeats: int) -> str:  # type: ignore[type-arg]
    article, big = results["article"], results[size]
    lines = [
        "# Canned queries: median run time (Oxigraph, in memory)",
        "",
        f"`python bench/catalogue.py --size {size}`: each query of the catalogue through "
        f"`rcsgraph.queries.run`, {repeats} runs after one warm-up, defaults or examples as "
        "parameters (on the generated graph an IRI parameter names the first thing of its kind). "
        f"Article graph: {article['quads']:,} quads; generated graph: "
        f"{big['quads']:,} quads (`bench/generate.py`).",
        "",
        f"| query | article: median | rows | {size}: median | rows |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, small in article["queries"].items():
        large = big["queries"][name]
        lines.append(
            f"| `{name}` | {small['median_ms']:.2f} ms | {small['rows']} | "
            f"{large['median_ms']:.1f} ms | {large['rows']} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
