"""Content negotiation: ``format=`` names and an Accept header pick one media type.

Pure and table-driven; no Flask. ``choose`` implements RFC 9110 proactive negotiation: the
offer with the highest q-value wins, exact types beat ``type/*`` beat ``*/*`` for the same offer,
ties go to the server's order of preference (its first offer is its default: what ``*/*`` and
no Accept at all get), and q=0 refuses. ``by_format`` reads the ``format=`` names SPARQL
clients send (SPARQLWrapper sends ``xml`` for every query form, ``json-ld`` and ``n3`` too):
each means the syntax that fits the answer at hand, and a name that fits none is ``None``, so
that the caller falls back to Accept. ``for_answer`` is the SPARQL endpoint's whole rule.
"""

from collections.abc import Iterable
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

#: N3, which linked-data documents also offer: a Turtle document is an N3 document.
N3 = "text/n3"

#: Names (``format=`` values and media types) that stand for one of the types above, in the
#: order tried: the first one on offer is meant. ``application/json`` is SPARQL JSON for a
#: table and JSON-LD for a graph; ``xml`` is SPARQL XML for a table and RDF/XML for a graph.
ALIASES: dict[str, tuple[str, ...]] = {
    "application/json": (RESULT_TYPES["json"], RDF_TYPES["jsonld"]),
    "json": (RESULT_TYPES["json"], RDF_TYPES["jsonld"]),
    "srj": (RESULT_TYPES["json"],),
    "application/xml": (RESULT_TYPES["xml"],),
    "text/xml": (RESULT_TYPES["xml"],),
    "xml": (RESULT_TYPES["xml"], RDF_TYPES["rdf"]),
    "srx": (RESULT_TYPES["xml"],),
    "text/plain": (RDF_TYPES["nt"],),
    "ntriples": (RDF_TYPES["nt"],),
    "n-triples": (RDF_TYPES["nt"],),
    "turtle": (RDF_TYPES["ttl"],),
    "application/x-turtle": (RDF_TYPES["ttl"],),
    "application/turtle": (RDF_TYPES["ttl"],),
    "n3": (N3, RDF_TYPES["ttl"]),
    "text/n3": (N3, RDF_TYPES["ttl"]),
    "text/rdf+n3": (N3, RDF_TYPES["ttl"]),
    "application/n3": (N3, RDF_TYPES["ttl"]),
    "json-ld": (RDF_TYPES["jsonld"],),
    "application/json+ld": (RDF_TYPES["jsonld"],),
    "application/x-json+ld": (RDF_TYPES["jsonld"],),
    "rdfxml": (RDF_TYPES["rdf"],),
    "rdf+xml": (RDF_TYPES["rdf"],),
    "nquads": (RDF_TYPES["nq"],),
    "n-quads": (RDF_TYPES["nq"],),
}


@dataclass(frozen=True)
class Range:
    """One media range of an Accept header."""

    type: str
    subtype: str
    q: float

    @property
    def media(self) -> str:
        return f"{self.type}/{self.subtype}"

    def matches(self, media_type: str) -> int:
        """How specifically this range matches ``media_type``: 3 exact, 2 ``type/*``, 1 ``*/*``."""
        kind, _, sub = media_type.partition("/")
        if self.type == kind and self.subtype == sub:
            return 3
        if self.type == kind and self.subtype == "*":
            return 2
        return 1 if self.type == "*" and self.subtype == "*" else 0

    def meant(self, offers: list[str]) -> "Range":
        """This range as ``offers`` understand it: an alias stands for the first of its types
        on offer (``application/json``: SPARQL JSON where offered, else JSON-LD)."""
        if self.media in offers:
            return self
        target = next((t for t in ALIASES.get(self.media, ()) if t in offers), None)
        if target is None:
            return self
        kind, _, sub = target.partition("/")
        return Range(kind, sub, self.q)


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
        ranges.append(Range(kind, sub, q))
    return ranges or [Range("*", "*", 1.0)]  # nothing readable: as if there were no header


def choose(accept: str | None, offers: list[str]) -> str | None:
    """The offered media type the client prefers, or None when it accepts none of them."""
    ranges = [r.meant(offers) for r in parse_accept(accept)]
    candidates = []
    for rank, offer in enumerate(offers):
        matching = [(r.matches(offer), r.q) for r in ranges if r.matches(offer)]
        if matching:
            _, q = max(matching)  # the most specific matching range gives the offer its q
            if q > 0:
                candidates.append((-q, rank, offer))
    return min(candidates)[2] if candidates else None


def names(values: str | Iterable[str] | None) -> list[str]:
    """The names in ``format=`` values: each value may be a comma-separated list (SPARQLWrapper
    sends ``format=json-ld&format=application/ld+json,application/x-json+ld``)."""
    if values is None:
        return []
    if isinstance(values, str):
        values = [values]
    return [n.strip().lower() for v in values for n in v.split(",") if n.strip()]


def by_format(values: str | Iterable[str] | None, table: dict[str, str]) -> str | None:
    """The type the first ``format=`` name that fits ``table`` means (a short name of it, a
    media type in it, or an alias of one), or None when no name fits: fall back to Accept."""
    offers = list(table.values())
    for name in names(values):
        if name in table:
            return table[name]
        if name in offers:
            return name
        fitting = [t for t in ALIASES.get(name, ()) if t in offers]
        if fitting:
            return fitting[0]
    return None


def for_answer(form: str | None, formats: Iterable[str], accept: str | None) -> str | None:
    """The SPARQL endpoint's rule: the type of a ``form`` answer (SELECT, ASK: a table;
    CONSTRUCT, DESCRIBE: a graph). ``format=`` first, for the form at hand; then Accept; a
    graph whose Accept names only results types (SPARQL JSON, XML, CSV, TSV) gets the first
    RDF syntax it does not refuse (Turtle), as ``application/json`` gets JSON-LD. None: nothing
    acceptable (406)."""
    graph = form in ("CONSTRUCT", "DESCRIBE")
    table = RDF_TYPES if graph else RESULT_TYPES
    chosen = by_format(list(formats), table) or choose(accept, list(table.values()))
    if chosen is None and graph and choose(accept, list(RESULT_TYPES.values())):
        # below anything named, and never what a range refuses (text/*;q=0)
        return choose(f"{accept or ''}, */*;q=0.001", list(table.values()))
    return chosen
