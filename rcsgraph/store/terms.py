"""Conversion between pyoxigraph terms and rdflib terms.

``xsd:string`` literals become plain rdflib literals (RDF 1.1 makes them the same term), so
answers from Oxigraph and rdflib compare equal.
"""

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import XSD

from rcsgraph.store.base import Term

_XSD_STRING = str(XSD.string)
_RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"


#: The same terms the other way: a description read from the store is written by Oxigraph.
_BACK: dict[Term, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
CONVERTED_MOST = 20_000


class _Converted(dict[object, Term | None]):
    """Terms converted lately, by pyoxigraph term (and None, an unbound value, as itself).

    A page reads the same predicates, classes and articles again and again, and building an
    rdflib term cost 2-17 µs (a typed literal parses its value) where finding it costs
    0.2-0.6 µs; a term already here is found by the dictionary's own lookup, without a Python
    call (``map(CONVERTED.__getitem__, row)``), which halved what converting an answer cost.
    Emptied when full, so memory stays bounded (about 8 MB); rdflib terms are immutable, so one
    may serve every caller.
    """

    def __missing__(self, term: object) -> Term | None:
        if term is None:
            self[None] = None
            return None
        if len(self) >= CONVERTED_MOST:
            self.clear()
            _BACK.clear()
        found = self[term] = _converted(term)
        if not isinstance(found, Literal) or str(found) == term.value:  # type: ignore[attr-defined]
            _BACK[found] = term  # type: ignore[assignment]  # rdflib kept its lexical form
        return found


_CONVERTED = _Converted()
#: The converted term of a pyoxigraph term, or None for None: ``map`` it over a row.
converted_or_none = _CONVERTED.__getitem__


def to_rdflib(term: object) -> Term:
    """An rdflib term for a pyoxigraph term."""
    found = _CONVERTED[term]
    if found is None:
        raise TypeError("an unbound value has no term")
    return found


def _converted(term: object) -> Term:
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        return Literal(term.value, datatype=None if datatype == _XSD_STRING else URIRef(datatype))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unsupported term {term!r} (RDF-star triples are not used here)")


def to_oxigraph(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """A pyoxigraph term for an rdflib term."""
    found = _BACK.get(term)
    return _unconverted(term) if found is None else found


def _unconverted(term: Term) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) != _RDF_LANG_STRING:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"unsupported term {term!r}")
