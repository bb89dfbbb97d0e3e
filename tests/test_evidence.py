"""Every fact has evidence, every quote stands in the text where it says, every sentence is used."""

import hashlib
import re
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from rcsgraph import resources
from rcsgraph.graph.evidence import Quote, check_quotes, locate, quotes, quotes_in_store
from rcsgraph.graph.validation import oxigraph_store
from rcsgraph.namespaces import RCS

#: Sentences of the article judged to state no fact, with the reason.
#: Sentences exempt from being quoted. None since the review of 2026-12-01: the heading "IRCS
#: services worldwide" is the only basis for the facilities being the IRCS's, so it is quoted.
NOT_FACTS: dict[str, str] = {}


def sentences(text: str) -> list[tuple[int, int]]:
    """Spans of the article's sentences and headings.

    A sentence ends at a full stop followed by white space (or the end), and a paragraph break
    ends a heading or the closing initials, except where a list runs on after a comma (the list
    of facility countries is broken across a blank line).
    """
    spans, start = [], 0
    for match in re.finditer(r"\.(?=\s|$)|\n\n", text):
        if match.group() == "\n\n" and text[start : match.start()].rstrip().endswith(","):
            continue
        if text[start : match.end()].strip():
            spans.append((start, match.end()))
        start = match.end()
    if text[start:].strip():
        spans.append((start, len(text)))
    return [_trimmed(text, a, b) for a, b in spans]


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    chunk = text[start:end]
    return start + len(chunk) - len(chunk.lstrip()), end - (len(chunk) - len(chunk.rstrip()))


@pytest.fixture(scope="module")
def all_quotes(graph: Graph) -> list[Quote]:
    return quotes(graph)


def test_source_text_checksum_matches(graph: Graph, article_text: str) -> None:
    article = next(graph.subjects(RDF.type, RCS.Article))
    digest = hashlib.sha256(article_text.encode("utf-8")).hexdigest()
    assert str(graph.value(article, RCS.sourceTextSha256)) == digest


def test_every_claim_has_a_quote(graph: Graph, all_quotes: list[Quote]) -> None:
    claims = set(map(str, graph.subjects(RDF.type, RCS.Claim)))
    assert claims and claims == {q.claim for q in all_quotes}


#: The pattern ``quotes`` walks, as SPARQL: the oracle it must agree with.
QUOTE_PATTERN = """
PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX oa: <http://www.w3.org/ns/oa#>
SELECT ?claim ?article ?exact ?prefix ?suffix ?start ?end WHERE {
  ?claim a rcs:Claim ; rcs:evidence ?resource .
  ?resource oa:hasSource ?article ; oa:hasSelector ?quote , ?position .
  ?quote a oa:TextQuoteSelector ; oa:exact ?exact .
  OPTIONAL { ?quote oa:prefix ?prefix }
  OPTIONAL { ?quote oa:suffix ?suffix }
  ?position a oa:TextPositionSelector ; oa:start ?start ; oa:end ?end .
}
"""


def test_quotes_walk_agrees_with_the_sparql_pattern(graph: Graph, all_quotes: list[Quote]) -> None:
    rows: list[Any] = list(graph.query(QUOTE_PATTERN))
    expected = {(*(str(term or "") for term in row[:5]), int(row[5]), int(row[6])) for row in rows}
    walked = [(q.claim, q.article, q.exact, q.prefix, q.suffix, q.start, q.end) for q in all_quotes]
    assert len(walked) == len(set(walked)) == len(expected) > 0
    assert set(walked) == expected


def test_each_quote_equals_the_text_at_its_offsets(
    all_quotes: list[Quote], article_text: str
) -> None:
    wrong = [q for q in all_quotes if article_text[q.start : q.end] != q.exact]
    assert not wrong


def test_each_quote_has_its_prefix_and_suffix_around_it(
    all_quotes: list[Quote], article_text: str
) -> None:
    for q in all_quotes:
        assert locate(article_text, q.exact, q.prefix, q.suffix) == (q.start, q.end), q.claim


def test_the_splitter_finds_the_article_sentences(article_text: str) -> None:
    found = [article_text[a:b] for a, b in sentences(article_text)]
    assert found[0].startswith("date 2022-09-18 TEHRAN – Cooperation")  # noqa: RUF001
    assert "IRCS services worldwide" in found
    assert found[-1] == "FB/MG"
    assert any(s.startswith("Currently, some 14") and s.endswith("Ecuador.") for s in found)
    assert len(found) == 11


def test_every_sentence_that_states_a_fact_backs_a_claim(
    all_quotes: list[Quote], article_text: str
) -> None:
    unused = []
    for start, end in sentences(article_text):
        sentence = article_text[start:end]
        backed = any(start <= q.start and q.end <= end for q in all_quotes)
        if not backed and sentence not in NOT_FACTS:
            unused.append(sentence)
        assert not (backed and sentence in NOT_FACTS), f"exempt sentence is quoted: {sentence}"
    assert not unused, "sentences stating facts without a claim:\n" + "\n".join(unused)


def test_a_quote_moved_off_its_text_is_reported(graph: Graph, article_text: str) -> None:
    moved = Graph()
    for triple in graph:
        moved.add(triple)
    claim = next(moved.subjects(RDF.type, RCS.Claim))
    for node in moved.transitive_objects(claim, None):
        for predicate in (URIRef("http://www.w3.org/ns/oa#start"),):
            start = moved.value(node, predicate)
            if start is not None:
                moved.set((node, predicate, type(start)(int(start) + 1)))
    article = next(moved.subjects(RDF.type, RCS.Article))
    results = check_quotes(moved, {str(article): article_text})
    assert [r.focus for r in results] == [str(claim)]
    assert "is not at" in results[0].message


def test_bundled_text_is_the_shared_source() -> None:
    from conftest import shared_or_skip

    source = shared_or_skip("source", "000_81f608ae0f6bedba.txt")
    assert source.read_bytes() == (resources.root() / "data" / "article.txt").read_bytes()


def test_quotes_asked_of_oxigraph_are_the_walks(all_quotes: list[Quote]) -> None:
    """``validate_store`` asks Oxigraph for the quotes in one query instead of walking."""
    assert quotes_in_store(oxigraph_store(resources.data_files())) == all_quotes
