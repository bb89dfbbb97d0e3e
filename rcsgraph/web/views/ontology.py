"""``/ontology``: the ontology at its namespace, as documentation for people and RDF for programs.

``https://w3id.org/rcsgraph/ontology#Society`` dereferences here (hash IRIs: the fragment stays
in the browser) and lands on the section of ``Society``. Turtle (TriG, N3) is the authored file
itself; JSON-LD, N-Triples (N-Quads) and RDF/XML are written from it. The version IRI answers
too.
"""

from functools import cache
from html import escape

from flask import Blueprint, Response, abort
from rdflib import Graph

from rcsgraph import resources
from rcsgraph.graph.loading import load_graph
from rcsgraph.namespaces import PREFIXES
from rcsgraph.publish.ontodoc import OntologyDoc, ShapeUse, TermDoc, ontology_doc
from rcsgraph.publish.rdfdoc import (
    DOCUMENT_TYPES,
    NAMES,
    RDF_DOCUMENT_TYPES,
    TURTLE_LIKE,
    serialize,
    suffix_of,
)
from rcsgraph.web.negotiation import answer, choose_type, links
from rcsgraph.web.pages.shell import page
from rcsgraph.web.service import held_articles

blueprint = Blueprint("ontology", __name__)

STYLE = """<style>
.term { border-top: 1px solid var(--line); padding-top: 0.5rem; }
.term dl { display: grid; grid-template-columns: minmax(6rem, max-content) 1fr; gap: 0.2rem 1rem; }
.term dt { font-weight: 600; } .term dd { margin: 0; overflow-wrap: anywhere; }
.toc { columns: 14rem; } .shape { color: var(--muted); font-size: 0.9rem; }
main code, main dd { overflow-wrap: anywhere; } main dd { margin-left: 1rem; }
</style>"""


@blueprint.route("/ontology")
@blueprint.route("/ontology.<suffix>")
@blueprint.route("/ontology/<version>")
def ontology(suffix: str | None = None, version: str | None = None) -> Response:
    """The ontology in the negotiated type (HTML documentation by default)."""
    doc = ontology_doc()
    if version is not None and not doc.version_iri.endswith("/" + version):
        abort(404, f"no ontology version {version}; the current one is {doc.version}")
    if suffix is not None and suffix not in DOCUMENT_TYPES:
        abort(404, f"no such format .{suffix}; try one of {', '.join(DOCUMENT_TYPES)}")
    media = choose_type(suffix)
    headers = {"Link": links("/ontology", RDF_DOCUMENT_TYPES, str(doc.iri))}
    if suffix is None:
        headers["Content-Location"] = f"/ontology.{suffix_of(media)}"
    if media == "text/html":
        shown = page(doc.title or "Ontology", ontology_html(doc), STYLE, held_articles())
        return answer(shown, media, headers)
    if media in TURTLE_LIKE:  # the authored file (Turtle is valid TriG and N3)
        return answer(resources.ontology_file().read_bytes(), media, headers)
    return answer(serialize(_graph(), media), media, headers)


@cache
def _graph() -> Graph:
    return load_graph([resources.ontology_file()])


def ontology_html(doc: OntologyDoc) -> str:
    """The documentation: header, contents, then one section per term."""
    formats = " · ".join(
        f'<a href="/ontology.{suffix}">{NAMES[suffix]}</a>' for suffix in RDF_DOCUMENT_TYPES
    )
    classes = [t for t in doc.terms if t.is_class]
    properties = [t for t in doc.terms if not t.is_class]
    return (
        f"<h1>{escape(doc.title)}</h1><p>{escape(doc.description)}</p>"
        f"<dl><dt>IRI</dt><dd><code>{escape(str(doc.iri))}</code> (prefix <code>rcs:</code>, "
        f"namespace <code>{escape(PREFIXES['rcs'])}</code>)</dd>"
        f"<dt>Version</dt><dd>{escape(doc.version)} "
        f"(<code>{escape(doc.version_iri)}</code>)</dd>"
        f'<dt>Licence</dt><dd><a rel="license" href="{escape(doc.license)}">'
        f"{escape(doc.license)}</a></dd><dt>As RDF</dt><dd>{formats}</dd></dl>"
        f"{_contents('Classes', classes)}{_contents('Properties', properties)}"
        + "".join(_term(t) for t in doc.terms)
    )


def _contents(title: str, terms: list[TermDoc]) -> str:
    items = "".join(
        f'<li><a href="#{t.name}">{escape(t.name)}</a> — {escape(t.label)}</li>' for t in terms
    )
    return f'<h2>{title} ({len(terms)})</h2><ul class="toc">{items}</ul>'


def _term(term: TermDoc) -> str:
    rows = [
        ("IRI", f"<code>{escape(str(term.iri))}</code>"),
        ("Kind", escape(", ".join(term.kinds))),
        ("Definition", escape(term.definition)),
        ("Subclass of" if term.is_class else "Subproperty of", _iris(term.parents)),
        ("Domain", _iris(term.domain)),
        ("Range", _iris(term.range)),
        ("Evidence", "every use needs a claim quoting the article" if term.evidenced else ""),
        ("Shapes", _shapes(term.shapes)),
    ]
    body = "".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows if value)
    return (
        f'<section class="term" id="{term.name}"><h3>{escape(term.name)} '
        f"<small>({escape(term.label)})</small></h3><dl>{body}</dl></section>"
    )


def _iris(iris: tuple[str, ...]) -> str:
    return ", ".join(_curie_link(i) for i in iris)


def _curie_link(iri: str) -> str:
    rcs = PREFIXES["rcs"]
    if iri.startswith(rcs):
        name = iri[len(rcs) :]
        return f'<a href="#{escape(name)}">rcs:{escape(name)}</a>'
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix != "id":
            return f'<a href="{escape(iri)}">{prefix}:{escape(iri[len(namespace) :])}</a>'
    return f'<a href="{escape(iri)}">{escape(iri)}</a>'


def _shapes(shapes: tuple[ShapeUse, ...]) -> str:
    if not shapes:
        return ""
    items = "".join(
        f"<li><code>{escape(s.within or s.name)}</code>"
        + (f" (<code>{escape(s.name)}</code>)" if s.within and s.name else "")
        + f" {escape(s.how)}"
        + (f'<br><span class="shape">{escape(s.message)}</span>' if s.message else "")
        + "</li>"
        for s in shapes
    )
    return f"<ul>{items}</ul>"
