"""Choosing and answering in a document type: file suffix, then ``?format=``, then Accept.

Shared by the linked-data routes (descriptions, VoID, the ontology). One rule for every route:
a suffix wins; then the first ``format=`` name on offer (a suffix, a media type or an alias
such as ``json`` or ``xml``; a name on offer nowhere falls back to Accept); then Accept with
q-values, where ``*/*`` and no Accept at all mean the route's first offer (Turtle for RDF
documents) and HTML goes to the clients that name it. An answer names its alternates and
licence in ``Link`` headers and carries ``Vary: Accept``; a type nobody offered is a 406 that
lists what is on offer. (CORS headers are added in front of the application: ``web.cors``.)
"""

from flask import Response, abort, request

from rcsgraph.publish.describe import LICENSE
from rcsgraph.publish.rdfdoc import DOCUMENT_TYPES
from rcsgraph.sparql import conneg


def split_suffix(rest: str, offers: dict[str, str]) -> tuple[str, str | None]:
    """``country/irn.ttl`` -> (``country/irn``, ``ttl``) for a suffix on offer."""
    stem, dot, suffix = rest.rpartition(".")
    if dot and stem and suffix in offers:
        return stem, suffix
    return rest, None


def choose_type(suffix: str | None, offers: dict[str, str] = DOCUMENT_TYPES) -> str:
    """The media type to answer with, or abort with 406 naming the types on offer."""
    if suffix is not None:
        return offers[suffix]
    media = conneg.by_format(request.args.getlist("format"), offers)
    if media is None:
        media = conneg.choose(request.headers.get("Accept"), list(offers.values()))
    if media is None:
        abort(
            406,
            "none of the accepted types is on offer; offered: "
            + ", ".join(offers.values())
            + f" (or format={'|'.join(offers)})",
        )
    return media


def links(path: str, offers: dict[str, str], canonical: str | None = None) -> str:
    """``Link`` header: the document in each type on offer, its licence and canonical IRI."""
    items = [
        f'<{path}.{suffix}>; rel="alternate"; type="{media}"' for suffix, media in offers.items()
    ]
    items.append(f'<{LICENSE}>; rel="license"')
    if canonical:
        items.append(f'<{canonical}>; rel="canonical"')
    return ", ".join(items)


def answer(
    body: bytes | str, media: str, headers: dict[str, str] | None = None, status: int = 200
) -> Response:
    """A response in ``media`` (UTF-8 for text), negotiated on Accept."""
    textual = media.startswith("text/") or media.endswith(
        ("json", "xml", "triples", "quads", "trig")
    )
    content_type = media + ("; charset=utf-8" if textual else "")
    merged = {"Vary": "Accept", **(headers or {})}
    return Response(body, status=status, content_type=content_type, headers=merged)
