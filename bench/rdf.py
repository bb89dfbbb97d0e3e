"""Plain-Python RDF terms and writers for the benchmark generator (fast, deterministic, no rdflib).

A term is an IRI (a ``str``) or a ``Lit``. N-Triples and Turtle are written line by line in the
order the triples were made, so the same triples always give the same bytes.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TextIO

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
OA = "http://www.w3.org/ns/oa#"
FOAF = "http://xmlns.com/foaf/0.1/"
RCS = "https://w3id.org/rcsgraph/ontology#"
ID = "https://w3id.org/rcsgraph/id/"

#: Prefixes of the Turtle output; only vocabulary terms (safe local names) are abbreviated.
PREFIXES = {
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "oa": OA,
    "foaf": FOAF,
    "rcs": RCS,
}

TYPE = RDF + "type"


@dataclass(frozen=True)
class Lit:
    """A literal: plain string, typed (``datatype`` IRI) or language-tagged."""

    value: str
    datatype: str | None = None
    lang: str | None = None


Term = str | Lit
Triple = tuple[str, str, Term]


def en(text: str) -> Lit:
    """An English language-tagged literal."""
    return Lit(text, lang="en")


def typed(value: object, datatype: str) -> Lit:
    """A literal of ``datatype`` (a local name of XSD)."""
    return Lit(str(value), datatype=XSD + datatype)


_ESCAPES = str.maketrans({"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"})


def _literal(term: Lit) -> str:
    text = f'"{term.value.translate(_ESCAPES)}"'
    if term.lang:
        return f"{text}@{term.lang}"
    if term.datatype:
        return f"{text}^^<{term.datatype}>"
    return text


def nt_term(term: Term) -> str:
    """A term in N-Triples syntax."""
    return _literal(term) if isinstance(term, Lit) else f"<{term}>"


def ttl_term(term: Term) -> str:
    """A term in Turtle, vocabulary IRIs abbreviated with ``PREFIXES``."""
    if isinstance(term, Lit):
        if term.datatype and not term.lang:
            return f'"{term.value.translate(_ESCAPES)}"^^{ttl_term(term.datatype)}'
        return _literal(term)
    for prefix, namespace in PREFIXES.items():
        if term.startswith(namespace) and term[len(namespace) :].isalnum():
            return f"{prefix}:{term[len(namespace) :]}"
    return f"<{term}>"


def write_nt(triples: Iterable[Triple], out: TextIO) -> int:
    """Write N-Triples; return the number of triples written."""
    count = 0
    for s, p, o in triples:
        out.write(f"<{s}> <{p}> {nt_term(o)} .\n")
        count += 1
    return count


def write_ttl(triples: Iterable[Triple], out: TextIO) -> int:
    """Write Turtle, consecutive triples of one subject grouped; return the number written."""
    for prefix, namespace in PREFIXES.items():
        out.write(f"@prefix {prefix}: <{namespace}> .\n")
    count = 0
    subject = None
    for s, p, o in triples:
        predicate = "a" if p == TYPE else ttl_term(p)
        if s == subject:
            out.write(f" ;\n    {predicate} {ttl_term(o)}")
        else:
            out.write(" .\n\n" if subject is not None else "\n")
            out.write(f"<{s}> {predicate} {ttl_term(o)}")
            subject = s
        count += 1
    if subject is not None:
        out.write(" .\n")
    return count
