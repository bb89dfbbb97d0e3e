"""``bench/results/requests.md`` from the figures ``bench/requests.py`` measured."""

from statistics import median
from typing import Any

from bench import machine


def _rate(figures: dict[str, Any] | None) -> float:
    return float(figures["requests_per_s"]) if figures else float("nan")


def _ms(seconds: float) -> str:
    return "-" if seconds != seconds else f"{seconds * 1000:.3g} ms"


def _n(value: float) -> str:
    return "-" if value != value else f"{value:,.0f}"


def _x(value: float) -> str:
    return "-" if value != value else f"{value:.2f}x"


def _div(a: float, b: float) -> float:
    """a / b, or nan when b is 0 or not a number (a server that answered nothing in time)."""
    return a / b if b and b == b else float("nan")


def _errors(figures: dict[str, Any]) -> int:
    return int(figures.get("errors", 0)) + int(figures.get("non_2xx", 0))


def render(raw: dict[str, Any]) -> list[str]:
    facts = raw["facts"]
    # runs recorded before the defaults were kept with them had 8 threads
    serve = facts.get("serve", {"processes": 2, "threads": 8, "workers": 2})
    lines = [
        "# The cost of one request: rcsgraph against Oxigraph's server and its own baseline",
        "",
        f"`{raw['options']['command']}` (see `bench/README.md`). Servers on the same files, side"
        " by side in one run: `oxigraph serve-read-only --union-default-graph` on the store's"
        " current generation, `rcsgraph serve --store` now (granian, its defaults:"
        f" {serve['processes']} processes of {serve['threads']} threads, {serve['workers']} query"
        " workers each) and as of"
        f" `{raw['options']['baseline']}` (`rcsgraph-before`: waitress, 8 threads, 2 query"
        " workers). wrk with 2 threads and 8 connections (32 where said) for"
        f" {raw['options']['wrk_seconds']:g} s per figure; `afresh` requests carry"
        " `Cache-Control: no-cache` (evaluated each time), `repeated` ones do not (answered"
        " from the cache). The baseline has no cache for pages: its `afresh` is its only figure.",
        "",
        "| machine |  |",
        "|---|---|",
    ]
    for key in ("date", "cpus", "cpu", "python", "pyoxigraph", "commit", "load_average"):
        if key in facts:
            value = facts[key]
            shown = " ".join(f"{x:.2f}" for x in value) if key == "load_average" else value
            lines.append(f"| {key.replace('_', ' ')} | {shown} |")
    lines += ["", *_targets(raw)]
    for name, found in _stores(raw).items():
        lines += ["", f"## {name}", ""]
        run = found.get("run")
        if run:
            load = " ".join(f"{x:.2f}" for x in run.get("load_average") or [])
            lines += [
                f"Measured in one run finished {run['finished']} at commit {run['commit']}"
                f" (`{run['command']}`; load average {load} at its start).",
                "",
            ]
        lines += _lookups(found) + _pages(found) + _society(found) + _load(found)
        lines += _starts(found) + _queries(found) + _memory(found)
    return lines + PROFILE


def _stores(raw: dict[str, Any]) -> dict[str, Any]:
    """The stores in the order the command named them (the JSON keeps its keys sorted)."""
    named = [item.split("=", 1)[0] for item in raw.get("options", {}).get("store") or []]
    return dict(
        sorted(
            raw["stores"].items(), key=lambda s: named.index(s[0]) if s[0] in named else len(named)
        )
    )


def _targets(raw: dict[str, Any]) -> list[str]:
    """The issue's acceptance figures, per store, from this run."""
    lines = [
        "## Targets",
        "",
        "| target | " + " | ".join(_stores(raw)) + " |",
        "|---|" + "---|" * len(raw["stores"]),
    ]
    rows: dict[str, list[str]] = {}
    for found in _stores(raw).values():
        native = _rate(found["lookups"].get("oxigraph"))
        ours = _rate(found["lookups"].get("rcsgraph"))
        rows.setdefault("point lookups afresh ≥ 0.25x native", []).append(_x(_div(ours, native)))
        repeated = {
            k: _div(_rate(v.get("rcsgraph cached")), native) for k, v in found["pages"].items()
        }
        low = min(repeated, key=lambda k: repeated[k] if repeated[k] == repeated[k] else 0)
        rows.setdefault("repeated GETs ≥ 0.5x native (lowest)", []).append(
            f"{_x(repeated[low])} ({low})"
        )
        gains = {
            k: _div(_rate(v.get("rcsgraph")), _rate(v.get("rcsgraph-before")))
            for k, v in found["pages"].items()
            if k != "catalogue answer"
        }
        rows.setdefault("pages afresh ≥ 10x the baseline (lowest)", []).append(_lowest_gain(gains))
        society = found["society_32"]
        cells = []
        for key, label in (("rcsgraph cached", "repeated"), ("rcsgraph", "afresh")):
            if key in society:
                figures = society[key]
                cells.append(f"{label} {_ms(figures['p99_s'])}, {_errors(figures)} errors")
        rows.setdefault("society's page, 32 connections: p99 ≤ 50 ms, no error", []).append(
            "; ".join(cells)
        )
        load = found.get("load", {}).get("rcsgraph")
        rows.setdefault("bench/load.sh: p99 ≤ 50 ms, no error", []).append(
            f"{load.get('p99_ms')} ms, {load.get('errors', 0):.0f} errors" if load else "-"
        )
        starts = found["cold_start_s"].get("rcsgraph", [])
        rows.setdefault("cold start ≤ 0.3 s", []).append(_ms(median(starts)) if starts else "-")
        heavy = _heavy_ratios(found)
        worst = max(heavy, key=lambda k: heavy[k]) if heavy else None
        rows.setdefault("heavy queries ≤ 1.3x native (worst)", []).append(
            f"{_x(heavy[worst])} ({worst})" if worst else "-"
        )
    for target, cells in rows.items():
        lines.append(f"| {target} | " + " | ".join(cells) + " |")
    return lines


def _lowest_gain(gains: dict[str, float]) -> str:
    """The lowest gain over the baseline among the pages it answered, and the pages it did not
    answer (no ratio: it failed them all, as at 1M it fails ``/`` and the catalogue pages)."""
    answered = {k: v for k, v in gains.items() if v == v and v != float("inf")}
    failed = [k for k in gains if k not in answered]
    low = min(answered, key=lambda k: answered[k]) if answered else None
    cell = f"{_x(answered[low])} ({low})" if low else "-"
    return cell + (f"; the baseline answered no {', no '.join(failed)}" if failed else "")


def _heavy_ratios(found: dict[str, Any]) -> dict[str, float]:
    ratios = {}
    for query, per in found.get("queries", {}).items():
        if per["oxigraph"]["runs"] and per["rcsgraph"]["runs"]:
            native = machine.mid(per["oxigraph"]["runs"])
            if native >= 0.010:
                ratios[query] = machine.mid(per["rcsgraph"]["runs"]) / native
    return ratios


#: What profiling while building this said (2026-12-01, the same 2-core machine).
PROFILE = [
    "",
    "## Where the time goes (profiles taken while building this)",
    "",
    "- **A point lookup evaluated afresh** (`/sparql?query=…`, `no-cache`) never meets Flask"
    " (`rcsgraph.web.direct`) nor a worker: its form bounds its work (`scan.is_lookup`), so it"
    " is evaluated in the request's own thread. What is left over the native server is the"
    " Python of the request (granian's WSGI call, the limits, the cache key, negotiation) and"
    " the GIL that the request threads share.",
    "- **A page is two queries**: what starts from the thing (its own statements, the"
    " statements linking to it, its claims: three bounded subqueries of one UNION), then"
    " every statement of the claims, their evidence, selectors and articles, followed from"
    " the named claims. Five queries before: each query cost the web process more (binding,"
    " hand-over, conversion) than these parts cost the engine.",
    "- **Pages evaluated afresh at 1M are bounded by the engine's on-disk store.** Oxigraph's"
    " read-only RocksDB store costs about 16 us for each index lookup and about 3 us for each"
    " string it decodes: the society's page of the 1M graph (375 rows) spends 5.3-6 ms in the"
    " engine alone, the entity page of a country 2.1-2.5 ms; ten times the baseline would leave"
    " 6.0 ms and 3.4 ms of CPU for the whole request on 2 cores (Python, HTTP and wrk"
    " included). The same queries take a tenth of the time in Oxigraph's memory store, which"
    " is how a small store is read (`RCSGRAPH_COPY_BYTES`); at 1M a copy would take 680 MB"
    " and 14 s per process.",
    "- **Pages over a small store are Python**: their queries are evaluated in the request's"
    " own thread (no hand-over: about 0.25 ms of CPU per query), converted terms are found by"
    " the dictionary's own lookup, and once a server process has built its pages it leaves"
    " what it holds out of the garbage collector's rounds (`gc.freeze`, about 0.6 ms per"
    " society page). The rest is spread thin: the description's conversion to rdflib terms,"
    " its indexes, the evidence view and the HTML.",
    "- **Threads**: pages share one interpreter lock per process; with 8 threads per process"
    " the society's page at 32 connections had p99 167-211 ms, with 4 (the default now)"
    " 62-90 ms in the same alternation.",
    "- **Heavy queries** cost the same engine time in a worker as in the native server; what"
    " is left is the answer's way through the pipe and the web process (2 MB for the timeline),"
    " and the row count of a JSON answer (now counted by its separators, not parsed).",
    "- **Repeated GETs** never reach Flask: a hit is a dictionary lookup and one write, shared"
    " by the server processes through `/dev/shm`.",
    "- **Cold start**: `rcsgraph serve` imports granian (asyncio) and the endpoint (the scan's"
    " pattern for ASCII text is compiled before the server processes are forked; the full"
    " Unicode one, 26-50 ms to compile, when a request with another character first comes);"
    " the server processes answer a lookup from their own read-only handle of the store while"
    " the query workers start, and import Flask, rdflib and the pages after 1 s or on the"
    " first page. Both trees are compiled to bytecode before the run, as an installed package"
    " is (a source tree under `PYTHONDONTWRITEBYTECODE` compiles itself at every start).",
    "- **Noise**: 2 cores shared by wrk, the servers and anything else running; the native"
    " server's lookups alone vary by a third between runs, hence the alternating short runs"
    " and the load average at the top.",
]


def _lookups(found: dict[str, Any]) -> list[str]:
    native = _rate(found["lookups"].get("oxigraph"))
    lines = [
        "### Point lookups: `SELECT ?p ?o { <country> ?p ?o }`, 8 connections",
        "",
        "Short runs alternating between the servers; the median run of each (all runs' requests/s"
        " in the JSON).",
        "",
        "| server | requests/s | of oxigraph | p50 | p99 | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, figures in found["lookups"].items():
        mode = "repeated" if name.endswith("cached") else "afresh"
        server = name.removesuffix(" cached")
        rate = _rate(figures)
        lines.append(
            f"| {server} {mode} | {_n(rate)} | {_x(_div(rate, native))} | {_ms(figures['p50_s'])} "
            f"| {_ms(figures['p99_s'])} | {_errors(figures)} |"
        )
    return [*lines, ""]


def _pages(found: dict[str, Any]) -> list[str]:
    native = _rate(found["lookups"].get("oxigraph"))
    lines = [
        "### Pages, documents and catalogue answers, 8 connections (requests/s)",
        "",
        "`of oxigraph`: repeated GETs against the native server's lookups (it has no pages).",
        "",
        "| request | path | before afresh | now afresh | now / before | now repeated "
        "| of oxigraph | errors |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for label, per in found["pages"].items():
        before, now = _rate(per.get("rcsgraph-before")), _rate(per.get("rcsgraph"))
        repeated = _rate(per.get("rcsgraph cached"))
        errors = sum(_errors(f) for f in per.values())
        path = f"`{found.get('paths', {}).get(label, '')}`"
        lines.append(
            f"| {label} | {path} | {_n(before)} | {_n(now)} | {_x(_div(now, before))} "
            f"| {_n(repeated)} | {_x(_div(repeated, native))} | {errors} |"
        )
    return [*lines, ""]


def _society(found: dict[str, Any]) -> list[str]:
    lines = [
        "### The society's page at 32 connections",
        "",
        "| server | requests/s | p50 | p99 | errors |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, figures in found["society_32"].items():
        label = name.replace(" cached", " repeated") if "cached" in name else name + " afresh"
        lines.append(
            f"| {label} | {_n(_rate(figures))} | {_ms(figures['p50_s'])} "
            f"| {_ms(figures['p99_s'])} | {_errors(figures)} |"
        )
    return [*lines, ""]


def _load(found: dict[str, Any]) -> list[str]:
    if "load" not in found:
        return []
    lines = [
        "### `bench/load.sh`: 32 connections, the mixed requests of `bench/load.lua`",
        "",
        "| server | requests | requests/s | p50 | p99 | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, figures in found["load"].items():
        lines.append(
            f"| {name} | {_n(figures.get('requests', float('nan')))} "
            f"| {_n(figures.get('rps', float('nan')))} | {figures.get('p50_ms', '-')} ms "
            f"| {figures.get('p99_ms', '-')} ms | {_n(figures.get('errors', float('nan')))} |"
        )
    return [*lines, ""]


def _starts(found: dict[str, Any]) -> list[str]:
    lines = [
        "### Cold start: the command started, to its first answer (a lookup)",
        "",
        "| server | median | runs |",
        "|---|---:|---|",
    ]
    for name, runs in found["cold_start_s"].items():
        shown = ", ".join(f"{r * 1000:.0f}" for r in runs)
        lines.append(f"| {name} | {_ms(median(runs))} | {shown} ms |")
    return [*lines, ""]


def _queries(found: dict[str, Any]) -> list[str]:
    if "queries" not in found:
        return []
    names = found["servers"]
    lines = [
        "### Heavy queries over HTTP (median)",
        "",
        "| query | rows | " + " | ".join(names) + " | now / oxigraph |",
        "|---|---:|" + "---:|" * len(names) + "---:|",
    ]
    for query, per in found["queries"].items():
        mids = {n: machine.mid(per[n]["runs"]) if per[n]["runs"] else float("nan") for n in names}
        rows = per["oxigraph"].get("rows")
        cells = " | ".join(_ms(mids[n]) for n in names)
        lines.append(
            f"| `{query}` | {rows} | {cells} | {_x(_div(mids['rcsgraph'], mids['oxigraph']))} |"
        )
    return [*lines, ""]


def _memory(found: dict[str, Any]) -> list[str]:
    lines = [
        "### Memory after the load (every process of the server)",
        "",
        "| server | RSS MB | PSS MB | processes |",
        "|---|---:|---:|---:|",
    ]
    for name, figures in found["memory"].items():
        lines.append(
            f"| {name} | {_n(figures['rss_mb'])} | {_n(figures['pss_mb'])} "
            f"| {figures['processes']} |"
        )
    return [*lines, ""]
