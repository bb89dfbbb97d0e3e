"""``/queries``: the canned-query catalogue over HTTP, its OpenAPI document and RDF examples."""

import json
from functools import cache
from html import escape
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, request, url_for

from rcsgraph import queries
from rcsgraph.publish import explorer
from rcsgraph.publish.artefacts import Listing
from rcsgraph.publish.describe import Listed
from rcsgraph.publish.iris import Iris
from rcsgraph.publish.rdfdoc import serialize
from rcsgraph.queries import CannedQuery, Param
from rcsgraph.queries.described import examples, openapi
from rcsgraph.sparql import conneg
from rcsgraph.sparql.results import Answer
from rcsgraph.web.pages import catalogue_page
from rcsgraph.web.pages.explorer_page import STYLE as VIEW_STYLE
from rcsgraph.web.pages.explorer_page import figure_html, timeline_html
from rcsgraph.web.pages.shell import page
from rcsgraph.web.service import held_articles, publication
from rcsgraph.web.views.linked_data import iris
from rcsgraph.web.views.sparql import endpoint

blueprint = Blueprint("queries", __name__)
VARY = {"Vary": "Accept"}

SUFFIXES = {
    "json": "json",
    "csv": "csv",
    "tsv": "tsv",
    "xml": "xml",
    "ttl": "ttl",
    "jsonld": "jsonld",
    "nt": "nt",
    "html": "html",
}

#: HXL hashtags (humanitarian exchange language) for the catalogue's column names.
HXL = {
    "country": "#country+uri",
    "label": "#meta+label",
    "iso2": "#country+code+v_iso2",
    "iso3": "#country+code",
    "wikidata": "#country+code+v_wikidata",
    "geonames": "#country+code+v_geonames",
    "region": "#region+name",
    "regionLabel": "#region+name",
    "subregion": "#region+name+sub",
    "facilities": "#indicator+num+facilities",
    "society": "#org+uri",
    "countryLabel": "#country+name",
    "founded": "#date+founded",
    "head": "#contact+uri",
    "headLabel": "#contact+name",
    "mission": "#activity+uri",
    "place": "#loc+uri",
    "placeLabel": "#loc+name",
    "date": "#date",
    "year": "#date+year",
    "event": "#event+uri",
    "roles": "#meta+roles",
    "countries": "#indicator+num+countries",
}


@cache
def catalogue() -> dict[str, CannedQuery]:
    return queries.load_catalogue()


@blueprint.route("/queries")
def index() -> Response:
    """The catalogue: HTML for people, JSON for programs."""
    wanted = conneg.choose(request.headers.get("Accept"), ["application/json", "text/html"])
    if wanted is None:
        abort(406, "the catalogue is available as application/json or text/html")
    if wanted == "application/json":
        listing = [
            {
                "name": q.name,
                "summary": q.summary,
                "view": q.view,
                "params": [p.name for p in q.params],
                "columns": list(q.columns),
                "url": url_for("queries.run", name=q.name, _external=True),
            }
            for q in catalogue().values()
        ]
        return Response(
            json.dumps(listing, indent=1), content_type="application/json", headers=VARY
        )
    items = "".join(
        f'<li><a href="{url_for("queries.run", name=q.name)}"><strong>{escape(q.name)}</strong></a>'
        f" — {escape(q.summary)}</li>"
        for q in catalogue().values()
    )
    body = (
        f'<h1>Query catalogue</h1><ul class="catalogue">{items}</ul>'
        f'<p><a href="{url_for("queries.openapi_document")}">OpenAPI document</a> · '
        f'<a href="{url_for("queries.sparql_examples")}">the queries as RDF</a></p>'
    )
    return Response(
        page("Query catalogue", body, articles=held_articles()),
        content_type="text/html; charset=utf-8",
        headers=VARY,
    )


@blueprint.route("/queries/<name>")
def run(name: str) -> Response:
    """Run a canned query with the request's parameters, in the negotiated format."""
    stem, _, suffix = name.partition(".")
    query = catalogue().get(stem) or abort(404, f"no query named {stem!r} (see /queries)")
    if suffix and suffix not in SUFFIXES:
        abort(404, f"unknown format suffix .{suffix}")
    raw = {k: v for k, v in request.args.items() if k not in ("format", "hxl")}
    media = _media(query, suffix, request.args.getlist("format"))
    unset = any(p.default is None and not raw.get(p.name) for p in query.params)
    if media == "text/html" and unset:  # the empty form: nothing to run yet
        return Response(
            page(query.name, form_page(query, raw, None), VIEW_STYLE, held_articles()),
            content_type="text/html; charset=utf-8",
            headers=VARY,
        )
    bindings = queries.bind(query, raw)
    if media == "text/html":
        answer = endpoint().run_canned(
            query.text,
            query.columns,
            bindings,
            conneg.RESULT_TYPES["json"] if query.form == "SELECT" else conneg.RDF_TYPES["ttl"],
        )
        return Response(
            page(query.name, form_page(query, raw, answer), VIEW_STYLE, held_articles()),
            content_type="text/html; charset=utf-8",
            headers=VARY,
        )
    answer = endpoint().run_canned(query.text, query.columns, bindings, media)
    body = answer.body
    if media == "text/csv" and request.args.get("hxl") in ("1", "true", "yes"):
        body = with_hxl(body, query.columns)
    headers = {**answer.headers, **VARY}
    return Response(body, content_type=_charset(media), headers=headers)


def _media(query: CannedQuery, suffix: str, formats: list[str]) -> str:
    """A suffix names the type (406 when the query cannot answer in it); else the first
    ``format=`` name on offer; else Accept (``*/*`` or none: JSON, or Turtle for a graph)."""
    table = conneg.RESULT_TYPES if query.form == "SELECT" else conneg.RDF_TYPES
    offers = {**table, "html": "text/html"}
    if suffix:
        return conneg.by_format(suffix, offers) or abort(
            406, f"{query.name} answers in {', '.join(offers)}, not .{suffix}"
        )
    media = conneg.by_format(formats, offers)  # a name on offer nowhere: Accept decides
    if media is not None:
        return media
    media = conneg.choose(request.headers.get("Accept"), [*table.values(), "text/html"])
    if media is None:
        abort(406, f"{query.name} answers in {', '.join(offers.values())}")
    return media


def with_hxl(csv: bytes, columns: tuple[str, ...]) -> bytes:
    """The CSV with an HXL hashtag row after its header."""
    header, _, rest = csv.partition(b"\r\n")
    tags = ",".join(HXL.get(c, f"#meta+{c.lower()}") for c in columns)
    return header + b"\r\n" + tags.encode() + b"\r\n" + rest


#: Things offered as suggestions for an IRI parameter.
SUGGESTED = 2000


def form_page(query: CannedQuery, raw: dict[str, str], answer: Answer | None) -> str:
    """The query's page: what it answers, a form for its parameters, the results in the
    query's declared view (a map or a timeline above the table)."""
    names = iris()
    listing = publication().listing()
    suggestions = {p.name: _suggestions(p, listing) for p in query.params if p.type == "iri"}
    results = None
    if answer is not None:
        results = results_html(query, answer, raw, names)
    return catalogue_page.page_html(query, raw, suggestions, results)


def _suggestions(param: Param, listing: Listing) -> list[Listed]:
    """What an IRI parameter may be: the things of the kind it is named after (``society`` →
    ``id/society/…``), or labelled things of every kind but claims."""
    if param.name in listing.kinds:
        return listing.listed(param.name, SUGGESTED)
    # each kind's things are listed by label: the first of all are among the first of each
    every = [
        t for kind in listing.kinds if kind != "claim" for t in listing.listed(kind, SUGGESTED)
    ]
    return sorted(every, key=lambda t: (t.label.lower(), t.iri))[:SUGGESTED]


def results_html(query: CannedQuery, answer: Answer, raw: dict[str, str], names: Iris) -> str:
    """The answer as a table of labelled links (at most ``Settings.page_rows`` rows), after a
    map or timeline if the query's view is one (a CONSTRUCT answer as Turtle)."""
    if query.form != "SELECT":
        return f"<pre>{escape(answer.body.decode('utf-8'))}</pre>"
    document: dict[str, Any] = json.loads(answer.body)
    bindings = document["results"]["bindings"]
    shown = bindings[: endpoint().settings.page_rows]
    iris_shown = [t["value"] for row in shown for t in row.values() if t["type"] == "uri"]
    labels = publication().labels(iris_shown)
    total = catalogue_page.Total(len(bindings), bool(answer.truncated), urlencode(raw))
    return _view(query, bindings, names) + catalogue_page.table_html(
        query, shown, total, labels, names
    )


def _view(query: CannedQuery, bindings: list[dict[str, dict[str, str]]], names: Iris) -> str:
    """The declared view of the rows: a map of the countries they name, or a timeline."""
    if query.view == "map":
        values = [term["value"] for row in bindings for term in row.values()]
        marks = explorer.marks_for(publication().countries(), values)
        return figure_html(marks, names) if marks else ""
    if query.view == "timeline":
        events = explorer.events_from(query.columns, bindings)[: endpoint().settings.page_rows]
        return timeline_html(events, names) if events else ""
    return ""


def _charset(media: str) -> str:
    return media + ("; charset=utf-8" if media.startswith("text/") or "json" in media else "")


@blueprint.route("/openapi.json")
def openapi_document() -> Response:
    document = openapi(catalogue(), request.url_root)
    return Response(json.dumps(document, indent=1), content_type="application/json")


@blueprint.route("/.well-known/sparql-examples")
def sparql_examples() -> Response:
    media = conneg.choose(
        request.headers.get("Accept"),
        ["text/turtle", "application/ld+json", "application/n-triples"],
    )
    if media is None:
        abort(406, "the examples are available as Turtle, JSON-LD or N-Triples")
    graph = examples(catalogue(), request.url_root, url_for("sparql.sparql", _external=True))
    return Response(serialize(graph, media), content_type=_charset(media), headers=VARY)
