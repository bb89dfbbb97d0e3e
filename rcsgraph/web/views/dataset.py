"""The dataset: its VoID + DCAT description, the dumps, and the JSON-LD context.

``/.well-known/void`` and ``/dataset`` describe the dataset (content negotiation, also with
suffixes: ``/dataset.ttl``…) from the figures derived with the store's generation; ``/dumps/``
lists the dumps, served from their files like any static file: ``ETag`` (their SHA-256),
``Last-Modified``, ``Range`` (206), and their gzip copy as ``Content-Encoding: gzip`` to a
client that accepts it; ``/context.jsonld`` is the context every JSON-LD document here embeds.
"""

import base64
from pathlib import Path

from flask import Blueprint, Response, abort, request, send_file

from rcsgraph import resources
from rcsgraph.publish.dumps import TITLES, Dump, checksums
from rcsgraph.publish.rdfdoc import DOCUMENT_TYPES, RDF_DOCUMENT_TYPES, serialize, suffix_of
from rcsgraph.publish.void import Where, void_graph
from rcsgraph.web.cache import NO_CACHE_HEADER
from rcsgraph.web.negotiation import answer, choose_type, links
from rcsgraph.web.pages.dataset_page import dataset_html
from rcsgraph.web.pages.shell import page
from rcsgraph.web.service import held_articles, publication
from rcsgraph.web.views.sparql import endpoint

blueprint = Blueprint("dataset", __name__)


@blueprint.route("/.well-known/void")
@blueprint.route("/dataset")
@blueprint.route("/dataset.<suffix>")
def description(suffix: str | None = None) -> Response:
    """VoID and DCAT, as HTML for people or RDF for programs."""
    if suffix is not None and suffix not in DOCUMENT_TYPES:
        abort(404, f"no such format .{suffix}; try one of {', '.join(DOCUMENT_TYPES)}")
    media = choose_type(suffix)
    published = publication()
    figures, dumps, articles = published.figures(), published.dumps(), published.articles()
    where = Where(endpoint().settings.base_iri, request.url_root)
    headers = {"Link": links("/dataset", RDF_DOCUMENT_TYPES, str(where.document))}
    if suffix is None:
        headers["Content-Location"] = f"/dataset.{suffix_of(media)}"
    if media == "text/html":
        body = dataset_html(figures, dumps, where, published.vocabulary(), articles)
        return answer(page("Dataset", body, articles=held_articles()), media, headers)
    return answer(serialize(void_graph(figures, dumps, where, articles), media), media, headers)


@blueprint.route("/dumps/")
def dumps_index() -> Response:
    """The dumps with their sizes and checksums."""
    rows = "".join(
        f'<tr><td><a href="/dumps/{d.name}">{d.name}</a></td><td>{TITLES[d.format]}</td>'
        f"<td>{d.size:,}</td><td><code>{d.sha256}</code></td>"
        f'<td><a href="/dumps/{d.name}.gz">{d.gzip_size:,}</a></td></tr>'
        for d in publication().dumps()
    )
    body = (
        "<h1>Dumps</h1><p>The whole graph, written once for the store's current generation. "
        'Checksums also in <a href="/dumps/SHA256SUMS">SHA256SUMS</a> and in the '
        '<a href="/dataset">dataset description</a>. Each file is also served gzip-compressed '
        "to clients that accept it, and answers range requests.</p><table><thead><tr>"
        "<th>file</th><th>format</th><th>bytes</th><th>SHA-256</th><th>gzip</th></tr>"
        f"</thead><tbody>{rows}</tbody></table>"
    )
    return answer(page("Dumps", body, articles=held_articles()), "text/html")


@blueprint.route("/dumps/<name>", methods=["GET", "HEAD"])
def dump(name: str) -> Response:
    """One dump file, or the checksums of all."""
    published = publication()
    dumps = published.dumps()
    if name == "SHA256SUMS":
        response = answer(checksums(dumps), "text/plain")
        del response.headers["Vary"]
        return response
    found = next((d for d in dumps if name in (d.name, d.name + ".gz")), None)
    path = published.dump_file(name)
    if found is None or path is None:
        abort(404, f"no dump named {name}; see /dumps/")
    if name.endswith(".gz"):
        return _file(path, "application/gzip", found.gzip_sha256, {})
    headers = {"Vary": "Accept-Encoding"}
    if request.accept_encodings["gzip"] > 0:
        gzipped = published.dump_file(name + ".gz")
        assert gzipped is not None
        headers["Content-Encoding"] = "gzip"
        return _file(gzipped, found.media_type, found.gzip_sha256, headers)
    headers["Repr-Digest"] = _digest(found)
    return _file(path, found.media_type, found.sha256, headers)


def _file(path: Path, media: str, sha256: str, headers: dict[str, str]) -> Response:
    """``path`` streamed from disk, with ``ETag``, ``Last-Modified`` and ``Range`` (206)."""
    charset = "; charset=utf-8" if media.startswith("text/") or "json" in media else ""
    response = send_file(path, mimetype=media + charset, etag=sha256, conditional=True, max_age=0)
    # streamed from its file past the answer cache, which would only copy it (web/cache.py)
    response.headers.update({**headers, "Accept-Ranges": "bytes", NO_CACHE_HEADER: "1"})
    return response


def _digest(found: Dump) -> str:
    digest = base64.b64encode(bytes.fromhex(found.sha256)).decode("ascii")
    return f"sha-256=:{digest}:"


@blueprint.route("/context.jsonld")
def context() -> Response:
    """The JSON-LD context of every JSON-LD document here (also embedded in each)."""
    return Response(
        resources.context_file().read_bytes(),
        content_type="application/ld+json; charset=utf-8",
    )
