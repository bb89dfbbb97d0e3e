"""Spot weak evidence: a quote that only names a claim's value, not the words stating the fact.

"Afghanistan" does not show that a mission helped the people of Afghanistan; "helping the
people of Afghanistan" does. A quote is *value-only* when, leaving out filler words, each of
its words is (a form of) a word of the value's name: a label, an alternative label, the
mention text, the last segment of its IRI, or a literal's lexical form. Claims of properties
whose value is the article's own words (``VERBATIM``) are exempt: there the value is the quote.
"""

import re
from collections.abc import Iterable

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import FOAF, RDF, RDFS, SKOS
from rdflib.term import Node

from rcsgraph.namespaces import OA, RCS

#: Properties whose values are the article's own words (so a quote may be just the value).
VERBATIM = frozenset(
    {
        RCS.description,
        RCS.content,
        RCS.manner,
        RCS.reason,
        RCS.beneficiaries,
        RCS.facilityType,
        RCS.deskInitials,
    }
)

#: Words that state no relation on their own.
_FILLER = frozenset({"the", "a", "an", "in", "on", "of", "some", "and"})

_NAME_PROPERTIES = (RDFS.label, SKOS.prefLabel, SKOS.altLabel, RCS.mentionText, FOAF.name)


def names(graph: Graph, value: Node) -> list[str]:
    """The names a value goes by in ``graph``, its IRI's last segment included."""
    if isinstance(value, Literal):
        return [str(value)]
    found = [str(name) for p in _NAME_PROPERTIES for name in graph.objects(value, p)]
    if isinstance(value, URIRef):
        found.append(re.split(r"[/#]", str(value).rstrip("/"))[-1])
    return found


def _words(text: str) -> list[str]:
    return [w for w in re.split(r"[^\w]+", text.casefold()) if w and w not in _FILLER]


def _same_word(word: str, name_word: str) -> bool:
    """ "asian" is a form of "asia", "american" of "america": one begins the other."""
    if word == name_word:
        return True
    shorter = min(len(word), len(name_word))
    return shorter >= 4 and (word.startswith(name_word) or name_word.startswith(word))


def only_names(quote: str, value_names: Iterable[str]) -> bool:
    """Whether every word of ``quote`` (filler aside) is a word of one of ``value_names``."""
    words = _words(quote)
    if not words:
        return True
    for name in value_names:
        name_words = _words(name)
        if name_words and all(any(_same_word(w, n) for n in name_words) for w in words):
            return True
    return False


def value_only(graph: Graph, predicate: Node, value: Node, quote: str) -> bool:
    """Whether ``quote`` only names ``value`` where it should state the fact."""
    return predicate not in VERBATIM and only_names(quote, names(graph, value))


def value_only_claims(graph: Graph) -> list[tuple[URIRef, str]]:
    """The claims of ``graph`` whose quote only names their value, with the quote, sorted."""
    found = []
    for claim in graph.subjects(RDF.type, RCS.Claim):
        predicate, value = graph.value(claim, RDF.predicate), graph.value(claim, RDF.object)
        for selector in graph.objects(graph.value(claim, RCS.evidence), OA.hasSelector):
            exact = graph.value(selector, OA.exact)
            if exact is None or predicate is None or value is None:
                continue
            if isinstance(claim, URIRef) and value_only(graph, predicate, value, str(exact)):
                found.append((claim, str(exact)))
    return sorted(found)
