"""What an entity page shows, read from a ``Description``: labels instead of IRIs, facts with
their evidence, incoming links, external links, unresolved mentions. Pure: no HTML, no queries.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from rdflib import Literal, URIRef
from rdflib.namespace import FOAF, OWL, PROV, RDF, RDFS, SKOS
from rdflib.term import Node

from rcsgraph.namespaces import OA, RCS, SCHEMA
from rcsgraph.publish.describe import Description, shortfall
from rcsgraph.publish.evidence_view import Evidence, evidence_for
from rcsgraph.publish.iris import Iris, external
from rcsgraph.publish.passages import find_text
from rcsgraph.publish.statements import Statements

#: Labels of the terms of other vocabularies that the data uses.
OTHER_LABELS: dict[URIRef, str] = {
    RDF.type: "kind",
    RDFS.label: "label",
    RDFS.comment: "comment",
    SKOS.prefLabel: "preferred label",
    SKOS.altLabel: "also called",
    SKOS.closeMatch: "may be",
    SKOS.scopeNote: "note",
    OWL.sameAs: "same as",
    FOAF.name: "name",
    PROV.wasDerivedFrom: "derived from",
    SCHEMA.inLanguage: "language",
    RDF.subject: "subject",
    RDF.predicate: "property",
    RDF.object: "value",
    OA.hasSource: "source",
    OA.hasSelector: "selector",
    OA.exact: "quote",
    OA.prefix: "text before the quote",
    OA.suffix: "text after the quote",
    OA.start: "starts at character",
    OA.end: "ends before character",
}

_LABEL = RDFS.label  # read for every term shown: an rdflib namespace builds it on each read

#: Shown elsewhere on the page (heading, kinds, "also called"), not as facts.
_NOT_FACTS = {RDFS.label, SKOS.prefLabel, RDF.type, SKOS.altLabel}
#: Incoming links that are the machinery of claims: counted, not listed.
_CLAIM_LINKS = {RDF.subject, RDF.object, PROV.wasDerivedFrom, OA.hasSource}


@dataclass(frozen=True)
class Value:
    """A term as people read it: label or literal text, local page or external dataset."""

    term: Node
    text: str
    href: str | None = None
    dataset: str | None = None  # "Wikidata" or "GeoNames" for a link out


@dataclass(frozen=True)
class Fact:
    """One statement of (or about) the thing, with the numbers of its evidence."""

    property: URIRef
    label: str
    value: Value
    evidence: tuple[int, ...] = ()


@dataclass(frozen=True)
class Unresolved:
    """A mention the article leaves ambiguous, with the things it may mean."""

    mention: str
    candidates: tuple[Value, ...]
    note: str


@dataclass(frozen=True)
class EntityView:
    """Everything an entity page shows."""

    iri: URIRef
    label: str
    kinds: tuple[Value, ...]
    also_called: tuple[str, ...]
    facts: tuple[Fact, ...]
    links_out: tuple[Fact, ...]  # to Wikidata and GeoNames
    mentions: tuple[Fact, ...]  # incoming: ``value`` is the thing that links here
    claims_citing: int  # claims that point here through their machinery (article pages)
    unresolved: Unresolved | None
    evidence: tuple[Evidence, ...]
    text: str | None = None  # an article's whole text, when it is at hand
    left_out: str = ""  # what a description of a much-linked thing leaves out


class Labeller:
    """Labels and local links for the terms of one description."""

    def __init__(self, description: Description, iris: Iris) -> None:
        self.graph, self.vocabulary, self.iris = (
            description.statements,
            description.vocabulary,
            iris,
        )

    def label(self, term: Node) -> str:
        if isinstance(term, Literal):
            return str(term)
        labels = self.graph.objects(term, _LABEL)
        if len(labels) == 1:
            return str(labels[0])
        if labels:
            return str(min(labels, key=lambda x: (getattr(x, "language", None) != "en", str(x))))
        if term in self.vocabulary:
            return self.vocabulary[term]  # type: ignore[index]
        if term in OTHER_LABELS:
            return OTHER_LABELS[term]  # type: ignore[index]
        outside = external(str(term))
        if outside is not None:
            return f"{outside[0]} {outside[1]}"
        text = str(term)
        return text.rsplit("#", 1)[-1] if "#" in text else text.rstrip("/").rsplit("/", 1)[-1]

    def value(self, term: Node) -> Value:
        outside = external(str(term)) if isinstance(term, URIRef) else None
        href = self.iris.href(str(term)) if isinstance(term, URIRef) else None
        return Value(term, self.label(term), href, outside[0] if outside else None)


def entity_view(description: Description, iris: Iris, folders: Sequence[Path]) -> EntityView:
    """The page of ``description.thing``; ``folders`` hold the article texts."""
    graph, thing = description.statements, description.thing
    names = Labeller(description, iris)
    evidence = evidence_for(graph, thing, names.label, folders)
    numbers = _numbers_by_statement(evidence)
    facts = [
        Fact(p, names.label(p), names.value(o), numbers.get((thing, p, o), ()))
        for p, o in graph.predicate_objects(thing)
        if p not in _NOT_FACTS and isinstance(p, URIRef)
    ]
    mentions = [
        Fact(p, names.label(p), names.value(s), numbers.get((s, p, thing), ()))
        for s, p in graph.subject_predicates(thing)
        if p not in _CLAIM_LINKS and isinstance(p, URIRef)
    ]
    return EntityView(
        iri=thing,
        label=_claim_label(graph, thing, names) or names.label(thing),
        kinds=tuple(sorted((names.value(k) for k in graph.objects(thing, RDF.type)), key=_text)),
        also_called=tuple(sorted(str(a) for a in graph.objects(thing, SKOS.altLabel))),
        facts=tuple(sorted((f for f in facts if f.value.dataset is None), key=_order)),
        links_out=tuple(sorted((f for f in facts if f.value.dataset), key=_order)),
        mentions=tuple(sorted(mentions, key=lambda f: (f.label, f.value.text))),
        claims_citing=len(set(graph.subjects(PROV.wasDerivedFrom, thing))),
        unresolved=_unresolved(graph, thing, names),
        evidence=tuple(evidence),
        text=_article_text(graph, thing, folders),
        left_out=shortfall(description),
    )


def _numbers_by_statement(evidence: Sequence[Evidence]) -> dict[tuple[Node, ...], tuple[int, ...]]:
    found: dict[tuple[Node, ...], tuple[int, ...]] = {}
    for item in evidence:
        found[item.statement] = (*found.get(item.statement, ()), item.number)
    return found


def _unresolved(graph: Statements, thing: URIRef, names: Labeller) -> Unresolved | None:
    if (thing, RDF.type, RCS.AmbiguousMention) not in graph:
        return None
    mention = graph.value(thing, RCS.mentionText) or names.label(thing)
    candidates = sorted((names.value(c) for c in graph.objects(thing, SKOS.closeMatch)), key=_text)
    note = str(graph.value(thing, SKOS.scopeNote) or "")
    return Unresolved(str(mention), tuple(candidates), note)


def _claim_label(graph: Statements, thing: URIRef, names: Labeller) -> str | None:
    """A claim has no label of its own: it is read as the statement it backs."""
    if (thing, RDF.type, RCS.Claim) not in graph or graph.has(thing, RDFS.label):
        return None
    parts = [graph.value(thing, p) for p in (RDF.subject, RDF.predicate, RDF.object)]
    return "Claim: " + " · ".join(names.label(p) for p in parts if p is not None)


def _article_text(graph: Statements, thing: URIRef, folders: Sequence[Path]) -> str | None:
    if (thing, RDF.type, RCS.Article) not in graph:
        return None
    name, checksum = graph.value(thing, RCS.sourceText), graph.value(thing, RCS.sourceTextSha256)
    return find_text(
        None if name is None else str(name), None if checksum is None else str(checksum), folders
    )


def _text(value: Value) -> str:
    return value.text


def _order(fact: Fact) -> tuple[bool, str, str]:
    """Facts of the article's own vocabulary first, then identifiers and the rest, by label."""
    return (not str(fact.property).startswith(str(RCS._NS)), fact.label, fact.value.text)
