"""Content negotiation: an Accept header (or a ``format`` override) picks one media type.

Pure and table-driven; no Flask. ``choose`` implements RFC 9110 proactive negotiation: the
offer with the highest q-value wins, exact types beat ``type/*`` beat ``*/*`` for the same offer,
ties go to the server's order of preference (its first offer is its default), and q=0 refuses.
"""

from dataclasses import dataclass

#: SPARQL results of SELECT and ASK, in order of preference (the first is the default).
RESULT_TYPES: dict[str, str] = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}

#: RDF results of CONSTRUCT and DESCRIBE, and RDF documents, in order of preference.
RDF_TYPES: dict[str, str] = {
    "ttl": "text/turtle",
    "nt": "application/n-triples",
    "jsonld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "nq": "application/n-quads",
    "trig": "application/trig",
}

#: Other names clients use for the same types, in ``Accept`` or ``format=``.
ALIASES: dict[str, str] = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "text/plain": "application/n-triples",
    "application/x-turtle": "text/turtle",
    "application/json+ld": "application/ld+json",
    "turtle": "text/turtle",
    "ntriples": "application/n-triples",
    "json-ld": "application/ld+json",
    "rdfxml": "application/rdf+xml",
    "nquads": "application/n-quads",
}


@dataclass(frozen=True)
class Range:
    """One media range of an Accept header."""

    type: str
    subtype: str
    q: float
    alias: str | None = None  # the type this one stands for (application/json -> SPARQL JSON)

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 3 exact, 2 ``type/*``, 1 ``*/*``."""
        kind, _, sub = media_type.partition("/")
        if (self.type == kind and self.subtype == sub) or self.alias == media_type:
            return 3
        if self.type == kind and self.subtype == "*":
            return 2
        return 1 if self.type == "*" and self.subtype == "*" else 0


def parse_accept(header: str | None) -> list[Range]:
    """The media ranges of an Accept header; an absent, empty or wholly unreadable header
    (``Accept: json``) accepts anything, as RFC 9110 allows a server to ignore it."""
    if not header or not header.strip():
        return [Range("*", "*", 1.0)]
    ranges = []
    for item in header.split(","):
        media, *params = (part.strip() for part in item.split(";"))
        media = media.lower()
        if "/" not in media:
            continue
        q = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    q = min(max(float(value), 0.0), 1.0)
                except ValueError:
                    q = 0.0
        kind, _, sub = media.partition("/")
        ranges.append(Range(kind, sub, q, ALIASES.get(media)))
    return ranges or [Range("*", "*", 1.0)]  # nothing readable: as if there were no header


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them."""
    ranges = parse_accept(accept)
    candidates = []
    for rank, offer in enumerate(offers):
        matching = [(r.matches(offer), r.q) for r in ranges if r.matches(offer)]
        if matching:
            _, q = max(matching)  # the most specific matching range gives the offer its q
            if q > 0:
                candidates.append((-q, rank, offer))
    return min(candidates)[2] if candidates else None


def by_format(name: str | None, table: dict[str, str]) -> str | None:
    """The media type a ``format=`` value names (a short name or a media type), if in ``table``."""
    if not name:
        return None
    name = name.strip().lower()
    media = table.get(name) or ALIASES.get(name, name)
    return media if media in table.values() else None
