"""The HTML of a catalogue query's page: its form, generated from the parameters, and its
results as a table of labelled links."""

from dataclasses import dataclass
from html import escape
from urllib.parse import urlencode

from flask import url_for

from rcsgraph.publish.describe import Listed
from rcsgraph.publish.iris import Iris
from rcsgraph.queries import CannedQuery, Param


@dataclass(frozen=True)
class Total:
    """How many rows the answer has, whether the endpoint's row cap cut it, and the query
    string that asks for the same answer in full."""

    rows: int
    capped: bool
    args: str


def page_html(
    query: CannedQuery,
    raw: dict[str, str],
    suggestions: dict[str, list[Listed]],
    results: str | None,
) -> str:
    """What the query answers, a form for its parameters (IRI parameters offer their
    ``suggestions``), then ``results`` (or a hint to run it), downloads and its text."""
    fields = "".join(
        _field(p, raw.get(p.name, p.default or ""), suggestions.get(p.name, []))
        for p in query.params
    )
    form = (
        f'<form method="get">{fields}<button type="submit">Run</button></form>'
        if query.params
        else ""
    )
    args = urlencode(raw)
    links = " · ".join(
        f'<a href="{url_for("queries.run", name=f"{query.name}.{s}")}?{escape(args)}">{s}</a>'
        for s in (
            ["json", "csv", "tsv", "xml"] if query.form == "SELECT" else ["ttl", "jsonld", "nt"]
        )
    )
    sparql_link = (
        url_for("sparql.sparql") + "?" + urlencode({"query": query.text, "format": "html"})
    )
    return (
        f"<h1>{escape(query.name)}</h1><p>{escape(query.description)}</p>{form}"
        + (
            f'<section aria-label="results">{results}</section>'
            if results is not None
            else "<p>Fill in the form and run the query to see its results.</p>"
        )
        + f'<p>Download: {links} · <a href="{escape(sparql_link)}">open in the SPARQL '
        f"endpoint</a></p><details><summary>SPARQL</summary><pre>{escape(query.text)}</pre>"
        "</details>"
    )


def table_html(
    query: CannedQuery,
    bindings: list[dict[str, dict[str, str]]],
    total: Total,
    labels: dict[str, str],
    names: Iris,
) -> str:
    """The rows shown (SPARQL JSON bindings) as a table, IRIs as links labelled from
    ``labels``, after how many rows there are and where to get them all."""
    columns = query.columns
    head = "".join(f'<th scope="col">{escape(c)}</th>' for c in columns)
    rows = "".join(
        "<tr>" + "".join(f"<td>{_cell(b.get(c), labels, names)}</td>" for c in columns) + "</tr>"
        for b in bindings
    )
    count = f"{total.rows:,}" + ("+" if total.capped else "")
    note = f"<p>{count} rows</p>"
    if total.capped or len(bindings) < total.rows:
        downloads = " or ".join(
            f'<a href="{url_for("queries.run", name=f"{query.name}.{s}")}?{escape(total.args)}">'
            f"{s.upper()}</a>"
            for s in ("json", "csv")
        )
        capped = " (cut at the endpoint's row cap: page with LIMIT/OFFSET)" if total.capped else ""
        note = (
            f"<p>{count} rows{capped}; the first {len(bindings):,} are shown. "
            f"All of them: {downloads}.</p>"
        )
    return f"{note}<table><thead><tr>{head}</tr></thead><tbody>{rows}</tbody></table>"


def _field(param: Param, value: str, suggestions: list[Listed]) -> str:
    label = f'<label for="{param.name}">{escape(param.name)}</label> '
    if param.enum:
        options = "".join(
            f"<option{' selected' if v == value else ''}>{escape(v)}</option>" for v in param.enum
        )
        control = f'<select id="{param.name}" name="{param.name}">{options}</select>'
    else:
        kind = "number" if param.type == "integer" else "date" if param.type == "date" else "text"
        listing = ""
        if suggestions:
            options = "".join(
                f'<option value="{escape(t.iri)}">{escape(t.label)}</option>' for t in suggestions
            )
            listing = f'<datalist id="{param.name}-suggestions">{options}</datalist>'
        control = (
            f'<input id="{param.name}" name="{param.name}" type="{kind}" '
            f'value="{escape(value)}" size="60"'
            + (f' list="{param.name}-suggestions" inputmode="url"' if listing else "")
            + (" required" if param.default is None else "")
            + f">{listing}"
        )
    return f"<p>{label}{control} <small>{escape(param.description)}</small></p>"


def _cell(term: dict[str, str] | None, labels: dict[str, str], names: Iris) -> str:
    if term is None:
        return ""
    value = escape(term["value"])
    if term["type"] == "uri":
        href = escape(names.href(term["value"]) or term["value"])
        label = labels.get(term["value"])
        if label:
            return f'<a href="{href}" title="{value}">{escape(label)}</a>'
        return f'<a href="{href}">{value}</a>'
    return value
