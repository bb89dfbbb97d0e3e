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
