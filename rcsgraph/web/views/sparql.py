"""``/sparql``: the SPARQL 1.1 Protocol endpoint and its service description."""

import json
from html import escape

from flask import Blueprint, Response, current_app, request
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from rcsgraph.namespaces import ID_BASE, ONTOLOGY_IRI, PREFIXES
from rcsgraph.publish.rdfdoc import serialize
from rcsgraph.queries import load_catalogue
from rcsgraph.sparql import conneg
from rcsgraph.sparql.endpoint import Endpoint, NotAcceptable
from rcsgraph.sparql.endpoint import Request as SparqlRequest
from rcsgraph.sparql.results import Answer
from rcsgraph.web import protocol
from rcsgraph.web.direct import answer_headers
from rcsgraph.web.pages.explorer_page import STYLE as MAP_STYLE
from rcsgraph.web.pages.shell import page
from rcsgraph.web.service import held_articles, publication

blueprint = Blueprint("sparql", __name__)
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
#: The service description: RDF for programs (no Accept, ``*/*``), the editor for browsers.
SD_TYPES = {**{k: conneg.RDF_TYPES[k] for k in ("ttl", "jsonld", "rdf", "nt")}, "html": "text/html"}
#: The editor's own assets: CodeMirror 5 and its SPARQL mode as built into static/vendor/.
EDITOR_HEAD = (
    '<link rel="stylesheet" href="/static/vendor/codemirror/lib/codemirror.css">'
    + MAP_STYLE
    + """<style>
.CodeMirror { border: 1px solid #767676; height: auto; font-size: 0.95rem; }
.CodeMirror-scroll { min-height: 14rem; }
.CodeMirror-focused { outline: 3px solid #0b57a4; outline-offset: 1px; }
.cm-s-default .cm-comment, .cm-s-default .cm-bracket, .CodeMirror-linenumber { color: #5c5c5c; }
#query-help, small.iri { color: var(--muted); }
</style>"""
)
EDITOR_SCRIPTS = (
    '<script src="/static/vendor/codemirror/lib/codemirror.js"></script>'
    '<script src="/static/vendor/codemirror/mode/sparql/sparql.js"></script>'
    '<script src="/static/editor.js"></script>'
)


def endpoint() -> Endpoint:
    found: Endpoint = current_app.extensions["rcsgraph"]
    return found


# OPTIONS: CORS preflights are answered before Flask (web/cors.py); a plain one gets Allow.
@blueprint.route("/sparql", methods=["GET", "POST"], provide_automatic_options=False)
def sparql() -> Response:
    """Answer a query or update; without one, describe the service."""
    operation = protocol.read(request)
    if operation is None:
        return service_description()
    if request.method == "GET" and request.args.get("format") == "html":
        return editor(operation.text)  # a link that opens the query in the editor
    answer = endpoint().handle(
        SparqlRequest(
            kind=operation.kind,
            text=operation.text,
            accept=request.headers.get("Accept"),
            format=",".join(operation.formats) or None,
            authorization=request.headers.get("Authorization"),
            default_graphs=operation.default_graphs,
            named_graphs=operation.named_graphs,
            base_iri=request.base_url,
        )
    )
    return _response(answer)


@blueprint.route("/sparql", methods=["OPTIONS"])
def preflight() -> Response:
    return Response(status=204, headers={"Allow": "GET, POST, OPTIONS"})


def _response(answer: Answer) -> Response:
    """The answer with the same headers as from ``rcsgraph.web.direct``."""
    return Response(answer.body, status=200, headers=answer_headers(answer))


def editor(query: str) -> Response:
    """The editor page with ``query`` in it, not yet run."""
    graph = describe(request.base_url, endpoint())
    return Response(
        _page(graph, request.base_url, query),
        content_type="text/html; charset=utf-8",
        headers={"Vary": "Accept"},
    )


def service_description() -> Response:
    """The SPARQL Service Description of this endpoint, as RDF or as an HTML page."""
    wanted = conneg.by_format(request.args.getlist("format"), SD_TYPES)
    media = wanted or conneg.choose(request.headers.get("Accept"), list(SD_TYPES.values()))
    if media is None:
        raise NotAcceptable(
            "the service description is available as " + ", ".join(SD_TYPES.values())
        )
    graph = describe(request.base_url, endpoint())
    if media == "text/html":
        return Response(
            _page(graph, request.base_url),
            content_type="text/html; charset=utf-8",
            headers={"Vary": "Accept"},
        )
    return Response(
        serialize(graph, media),  # deterministic: the same service, the same bytes
        content_type=media + "; charset=utf-8",
        headers={"Vary": "Accept"},
    )


def describe(url: str, served: Endpoint) -> Graph:
    """``sd:Service`` with its languages, result formats, features and named graphs."""
    graph = Graph()
    graph.bind("sd", SD)
    service = URIRef(url)
    graph.add((service, RDF.type, SD.Service))
    graph.add((service, SD.endpoint, service))
    graph.add((service, SD.supportedLanguage, SD.SPARQL11Query))
    if served.settings.update_token:
        graph.add((service, SD.supportedLanguage, SD.SPARQL11Update))
    graph.add((service, SD.feature, SD.UnionDefaultGraph))
    for name in (
        "SPARQL_Results_JSON",
        "SPARQL_Results_XML",
        "SPARQL_Results_CSV",
        "SPARQL_Results_TSV",
        "Turtle",
        "N-Triples",
        "JSON-LD",
        "RDF_XML",
    ):
        graph.add((service, SD.resultFormat, FORMATS[name]))
    dataset, default = BNode(), BNode()
    graph.add((service, SD.defaultDataset, dataset))
    graph.add((dataset, RDF.type, SD.Dataset))
    graph.add((dataset, SD.defaultGraph, default))
    graph.add((default, RDF.type, SD.Graph))
    for name in sorted(served.graphs):
        node = BNode()
        graph.add((dataset, SD.namedGraph, node))
        graph.add((node, RDF.type, SD.NamedGraph))
        graph.add((node, SD.name, URIRef(name)))
    graph.add(
        (
            service,
            URIRef("http://www.w3.org/2000/01/rdf-schema#comment"),
            Literal(
                "rcsgraph SPARQL endpoint: the default graph is the union of the named "
                f"graphs; queries stop after {served.settings.timeout:g} s; answers are "
                f"capped at {served.settings.row_cap} rows (announced).",
                lang="en",
            ),
        )
    )
    return graph


def _page(graph: Graph, url: str, query: str = "SELECT * WHERE { ?s ?p ?o } LIMIT 10") -> str:
    """The editor: examples from the catalogue, prefixes, results as a table (static/editor.js);
    without JavaScript the form still sends the query and answers in SPARQL JSON."""
    graphs = "".join(
        f"<li><code>{escape(str(g))}</code></li>"
        for g in sorted(graph.objects(None, SD.name), key=str)
    )
    catalogue = load_catalogue()
    options = "".join(
        f'<option value="{escape(q.name)}">{escape(q.name)}: {escape(q.summary)}</option>'
        for q in catalogue.values()
    )
    data = {
        "examples": {q.name: q.text for q in catalogue.values()},
        "prefixes": PREFIXES,
        "idBase": ID_BASE,
        "ontology": str(ONTOLOGY_IRI),
        "labels": {},
        "labelsUrl": "/labels",
        "countries": {k: c.iri for c in publication().countries() for k in c.keys},
        "map": "/map",
    }
    # "</" cannot end the script element early once escaped in JSON.
    blob = json.dumps(data).replace("</", "<\\/")
    prefixes = escape("".join(f"PREFIX {p}: <{ns}>\n" for p, ns in PREFIXES.items()))
    body = f"""<h1>SPARQL editor</h1>
<p>Send a SPARQL 1.1 query to <code>{escape(url)}</code> by GET (<code>?query=</code>) or POST.
The default graph is the union of the named graphs. Catalogue queries with parameters appear
here with their parameters left as variables.</p>
<form id="editor" method="get" action="{escape(url)}">
<p><label for="examples">Examples</label>
<select id="examples"><option value="">(choose a catalogue query)</option>{options}</select>
<button type="button" id="add-prefixes">Add prefixes</button></p>
<label for="query">Query</label>
<small id="query-help">Ctrl+Enter runs it. Tab moves on to the next control, as everywhere on
the page; to indent, use Ctrl+] (and Ctrl+[ to outdent).</small><br>
<textarea id="query" name="query" rows="14" style="width: 100%" spellcheck="false"
 aria-describedby="query-help">
{escape(query)}</textarea><br>
<input type="hidden" name="format" value="json">
<button type="submit">Run</button>
</form>
<p id="status" role="status" aria-live="polite"></p>
<p id="downloads"></p><p id="share"></p>
<section id="result-map" aria-labelledby="result-map-heading" hidden></section>
<section id="results" aria-label="results"></section>
<details><summary>Prefixes</summary><pre>{prefixes}</pre></details>
<h2>Named graphs</h2><ul>{graphs}</ul>
<script type="application/json" id="editor-data">{blob}</script>
{EDITOR_SCRIPTS}"""
    return page("SPARQL editor", body, head=EDITOR_HEAD, articles=held_articles())
