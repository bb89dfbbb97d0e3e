"""``rcsgraph.sparql.results``: answers written by the engine, and the row cap they announce."""

import json

import pyoxigraph as ox
import pytest

from rcsgraph.sparql.results import capped_text, engine_written

EX = "http://example.org/"
QUERY = "SELECT ?s ?o ?none WHERE { ?s ?p ?o OPTIONAL { ?s <http://example.org/q> ?none } }"
JSON = "application/sparql-results+json"


@pytest.fixture(scope="module")
def store() -> ox.Store:
    found = ox.Store()
    for i in range(50):  # values that look like JSON keys and hold line breaks
        value = ox.Literal(f'say "type": {i}\n')
        found.add(ox.Quad(ox.NamedNode(f"{EX}{i}"), ox.NamedNode(f"{EX}p"), value))
    return found


@pytest.mark.parametrize("cap", [5, 49, 50, 100])
def test_json_is_cut_at_the_cap_and_says_so(store: ox.Store, cap: int) -> None:
    answer = engine_written(store.query(capped_text(QUERY, cap)), JSON, cap)
    assert answer is not None
    rows = json.loads(answer.body)["results"]["bindings"]
    assert len(rows) == min(cap, 50)
    assert answer.truncated == (cap < 50)


@pytest.mark.parametrize("rows", [0, 1, 2, 7, 8])
def test_json_rows_are_counted_without_parsing_the_answer(rows: int) -> None:
    found = ox.Store()
    for i in range(rows):  # three columns a row, one of them sometimes unbound
        subject = ox.NamedNode(f"{EX}{i}")
        found.add(ox.Quad(subject, ox.NamedNode(f"{EX}p"), ox.Literal("}},{ and {}")))
        if i % 2:
            found.add(ox.Quad(subject, ox.NamedNode(f"{EX}q"), ox.Literal(str(i))))
    query = f"SELECT ?s ?o ?q WHERE {{ ?s <{EX}p> ?o OPTIONAL {{ ?s <{EX}q> ?q }} }}"
    answer = engine_written(found.query(capped_text(query, 7)), JSON, 7)
    assert answer is not None
    assert len(json.loads(answer.body)["results"]["bindings"]) == min(rows, 7)
    assert answer.truncated == (rows > 7)


def test_an_answer_of_empty_rows_is_cut_at_the_cap() -> None:
    found = ox.Store()
    for i in range(9):
        found.add(ox.Quad(ox.NamedNode(f"{EX}{i}"), ox.NamedNode(f"{EX}p"), ox.Literal("v")))
    answer = engine_written(found.query(capped_text("SELECT ?none { ?s ?p ?o }", 7)), JSON, 7)
    assert answer is not None and answer.truncated
    assert json.loads(answer.body)["results"]["bindings"] == [{}] * 7


@pytest.mark.parametrize(
    "media", ["application/sparql-results+xml", "text/csv", "text/tab-separated-values"]
)
def test_other_formats_are_left_to_the_row_writer_when_the_cap_may_be_reached(
    store: ox.Store, media: str
) -> None:
    assert engine_written(store.query(capped_text(QUERY, 5)), media, 5) is None
    small = engine_written(store.query(capped_text(QUERY, 1000)), media, 1000)
    assert small is not None and not small.truncated


def test_a_query_ending_in_values_cannot_take_the_added_limit(store: ox.Store) -> None:
    with pytest.raises(SyntaxError):
        store.query(capped_text(QUERY + " VALUES ?s { <http://example.org/1> }", 5))
