"""The evidence of a description's claims, as people read it: each claim's quote inside its
paragraph of the article, with the article's date and dateline. Pure: no HTML, no queries.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import URIRef
from rdflib.namespace import RDF, RDFS
from rdflib.term import Node

from rcsgraph.namespaces import OA, RCS
from rcsgraph.publish.passages import Passage, find_text, passage
from rcsgraph.publish.statements import Statements

#: The terms read for each claim, looked up once: an rdflib namespace builds a new term on each
#: attribute read (about 4 µs), and the society's page read them 400 times.
_TYPE, _CLAIM, _EVIDENCE = RDF.type, RCS.Claim, RCS.evidence
_STATEMENT = (RDF.subject, RDF.predicate, RDF.object)
_SELECTOR, _SOURCE = OA.hasSelector, OA.hasSource
_EXACT, _START, _END = OA.exact, OA.start, OA.end


@dataclass(frozen=True)
class Article:
    """The article a quote comes from, as it describes itself."""

    iri: URIRef
    label: str
    published: str
    dateline: str
    text: str | None  # None when its text is not at hand (or its checksum differs)


@dataclass(frozen=True)
class Evidence:
    """One claim: the statement it backs, its quote and where the quote stands."""

    number: int
    claim: URIRef
    statement: tuple[Node, Node, Node]  # subject, property, value
    says: tuple[str, str, str]  # the same, as labels
    exact: str
    start: int | None
    end: int | None
    article: Article | None
    passage: Passage | None  # None when the text is missing or differs at the offsets


def evidence_for(
    graph: Statements,
    thing: URIRef,
    label: Callable[[Node], str],
    folders: Sequence[Path],
) -> list[Evidence]:
    """Every claim of ``graph`` whose subject or value is ``thing`` (or that is ``thing``),
    in the order of its quote in the article, numbered from 1."""
    articles: dict[Node, Article] = {}
    found = []
    for claim in set(graph.subjects(_TYPE, _CLAIM)):
        s, p, o = (graph.value(claim, x) for x in _STATEMENT)
        if not isinstance(claim, URIRef) or s is None or p is None or o is None:
            continue
        if thing in (claim, s, o):
            quote = _quote(graph, claim, articles, folders)
            found.append(Evidence(0, claim, (s, p, o), (label(s), label(p), label(o)), *quote))
    found.sort(key=lambda e: (str(e.article.iri if e.article else ""), e.start or 0, e.claim))
    return [replace(e, number=n) for n, e in enumerate(found, start=1)]


_Quote = tuple[str, int | None, int | None, Article | None, Passage | None]


def _quote(
    graph: Statements, claim: URIRef, articles: dict[Node, Article], folders: Sequence[Path]
) -> _Quote:
    """The quote of a claim: its exact text, offsets, article, and passage in the article."""
    resource = graph.value(claim, _EVIDENCE)
    exact, start, end = "", None, None
    for selector in graph.objects(resource, _SELECTOR):
        if graph.has(selector, _EXACT):
            exact = str(graph.value(selector, _EXACT))
        if graph.has(selector, _START):
            start, end = (int(str(graph.value(selector, x))) for x in (_START, _END))
    source = graph.value(resource, _SOURCE)
    article = None
    if isinstance(source, URIRef):
        if source not in articles:
            articles[source] = _article(graph, source, folders)
        article = articles[source]
    found = None
    text = article.text if article else None
    if text is not None and start is not None and end is not None and text[start:end] == exact:
        found = passage(text, start, end)
    return exact, start, end, article, found


def _article(graph: Statements, iri: URIRef, folders: Sequence[Path]) -> Article:
    def text_of(term: Node | None) -> str:
        return "" if term is None else str(term)

    dateline = graph.value(iri, RCS.dateline)
    name = graph.value(iri, RCS.sourceText)
    checksum = graph.value(iri, RCS.sourceTextSha256)
    return Article(
        iri=iri,
        label=text_of(graph.value(iri, RDFS.label)),
        published=text_of(graph.value(iri, RCS.published)),
        dateline=text_of(graph.value(dateline, RDFS.label)) if dateline else "",
        text=find_text(text_of(name) or None, text_of(checksum) or None, folders),
    )
