"""Published IRIs and the local paths that serve them.

Things are ``{base}id/{kind}/{slug}``, the documents about them ``{base}doc/{kind}/{slug}``, the
ontology ``{base}ontology#{Term}``. A server answers for its own host by mapping request paths
onto the canonical base (``Settings.base_iri``), so ``http://127.0.0.1:5000/id/country/irn``
stands for ``https://w3id.org/rcsgraph/id/country/irn``.
"""

import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from rdflib import URIRef

WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"

#: Datasets outside ours that things link to, by IRI prefix: (name, homepage).
EXTERNAL: dict[str, tuple[str, str]] = {
    WIKIDATA: ("Wikidata", "https://www.wikidata.org/"),
    GEONAMES: ("GeoNames", "https://www.geonames.org/"),
}


#: Characters an IRI may not contain (RFC 3987): a path with one names nothing of ours.
_NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|\\^`\x7f]')


def is_iri_path(rest: str) -> bool:
    """Whether ``rest`` can follow the base in an IRI."""
    return not _NOT_IN_IRIS.search(rest)


@dataclass(frozen=True)
class Iris:
    """The IRI scheme of one deployment, from its canonical base (ending in ``/``)."""

    base: str

    @property
    def id_space(self) -> str:
        return self.base + "id/"

    @property
    def ontology(self) -> str:
        return self.base + "ontology"

    def thing(self, rest: str) -> URIRef:
        """The thing a request path ``/id/{rest}`` or ``/doc/{rest}`` is about."""
        return URIRef(self.id_space + rest)

    def document(self, rest: str) -> URIRef:
        """The canonical IRI of the document about ``/id/{rest}``."""
        return URIRef(self.base + "doc/" + rest)

    def rest(self, iri: str) -> str | None:
        """``{kind}/{slug}`` of a thing of ours (its fragment dropped), else None."""
        if not iri.startswith(self.id_space):
            return None
        return iri[len(self.id_space) :].partition("#")[0] or None

    def href(self, iri: str) -> str | None:
        """The local path that shows ``iri`` (thing or ontology term), or None for others."""
        return _href(self, str(iri))

    def _path(self, iri: str) -> str | None:
        rest = self.rest(iri)
        if rest is not None:
            fragment = iri.partition("#")[2]
            return "/doc/" + quote(rest) + ("#" + quote(fragment) if fragment else "")
        if iri == self.ontology or iri.startswith(self.ontology + "#"):
            return "/ontology" + iri[len(self.ontology) :]
        return None


@lru_cache(maxsize=2**16)
def _href(iris: Iris, iri: str) -> str | None:
    """``Iris.href``, kept for the IRIs shown lately: the home page of the 1M-triple graph links
    1,600 things, and quoting their paths took a fifth of its time."""
    return iris._path(iri)


def external(iri: str) -> tuple[str, str] | None:
    """(dataset name, local identifier) of an IRI in Wikidata or GeoNames, else None."""
    for prefix, (name, _) in EXTERNAL.items():
        if iri.startswith(prefix):
            return name, iri[len(prefix) :].strip("/")
    return None
