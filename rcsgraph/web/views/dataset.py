"""The dataset: its VoID + DCAT description, the dumps, and the JSON-LD context.

``/.well-known/void`` and ``/dataset`` describe the dataset (content negotiation, also with
suffixes: ``/dataset.ttl``…); ``/dumps/`` lists the dumps, served from ``/dumps/{name}`` with
their SHA-256 in ``ETag`` and ``Repr-Digest``; ``/context.jsonld`` is the context every JSON-LD
document of this server embeds.
"""

import base64
from collections.abc import Callable
from typing import TypeVar

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, request

from rcsgraph import resources
from rcsgraph.publish.describe import vocabulary
from rcsgraph.publish.dumps import (
    ALL_QUADS,
    TITLES,
    Dump,
    bundled_dumps,
    checksums,
    dataset_of,
    dumps_from_dataset,
    dumps_from_quads,
)
from rcsgraph.publish.iris import Iris
from rcsgraph.publish.rdfdoc import DOCUMENT_TYPES, RDF_DOCUMENT_TYPES, serialize
from rcsgraph.publish.void import Figures, Where, count, void_graph
from rcsgraph.sparql.worker import open_store  # opens any store spec, as the workers do
from rcsgraph.store import generations
from rcsgraph.web.negotiation import CORS, answer, choose_type, links
from rcsgraph.web.pages.dataset_page import dataset_html
from rcsgraph.web.pages.shell import page
from rcsgraph.web.service import store_spec
from rcsgraph.web.views.sparql import endpoint

blueprint = Blueprint("dataset", __name__)
T = TypeVar("T")


@blueprint.route("/.well-known/void")
@blueprint.route("/dataset")
@blueprint.route("/dataset.<suffix>")
def description(suffix: str | None = None) -> Response:
    """VoID and DCAT, as HTML for people or RDF for programs."""
    if suffix is not None and suffix not in DOCUMENT_TYPES:
        abort(404, f"no such format .{suffix}; try one of {', '.join(DOCUMENT_TYPES)}")
    media = choose_type(suffix)
    settings = endpoint().settings
    figures = served_figures()
    where = Where(settings.base_iri, request.url_root)
    dumps = served_dumps()
    headers = {"Link": links("/dataset", RDF_DOCUMENT_TYPES, str(where.document))}
    if media == "text/html":
        body = dataset_html(figures, dumps, where, vocabulary(endpoint()))
        return answer(page("Dataset", body), media, headers)
    return answer(serialize(void_graph(figures, dumps, where), media), media, headers)


@blueprint.route("/dumps/")
def dumps_index() -> Response:
    """The dumps with their sizes and checksums."""
    rows = "".join(
        f'<tr><td><a href="/dumps/{d.name}">{d.name}</a></td><td>{TITLES[d.format]}</td>'
        f"<td>{d.size:,}</td><td><code>{d.sha256}</code></td></tr>"
        for d in served_dumps()
    )
    body = (
        "<h1>Dumps</h1><p>The whole graph, as <code>rcsgraph export</code> writes it. "
        'Checksums also in <a href="/dumps/SHA256SUMS">SHA256SUMS</a> and in the '
        '<a href="/dataset">dataset description</a>.</p><table><thead><tr><th>file</th>'
        "<th>format</th><th>bytes</th><th>SHA-256</th></tr></thead>"
        f"<tbody>{rows}</tbody></table>"
    )
    return answer(page("Dumps", body), "text/html")


@blueprint.route("/dumps/<name>")
def dump(name: str) -> Response:
    """One dump file, or the checksums of all."""
    dumps = served_dumps()
    if name == "SHA256SUMS":
        return answer(checksums(dumps), "text/plain")
    found = next((d for d in dumps if d.name == name), None)
    if found is None:
        abort(404, f"no dump named {name}; see /dumps/")
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode("ascii")
    headers = {"ETag": f'"{found.sha256}"', "Repr-Digest": f"sha-256=:{digest}:"}
    response = answer(found.data, found.media_type, headers)
    del response.headers["Vary"]
    response.make_conditional(request)
    return response


@blueprint.route("/context.jsonld")
def context() -> Response:
    """The JSON-LD context of every JSON-LD document here (also embedded in each)."""
    return Response(
        resources.context_file().read_bytes(),
        content_type="application/ld+json; charset=utf-8",
        headers=CORS,
    )


def data_version() -> str | None:
    """What changes when the served data changes: the store's generation, else a constant;
    None when SPARQL Update may change it at any time (nothing is cached then)."""
    settings = endpoint().settings
    if settings.update_token or settings.endpoint:
        return None
    return str(generations.current_generation(settings.store)) if settings.store else "static"


def cached(name: str, compute: Callable[[], T]) -> T:
    """``compute()``, kept in the application until the data version changes."""
    version = data_version()
    found: tuple[str, T] | None = current_app.extensions.get(f"rcsgraph.{name}")
    if version is not None and found is not None and found[0] == version:
        return found[1]
    value = compute()
    if version is not None:
        current_app.extensions[f"rcsgraph.{name}"] = (version, value)
    return value


def served_figures() -> Figures:
    """The VoID figures of the served data."""
    id_space = Iris(endpoint().settings.base_iri).id_space
    return cached("figures", lambda: count(endpoint(), id_space))


def served_dumps() -> tuple[Dump, ...]:
    """The dumps of what this server serves: those of ``rcsgraph export`` for the bundled
    graph; else written from the store (again when a new generation is published), or from
    the query workers when SPARQL Update may have changed what they hold. A server in front
    of a remote SPARQL store (``serve --endpoint``) offers none: that store has its own."""
    settings = endpoint().settings
    if settings.endpoint:
        return ()
    if data_version() is None:
        rows = endpoint().query(ALL_QUADS).rows
        return dumps_from_dataset(dataset_of(row for row in rows))  # type: ignore[misc]
    if settings.store is None and not settings.graphs:
        return bundled_dumps()

    def from_store() -> tuple[Dump, ...]:
        store = open_store(store_spec(settings))
        return dumps_from_quads(store.dump(format=ox.RdfFormat.N_QUADS) or b"")

    return cached("dumps", from_store)
