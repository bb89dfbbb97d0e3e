"""``/id/…`` and ``/doc/…``: dereferenceable IRIs.

``/id/{kind}/{slug}`` names a thing and answers 303 See Other to ``/doc/{kind}/{slug}``, the
document about it, which negotiates HTML, Turtle, JSON-LD, N-Triples and RDF/XML (suffix, then
``?format=``, then Accept). The server answers for its own host: request paths map onto the
canonical base (``Settings.base_iri``), and every description is about the canonical IRIs.
"""

import difflib
import json
from collections.abc import Mapping
from html import escape
from pathlib import Path
from urllib.parse import quote

from flask import Blueprint, Response, request
from rdflib import URIRef

from rcsgraph import resources
from rcsgraph.errors import NotReady
from rcsgraph.publish.describe import Listed, as_document, describe
from rcsgraph.publish.entity import entity_view
from rcsgraph.publish.iris import Iris, is_iri_path
from rcsgraph.publish.rdfdoc import DOCUMENT_TYPES, RDF_DOCUMENT_TYPES, serialize, suffix_of
from rcsgraph.store import generations
from rcsgraph.web.negotiation import answer, choose_type, links, split_suffix
from rcsgraph.web.pages.entity_page import entity_html, head
from rcsgraph.web.pages.shell import page
from rcsgraph.web.service import held_articles, publication
from rcsgraph.web.views.sparql import endpoint

blueprint = Blueprint("linked_data", __name__)


def iris() -> Iris:
    """The IRI scheme of this server (its canonical base)."""
    return Iris(endpoint().settings.base_iri)


def text_folders() -> list[Path]:
    """Where article texts are: beside the bundled data, and in the store's texts folder."""
    settings = endpoint().settings
    folders = [resources.root() / "data"]
    if settings.store is not None:
        folders.append(generations.texts_folder(settings.store))
    return folders


def vocabulary_labels() -> Mapping[URIRef, str] | None:
    """The labels of the vocabulary, kept with the publication artefacts (None while they are
    being derived: the description then asks the endpoint)."""
    try:
        return publication().vocabulary()
    except NotReady:
        return None


@blueprint.route("/id/<path:rest>")
def thing(rest: str) -> Response:
    """303 See Other: the IRI names a thing; its description is a document elsewhere."""
    target = "/doc/" + quote(rest)
    if request.query_string:
        target += "?" + request.query_string.decode("latin-1")
    body = f"See Other: {target}\n"
    headers = {"Location": target}
    return Response(body, status=303, content_type="text/plain; charset=utf-8", headers=headers)


@blueprint.route("/doc/<path:rest>")
def document(rest: str) -> Response:
    """The description of a thing, in the negotiated type; a helpful 404 for unknown things."""
    stem, suffix = split_suffix(rest, DOCUMENT_TYPES)
    media = choose_type(suffix)
    names = iris()
    if not is_iri_path(stem):
        return not_found(stem, media, names)
    description = describe(endpoint(), names.thing(stem), vocabulary_labels())
    if not description.exists:
        return not_found(stem, media, names)
    path = "/doc/" + quote(stem)
    headers = {"Link": links(path, RDF_DOCUMENT_TYPES, str(names.document(stem)))}
    if suffix is None:
        headers["Content-Location"] = f"{path}.{suffix_of(media)}"
    if media == "text/html":
        view = entity_view(description, names, text_folders())
        body = entity_html(view, path, names)
        return answer(page(view.label, body, head(path), held_articles()), media, headers)
    graph = as_document(description, names.document(stem))
    return answer(serialize(graph, media), media, headers)


def not_found(stem: str, media: str, names: Iris) -> Response:
    """404 that says what is known instead: things of the same kind, the closest first."""
    kind, _, slug = stem.partition("/")
    known = is_iri_path(kind) and "/" in stem
    listed = publication().listing().listed(kind, 500) if known else []
    message = f"Nothing is known about {names.thing(stem)}."
    if media != "text/html":
        close = difflib.get_close_matches(str(names.thing(stem)), [i.iri for i in listed], 3)
        hint = f" Did you mean {' or '.join(close)}?" if close else ""
        return answer(message + hint + " The home page lists every thing.\n", "text/plain", {}, 404)
    body = f"<h1>Not found</h1><p>{escape(message)}</p>{_suggestions(slug, listed, names)}"
    body += (
        '<p>The <a href="/">home page</a> lists everything the graph describes; '
        'the <a href="/queries">query catalogue</a> and the <a href="/sparql">SPARQL '
        "endpoint</a> answer questions about it.</p>"
    )
    return answer(page("Not found", body, articles=held_articles()), media, {}, 404)


def _suggestions(slug: str, listed: list[Listed], names: Iris) -> str:
    if not listed:
        return ""
    by_slug = {item.iri.rsplit("/", 1)[-1]: item for item in listed if "#" not in item.iri}
    close = difflib.get_close_matches(slug, list(by_slug), n=3, cutoff=0.5)
    guess = "".join(f"<li>{_link(by_slug[s], names)}</li>" for s in close)
    others = "".join(f"<li>{_link(i, names)}</li>" for i in list(by_slug.values())[:50])
    return (
        f"<p>Did you mean:</p><ul>{guess}</ul>" if guess else ""
    ) + f"<details><summary>All {len(by_slug)} of this kind</summary><ul>{others}</ul></details>"


def _link(item: Listed, names: Iris) -> str:
    href = names.href(item.iri) or str(item.iri)
    return f'<a href="{escape(href)}">{escape(item.label)}</a>'


#: Most IRIs one ``/labels`` request may ask about.
LABELS_ASKED = 500


@blueprint.route("/labels")
def labels() -> Response:
    """``{IRI: label}`` for the ``iri`` parameters that name labelled things (at most
    ``LABELS_ASKED``), from the label index: the SPARQL editor labels its results so."""
    asked = request.args.getlist("iri")
    if len(asked) > LABELS_ASKED:
        return answer(f"at most {LABELS_ASKED} iri parameters\n", "text/plain", {}, 400)
    found = publication().labels(asked)
    return answer(json.dumps(found, sort_keys=True), "application/json")
