"""The markdown of ``bench/results/endpoint.md`` from the raw figures of ``bench/endpoint.py``."""

from typing import Any

from bench.machine import facts_table, megabytes, mid, seconds, table

OURS, NATIVE, PEER, BEFORE = "rcsgraph", "oxigraph", "rdflib-endpoint", "rcsgraph-before"
HEAVY_MS = 10.0  # a query is heavy when Oxigraph's own server needs at least this long

TARGETS = (
    "every heavy query (Oxigraph's median ≥ 10 ms) ≤ 1.3x `oxigraph serve-read-only`",
    "point lookups at 8 connections ≥ 0.25x its throughput",
    "every query ≥ 20x faster than rdflib-endpoint where it can run them",
    "cold start to first answer ≤ 0.5 s",
    "resident memory ≤ 0.6 GB",
)


#: What the profiles said (py-spy on the server under wrk, cProfile of a request, -X importtime),
#: taken while tuning; the figures above are the ones of this run.
PROFILE = [
    "## Where rcsgraph's time goes (profiles taken while tuning)",
    "",
    "- **Fixed cost per request, about 2-3 ms**: with wrk on point lookups (no cache) the web "
    "process runs at ~75% of a core and each query worker at ~11%: waitress's HTTP parsing, "
    "Flask/werkzeug request objects and URL decoding, the safety scan of the query "
    "(`rcsgraph.sparql.scan.scan`, 0.2-0.5 ms) and the pipe round trip to a worker (pickled "
    "job and answer) cost more CPU than the engine's 0.3 ms answer. Oxigraph's Rust server "
    "spends ~0.2 ms in all. That is why lookups reach only ~0.1-0.2x of its throughput when "
    "evaluated each time, and why small queries show the largest ratios.",
    "- **Heavy queries**: the same query evaluated by pyoxigraph in-process is 2-10% slower "
    "than by `oxigraph serve` (tight interleaving at 100k: `cooperations` 55.5 vs 50.4 ms, "
    "`generic:join` 27.8 vs 25.9 ms), plus the fixed cost above. Writing answers row by row in "
    "Python cost as much as evaluating them (`timeline` at 100k: 472 ms vs 90 ms); answers "
    "are now written by the engine (`LIMIT cap+1` keeps the row cap announced).",
    "- **Cold start**: importing the web application (Flask ~0.2 s, rdflib ~0.15 s, the page "
    "blueprints and their imports, the scanner's regular expressions ~0.06 s, the catalogue) "
    "is ~0.5-0.6 s of CPU before the first answer; the workers now open the store in "
    "parallel with that (fork server started first), and `serve` no longer imports pyshacl "
    "or rdflib's SPARQL engine. Below 0.5 s needs the web layer to import less at start "
    "(blueprints loaded on first use) or a pre-started process.",
    "- **What would close the remaining distance**: answering repeated requests from the "
    "answer cache (done: ETag/304 and kept answers, shown as `cached`); more web processes "
    "sharing the port where cores allow; moving the safety scan and the protocol into the "
    "worker so the web process only relays bytes. Ratios are of medians of interleaved runs "
    "on a 2-core machine shared with other work (see the load average above): expect "
    "±20% noise on any single figure.",
]


def render(raw: dict[str, Any]) -> list[str]:
    """The whole results page."""
    options = raw["options"]
    lines = [
        "# SPARQL endpoint: rcsgraph against Oxigraph's server and rdflib-endpoint",
        "",
        f"`python bench/endpoint.py --sizes {options['sizes']}"
        + (f" --baseline {options['baseline']}" if options.get("baseline") else "")
        + "` (see `bench/README.md`). Every server answers over HTTP on 127.0.0.1 from the "
        "same data: `rcsgraph serve --store DIR`; `oxigraph serve-read-only "
        "--union-default-graph` on the store's current generation (the same files); "
        "rdflib-endpoint loading the same N-Triples. Servers are interleaved (the order "
        "rotates each round); medians of "
        f"{options['repeats']} runs after a warm-up ({options['rdflib_repeats']} for "
        "rdflib-endpoint), answers as SPARQL JSON, each query's rows compared. Throughput: "
        f"`wrk` for {options['wrk_seconds']:g} s per server and connection count, one lookup "
        "URL (the `generic:point` query). Memory: RSS and PSS summed over the server's "
        "processes (rcsgraph: web process, fork server, query workers), after the load."
        + (
            f" `rcsgraph-before` is rcsgraph as of `{options['baseline']}` (before the tuning), "
            "run in the same session."
            if options.get("baseline")
            else ""
        ),
        "",
        *facts_table(raw["facts"]),
        "",
    ]
    for size, found in raw["sizes"].items():
        lines += _size(size, found)
    largest = list(raw["sizes"])[-1] if raw["sizes"] else None
    if largest:
        lines += _targets(largest, raw["sizes"][largest])
    return [*lines, "", *PROFILE]


def _size(size: str, found: dict[str, Any]) -> list[str]:
    names = found["servers"]
    triples = found["manifest"]["triples"]
    lines = [f"## {size} ({triples:,} triples of data)", "", "### Query latency (median)", ""]
    header = ["query", "rows", *names, "ours / oxigraph"]
    if PEER in names:
        header.append("rdflib / ours")
    rows = []
    for query, per in found["queries"].items():
        rows.append(_query_row(query, per, names))
    lines += [*table(header, rows), ""]
    failures = [
        f"- `{query}` on {name}: {entry['error']}"
        for query, per in found["queries"].items()
        for name, entry in per.items()
        if "error" in entry
    ]
    if failures:
        lines += ["Failed (no figure):", "", *failures, ""]
    lines += _lookups(found) + _starts(found, names)
    return lines


def _query_row(query: str, per: dict[str, Any], names: list[str]) -> tuple[Any, ...]:
    counts = {per[n]["rows"] for n in names if per[n]["rows"] is not None}
    rows = str(counts.pop()) if len(counts) == 1 else " / ".join(str(per[n]["rows"]) for n in names)
    cells = [_latency(per[n]) for n in names]
    ours, native = mid(per[OURS]["runs"]), mid(per[NATIVE]["runs"])
    row = [f"`{query}`", rows, *cells, _times(ours, native)]
    if PEER in names:
        row.append(_times(mid(per[PEER]["runs"]), ours) if per[PEER]["runs"] else "-")
    return tuple(row)


def _latency(entry: dict[str, Any]) -> str:
    if entry["runs"]:
        return seconds(mid(entry["runs"]))
    return "failed" if "error" in entry else "-"


def _times(slow: float, fast: float) -> str:
    if slow != slow or fast != fast or fast == 0:
        return "-"
    return f"{slow / fast:.2f}x"


def _lookups(found: dict[str, Any]) -> list[str]:
    if "lookups" not in found:
        return ["(`wrk` is not installed: no throughput figures.)", ""]
    rows = []
    for name, per in found["lookups"].items():
        for connections, figures in per.items():
            native = found["lookups"][NATIVE][connections]["requests_per_s"]
            rows.append(
                (
                    name,
                    connections,
                    f"{figures['requests_per_s']:,.0f}",
                    f"{figures['requests_per_s'] / native:.2f}x" if native else "-",
                    seconds(figures["p50_s"]),
                    seconds(figures["p99_s"]),
                    figures["non_2xx"] + figures["errors"],
                )
            )
    header = ["server", "connections", "requests/s", "of oxigraph", "p50", "p99", "errors"]
    note = (
        "Every request carries `Cache-Control: no-cache` (evaluated afresh) except the "
        "`cached` rows: rcsgraph answering the same URL from its answer cache "
        "(`rcsgraph.web.cache`)."
    )
    return ["### Point lookups (wrk)", "", note, "", *table(header, rows, text_columns=2), ""]


def _starts(found: dict[str, Any], names: list[str]) -> list[str]:
    rows = []
    for name in names:
        starts = found["cold_start_s"][name]
        end = found["memory_end"][name]
        rows.append(
            (
                name,
                seconds(mid(starts)),
                len(starts),
                megabytes(found["memory_start"][name]["rss_mb"]),
                megabytes(end["rss_mb"]),
                megabytes(end["pss_mb"]),
                end["processes"],
            )
        )
    header = ["server", "cold start (median)", "starts", "RSS idle MB", "RSS MB", "PSS MB", "procs"]
    return ["### Cold start and memory", "", *table(header, rows), ""]


def _targets(size: str, found: dict[str, Any]) -> list[str]:
    """Each target at the largest size: the figure of rcsgraph (and of the baseline, if run)."""
    names = [n for n in (OURS, BEFORE) if n in found["servers"]]
    columns = [_target_figures(found, name) for name in names]
    rows = [(target, *(c[i] for c in columns)) for i, target in enumerate(TARGETS)]
    return [f"## Targets at {size}", "", *table(["target", *names], rows)]


def _target_figures(found: dict[str, Any], name: str) -> list[str]:
    queries = found["queries"]
    heavy = {
        q: mid(p[name]["runs"]) / mid(p[NATIVE]["runs"])
        for q, p in queries.items()
        if mid(p[NATIVE]["runs"]) * 1000 >= HEAVY_MS
    }
    worst = max(heavy.items(), key=lambda item: item[1]) if heavy else ("-", float("nan"))
    over = sum(1 for r in heavy.values() if r > 1.3)
    results = [f"worst `{worst[0]}` {worst[1]:.2f}x; {over} of {len(heavy)} heavy over 1.3x"]
    lookups = found.get("lookups", {})
    if lookups:
        native = lookups[NATIVE]["8"]["requests_per_s"]
        share = lookups[name]["8"]["requests_per_s"] / native
        cached = lookups[name + " cached"]["8"]["requests_per_s"] / native
        results.append(f"{share:.2f}x evaluated each time; {cached:.2f}x repeated URL (cache)")
    else:
        results.append("-")
    if PEER in found["servers"]:
        speedups = {
            q: mid(p[PEER]["runs"]) / mid(p[name]["runs"])
            for q, p in queries.items()
            if p[PEER]["runs"]
        }
        low = min(speedups.items(), key=lambda item: item[1]) if speedups else ("-", float("nan"))
        under = sum(1 for r in speedups.values() if r < 20)
        failed = len(queries) - len(speedups)
        results.append(
            f"lowest `{low[0]}` {low[1]:.2g}x; {under} of {len(speedups)} under 20x"
            + (f"; rdflib-endpoint failed or timed out on {failed}" if failed else "")
        )
    else:
        results.append("rdflib-endpoint not run at this size")
    results.append(seconds(mid(found["cold_start_s"][name])))
    end = found["memory_end"][name]
    results.append(f"{end['rss_mb'] / 1024:.2f} GB RSS ({end['pss_mb'] / 1024:.2f} GB PSS)")
    return results
