"""Check that every quote of every claim stands in the article's text where it says it does.

SHACL sees only the graph; this module also reads the source text that ships beside the data
(``rcs:sourceText``), checks its SHA-256, and compares each ``oa:exact`` (with its prefix and
suffix) to the text at ``oa:start``..``oa:end`` (Unicode code points, end exclusive).
"""

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from itertools import product
from pathlib import Path

import pyoxigraph as ox
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDF
from rdflib.term import Node

from rcsgraph.graph.report import Result
from rcsgraph.namespaces import OA, RCS, RCSH
from rcsgraph.store.terms import to_rdflib

EMPTY = Literal("")  # an absent prefix or suffix


@dataclass(frozen=True)
class Quote:
    """Where one claim says its evidence stands in an article's text."""

    claim: str
    article: str
    exact: str
    prefix: str
    suffix: str
    start: int
    end: int


def quotes(graph: Graph) -> list[Quote]:
    """Every claim's quote with its selectors, in article and text order.

    A walk from each claim to its selectors, so linear in the number of claims (a SPARQL join
    of the same pattern took rdflib and Oxigraph time quadratic in the claims). Offsets that
    are not integers are left out: the shapes report them.
    """
    found = []
    for claim in _distinct(graph.subjects(RDF.type, RCS.Claim)):
        for resource in _distinct(graph.objects(claim, RCS.evidence)):
            selectors = _distinct(graph.objects(resource, OA.hasSelector))
            quoted = [s for s in selectors if (s, RDF.type, OA.TextQuoteSelector) in graph]
            placed = [s for s in selectors if (s, RDF.type, OA.TextPositionSelector) in graph]
            sources = _distinct(graph.objects(resource, OA.hasSource))
            for article, quote, position in product(sources, quoted, placed):
                for exact, prefix, suffix, start, end in product(
                    _distinct(graph.objects(quote, OA.exact)),
                    _distinct(graph.objects(quote, OA.prefix)) or [EMPTY],
                    _distinct(graph.objects(quote, OA.suffix)) or [EMPTY],
                    _distinct(graph.objects(position, OA.start)),
                    _distinct(graph.objects(position, OA.end)),
                ):
                    first, last = getattr(start, "value", None), getattr(end, "value", None)
                    if type(first) is int and type(last) is int:
                        texts = (str(exact), str(prefix), str(suffix))
                        found.append(Quote(str(claim), str(article), *texts, first, last))
    return sorted(found, key=lambda q: (q.article, q.start, q.claim))


#: The pattern ``quotes`` walks, as one SPARQL query for Oxigraph, which answers it in 0.09 s at
#: 100k triples with the OPTIONALs last (198 s with them before the position selector); the walk
#: through pyshacl's view of the store took 2 s. rdflib's engine is slow on it either way.
STORE_QUOTES = """
PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?claim ?article ?exact ?prefix ?suffix ?start ?end WHERE {
  ?claim a rcs:Claim ; rcs:evidence ?resource .
  ?resource oa:hasSource ?article .
  ?resource oa:hasSelector ?quote . ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  ?resource oa:hasSelector ?position .
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
  OPTIONAL { ?quote oa:prefix ?prefix }
  OPTIONAL { ?quote oa:suffix ?suffix }
}
"""


def quotes_in_store(store: ox.Store) -> list[Quote]:
    """What ``quotes`` finds in the union of a store's graphs, asked of Oxigraph directly."""
    found = set()
    rows = store.query(STORE_QUOTES, use_default_graph_as_union=True)
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        claim, article, exact, start, end = (to_rdflib(row[name]) for name in _STORE_COLUMNS)
        prefix, suffix = (to_rdflib(row[n]) if row[n] is not None else EMPTY for n in _AFFIXES)
        first, last = getattr(start, "value", None), getattr(end, "value", None)
        if type(first) is int and type(last) is int:
            texts = (str(exact), str(prefix), str(suffix))
            found.add(Quote(str(claim), str(article), *texts, first, last))
    return sorted(found, key=lambda q: (q.article, q.start, q.claim))


_STORE_COLUMNS = ("claim", "article", "exact", "start", "end")
_AFFIXES = ("prefix", "suffix")


def _distinct(nodes: Iterable[Node]) -> list[Node]:
    """``nodes`` without repeats, in the order first seen."""
    return list(dict.fromkeys(nodes))


def locate(text: str, exact: str, prefix: str = "", suffix: str = "") -> tuple[int, int]:
    """The (start, end) of the one place where ``prefix + exact + suffix`` stands in ``text``."""
    needle = prefix + exact + suffix
    first = text.find(needle)
    if first < 0 or text.find(needle, first + 1) >= 0:
        raise ValueError(f"quote {exact!r} is {'ambiguous' if first >= 0 else 'not'} in the text")
    return first + len(prefix), first + len(prefix) + len(exact)


def read_source_texts(graph: Graph, folders: Sequence[Path]) -> tuple[dict[str, str], list[Result]]:
    """The text of each article found in ``folders``, and results for texts missing or altered."""
    texts: dict[str, str] = {}
    results: list[Result] = []
    for article in graph.subjects(RDF.type, RCS.Article):
        if not isinstance(article, URIRef):
            continue
        name = graph.value(article, RCS.sourceText)
        if name is None:
            continue
        expected = graph.value(article, RCS.sourceTextSha256)
        if "/" in str(name) or "\\" in str(name) or str(name) in (".", ".."):  # not a path
            message = f"source text {name} is a path: name a file beside the data"
            results.append(_result("Violation", article, message))
            continue
        # beside the data under its own name, or in a store's text folder under its checksum
        names = [str(name), *([f"{expected}.txt"] if expected is not None else [])]
        candidates = (f / n for f in folders for n in names)
        path = next((c for c in candidates if c.is_file()), None)
        if path is None:
            message = f"source text {name} not found beside the data: quotes unchecked"
            results.append(_result("Warning", article, message))
            continue
        data = path.read_bytes()
        if expected is not None and hashlib.sha256(data).hexdigest() != str(expected):
            message = f"{name} differs from its recorded SHA-256"
            results.append(_result("Violation", article, message))
            continue
        texts[str(article)] = data.decode("utf-8")
    return texts, results


def check_quotes(
    graph: Graph, texts: dict[str, str], found: Sequence[Quote] | None = None
) -> list[Result]:
    """A violation for each quote (``found``, else ``quotes(graph)``) that does not match its
    article's text at its offsets."""
    results = []
    for q in quotes(graph) if found is None else found:
        text = texts.get(q.article)
        if text is None:
            continue
        problem = _mismatch(text, q)
        if problem:
            results.append(_result("Violation", URIRef(q.claim), problem))
    return results


def _mismatch(text: str, q: Quote) -> str | None:
    at = text[q.start : q.end]
    if at != q.exact:
        return f"quote {q.exact!r} is not at {q.start}..{q.end} of the text (found {at!r})"
    if text[max(0, q.start - len(q.prefix)) : q.start] != q.prefix:
        return f"prefix of quote {q.exact!r} does not precede it in the text"
    if text[q.end : q.end + len(q.suffix)] != q.suffix:
        return f"suffix of quote {q.exact!r} does not follow it in the text"
    return None


def _result(severity: str, focus: URIRef, message: str) -> Result:
    return Result(
        severity=severity,
        focus=str(focus),
        focus_label=str(focus),
        message=message,
        shape=str(RCSH.QuoteMatchesSourceText),
        component=str(RCSH.QuoteMatchesSourceTextComponent),
    )
