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


def _errors(figures: dict[str, Any]) -> int:
    return int(figures.get("errors", 0)) + int(figures.get("non_2xx", 0))


def render(raw: dict[str, Any]) -> list[str]:
    facts = raw["facts"]
    lines = [
        "# The cost of one request: rcsgraph against Oxigraph's server and its own baseline",
        "",
        f"`{raw['options']['command']}` (see `bench/README.md`). Servers on the same files, side"
        " by side in one run: `oxigraph serve-read-only --union-default-graph` on the store's"
        " current generation, `rcsgraph serve --store` now (granian, its defaults: 2 processes"
        " of 8 threads, 2 query workers each) and as of"
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
    for name, found in raw["stores"].items():
        lines += ["", f"## {name}", ""]
        lines += _lookups(found) + _pages(found) + _society(found) + _load(found)
        lines += _starts(found) + _queries(found) + _memory(found)
    return lines


def _lookups(found: dict[str, Any]) -> list[str]:
    native = _rate(found["lookups"].get("oxigraph"))
    lines = [
        "### Point lookups: `SELECT ?p ?o { <country> ?p ?o }`, 8 connections",
        "",
        "| server | requests/s | of oxigraph | p50 | p99 | errors |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, figures in found["lookups"].items():
        mode = "repeated" if name.endswith("cached") else "afresh"
        server = name.removesuffix(" cached")
        rate = _rate(figures)
        lines.append(
            f"| {server} {mode} | {_n(rate)} | {_x(rate / native)} | {_ms(figures['p50_s'])} "
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
            f"| {label} | {path} | {_n(before)} | {_n(now)} | {_x(now / before)} | {_n(repeated)} "
            f"| {_x(repeated / native)} | {errors} |"
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
            f"| `{query}` | {rows} | {cells} | {_x(mids['rcsgraph'] / mids['oxigraph'])} |"
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
