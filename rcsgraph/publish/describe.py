"""The description of a thing: what a linked-data client gets when it dereferences its IRI.

Four parts, found by two small SPARQL queries over any ``Source`` (a ``Store``, or the server's
endpoint through ``Endpoint.query``), the IRIs they start from written as ``VALUES`` rows of
checked IRIs (``rcsgraph.store.binding.values``), never spliced into the text otherwise:

- its own statements, with the labels of what it links to;
- the statements that link to it (incoming links), with the labels of their subjects;
- the claims whose subject or value it is, with their evidence (the Web Annotation resource, its
  quote and position selectors) and what the quoted article says about itself (label, date,
  dateline, source text and checksum);
- the labels of the ontology's terms, for people (not part of the RDF description).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import NamedTuple, Protocol

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, FOAF, RDF, RDFS

from rcsgraph.publish.statements import Statements, Triple
from rcsgraph.store.base import Results, Term
from rcsgraph.store.binding import values

#: The licence of the data and the ontology (README, "Sources and licences").
LICENSE = URIRef("https://creativecommons.org/licenses/by/4.0/")

_PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX owl: <http://www.w3.org/2002/07/owl#>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
"""

#: Most links into a thing, and most claims about it, that one description carries: a thing
#: linked from thousands of others (the IFRC of the generated 1M-triple graph: 4,504 links, 2,252
#: claims) gets a description of bounded size, which says how much it leaves out.
LINKS_IN_LIMIT = 500
CLAIMS_LIMIT = 200

#: The first query: what starts from the thing (``{thing}``, its ``VALUES`` row), as three
#: bounded branches of one UNION, each a subquery with its own LIMIT, told apart by the
#: variables they bind:
#:
#: - ``?p ?o ?label``: its own statements, with the labels of what it links to;
#: - ``?x ?xp``: the statements that link to it (the first the engine finds: no ORDER BY, which
#:   cost Oxigraph 0.95 s for the IFRC's 4,504 links and 15 ms without);
#: - ``?c``: the claims whose subject or value it is (or the thing itself, if it is a claim).
#:
#: A subquery does not see the values of the group around it (SPARQL's scoping), so each names
#: the thing itself. One query instead of three: each query a page sends costs it more in the
#: web process (the binding, the hand-over to an evaluating thread, the conversion of the
#: answer) than these branches cost the engine.
START = (
    _PREFIXES
    + """
SELECT ?p ?o ?label ?x ?xp ?c WHERE {{
  {{ SELECT ?p ?o ?label WHERE {{ {thing} ?thing ?p ?o OPTIONAL {{ ?o rdfs:label ?label }} }}
    LIMIT 10000 }}
  UNION {{ SELECT DISTINCT ?x ?xp WHERE {{ {thing} ?x ?xp ?thing }} LIMIT {links} }}
  UNION {{ SELECT DISTINCT ?c WHERE {{ {thing} ?c (rdf:subject|rdf:object)? ?thing ; a rcs:Claim }}
    LIMIT {claims} }}
}}
"""
)
LINKS_IN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?x ?xp ?thing }"
CLAIMS_COUNT = (
    _PREFIXES
    + "SELECT (COUNT(DISTINCT ?c) AS ?n)"
    + " WHERE { ?c (rdf:subject|rdf:object)? ?thing ; a rcs:Claim }"
)

#: The second query: the statements of what the first one found, as ``?s ?p ?o``: every
#: statement of the claims (``{claims}``, a ``VALUES`` row of ``?c``), of their evidence
#: resources and of the evidence's selectors; what the quoted articles say about themselves,
#: and the label of their dateline; the labels of the things linking in (``{linking}``, of
#: ``?s``). Each branch starts from its own ``VALUES`` row, so the engine follows each path
#: from the named claims (a branch that started from ``?s ?p ?o`` would read the store).
CLAIM_STATEMENTS = """
  {{ {claims} ?c ?p ?o BIND (?c AS ?s) }}
  UNION {{ {claims} ?c rcs:evidence ?s . ?s ?p ?o }}
  UNION {{ {claims} ?c rcs:evidence/oa:hasSelector ?s . ?s ?p ?o }}
  UNION {{ {{ SELECT DISTINCT ?s WHERE {{ {claims} ?c rcs:evidence/oa:hasSource ?s }} }}
    ?s ?p ?o
    FILTER (?p IN (rdfs:label, rcs:published, rcs:dateline, rcs:sourceText, rcs:sourceTextSha256))
  }}
  UNION {{ {{ SELECT DISTINCT ?article WHERE {{ {claims} ?c rcs:evidence/oa:hasSource ?article }} }}
    ?article rcs:dateline ?s . ?s rdfs:label ?o BIND (rdfs:label AS ?p)
  }}"""
LABELS = "{{ {linking} ?s rdfs:label ?o BIND (rdfs:label AS ?p) }}"

VOCABULARY = (
    _PREFIXES
    + """
SELECT ?term ?label WHERE {
  VALUES ?kind { owl:Class owl:ObjectProperty owl:DatatypeProperty rdf:Property }
  ?term a ?kind ; rdfs:label ?label .
}
LIMIT 10000
"""
)

#: Things whose IRI starts with ``?space``: for the home page and the helpful 404 (a listing,
#: so at most 5000 rows: a thing, one of its types, one of its labels).
THINGS = (
    _PREFIXES
    + """
SELECT ?space ?thing ?label ?type WHERE {
  ?thing a ?type .
  FILTER (isIRI(?thing) && STRSTARTS(STR(?thing), ?space))
  OPTIONAL { ?thing rdfs:label ?label }
}
ORDER BY ?thing
LIMIT 5000
"""
)


class Source(Protocol):
    """Anything that answers SPARQL with engine-bound variables: a store or the endpoint."""

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None) -> Results: ...


class Extent(NamedTuple):
    """How many of something a description shows, of how many the graph has."""

    shown: int
    total: int

    @property
    def cut(self) -> bool:
        return self.shown < self.total


@dataclass(frozen=True)
class Description:
    """What the graph says about ``thing``, and the labels of the vocabulary for people."""

    thing: URIRef
    statements: Statements
    vocabulary: Mapping[URIRef, str]
    links_in: Extent  # statements that link to the thing
    claims: Extent  # claims about it

    @property
    def exists(self) -> bool:
        """Whether the graph says anything about the thing itself (else: 404)."""
        return self.statements.about(self.thing)


def describe(
    source: Source, thing: URIRef, labels: Mapping[URIRef, str] | None = None
) -> Description:
    """The description of ``thing`` (empty when the graph does not know it); ``labels``, the
    vocabulary's labels when the caller keeps them (else asked of ``source``).

    Two queries of a few bounded parts each rather than one that joins them: Oxigraph took 95 s
    over a single CONSTRUCT that joined all the parts for the IFRC of the 1M-triple graph, and
    0.2 s over each part alone.
    """
    thing_row = values("thing", [thing])
    start = START.format(thing=thing_row, links=LINKS_IN_LIMIT + 1, claims=CLAIMS_LIMIT + 1)
    found = source.query(start)
    triples: list[Triple] = []
    linking: list[tuple[URIRef, URIRef]] = []
    claims: dict[URIRef, None] = {}
    columns = [found.variables.index(name) for name in ("p", "o", "label", "x", "xp", "c")]
    for row in found.rows:  # rows, not dicts: a page reads a few hundred
        prop, value, label, linker, link, claim = (row[i] for i in columns)
        if prop is not None and value is not None:
            triples.append((thing, prop, value))
            if label is not None and not isinstance(value, Literal):
                triples.append((value, _LABEL, label))
        elif isinstance(linker, URIRef) and isinstance(link, URIRef):  # not blank nodes
            linking.append((linker, link))
        elif isinstance(claim, URIRef):
            claims[claim] = None
    bound = {"thing": thing}
    links_in = _extent(source, LINKS_IN_COUNT, bound, len(linking), LINKS_IN_LIMIT)
    about = _extent(source, CLAIMS_COUNT, bound, len(claims), CLAIMS_LIMIT)
    linking, shown = linking[:LINKS_IN_LIMIT], list(claims)[:CLAIMS_LIMIT]
    triples += [(x, p, thing) for x, p in linking]
    if linking or shown:
        triples += _parts(source, dict.fromkeys(x for x, _ in linking), shown)
    known = vocabulary(source) if labels is None else labels
    return Description(thing, Statements(triples), known, links_in, about)


_LABEL = RDFS.label  # read once: an rdflib namespace builds the term on each read


def _parts(source: Source, linking: dict[URIRef, None], claims: list[URIRef]) -> list[Triple]:
    """The statements of the claims and their evidence, and the labels of ``linking``."""
    parts = [
        branch.format(**{name: values(variable, found)})
        for branch, name, variable, found in (
            (CLAIM_STATEMENTS, "claims", "c", claims),
            (LABELS, "linking", "s", linking),
        )
        if found  # rdflib's engine fails on an empty VALUES
    ]
    found = source.query(_PREFIXES + f"SELECT ?s ?p ?o WHERE {{ {' UNION '.join(parts)} }}")
    s, p, o = (found.variables.index(name) for name in ("s", "p", "o"))  # rows, not dicts
    triples = ((row[s], row[p], row[o]) for row in found.rows)
    return [(a, b, c) for a, b, c in triples if a is not None and b is not None and c is not None]


def _extent(
    source: Source, count: str, bound: Mapping[str, Term], found: int, limit: int
) -> Extent:
    """``found`` of at most ``limit + 1`` rows: all there is, or the first ``limit`` of a count."""
    if found <= limit:
        return Extent(found, found)
    (row,) = source.query(count, bound).dicts()
    total = row["n"]
    return Extent(limit, int(total.toPython()) if isinstance(total, Literal) else limit)


def vocabulary(source: Source) -> dict[URIRef, str]:
    """An English (else any) label for each class and property the store defines."""
    labels: dict[URIRef, str] = {}
    for row in source.query(VOCABULARY).dicts():
        term, label = row["term"], row["label"]
        wanted = term not in labels or getattr(label, "language", None) == "en"
        if isinstance(term, URIRef) and isinstance(label, Literal) and wanted:
            labels[term] = str(label)
    return labels


@dataclass(frozen=True)
class Listed:
    """A thing in a listing: its IRI, label and types."""

    iri: URIRef
    label: str
    types: tuple[URIRef, ...]


def things(source: Source, space: str, limit: int = 1000) -> list[Listed]:
    """The typed things whose IRI starts with ``space``, at most ``limit`` of them."""
    found: dict[URIRef, tuple[str, set[URIRef]]] = {}
    for row in source.query(THINGS, {"space": Literal(space)}).dicts():
        thing, kind = row["thing"], row["type"]
        if not isinstance(thing, URIRef) or not isinstance(kind, URIRef):
            continue
        if thing not in found and len(found) >= limit:
            break
        found.setdefault(thing, (str(row.get("label") or ""), set()))[1].add(kind)
    return [
        Listed(iri, label or iri.rsplit("/", 1)[-1], tuple(sorted(kinds)))
        for iri, (label, kinds) in found.items()
    ]


def as_document(description: Description, document: URIRef) -> Statements:
    """The description as the RDF document ``document``: its triples, plus what the document
    is about (``foaf:primaryTopic``) and under which licence it is published."""
    about: list[Triple] = [
        (document, RDF.type, FOAF.Document),
        (document, FOAF.primaryTopic, description.thing),
        (document, DCTERMS.license, LICENSE),
    ]
    label = description.statements.value(description.thing, RDFS.label)
    if label is not None:
        about.append((document, RDFS.label, Literal(f"Description of {label}", lang="en")))
    left_out = shortfall(description)
    if left_out:
        about.append((document, RDFS.comment, Literal(left_out, lang="en")))
    return Statements([*description.statements, *about])


def shortfall(description: Description) -> str:
    """What the description leaves out, in a sentence (empty when it leaves out nothing)."""
    parts = [
        f"the first {extent.shown:,} of the {extent.total:,} {what}"
        for extent, what in (
            (description.links_in, "statements that link to it"),
            (description.claims, "claims about it"),
        )
        if extent.cut
    ]
    if not parts:
        return ""
    return f"Shows {' and '.join(parts)}; the SPARQL endpoint has them all."
