"""``rcsgraph.store.binding.values``: IRIs found in the store handed on to the next query."""

import pytest
from rdflib import URIRef

from rcsgraph.errors import InputError
from rcsgraph.store import OxigraphStore
from rcsgraph.store.binding import values


def test_values_binds_each_iri_in_turn() -> None:
    store = OxigraphStore()
    iris = [URIRef("http://example.org/a"), URIRef("http://example.org/b#c")]
    rows = store.query(f"SELECT ?x WHERE {{ {values('x', iris)} }}").dicts()
    assert [row["x"] for row in rows] == iris


@pytest.mark.parametrize("iri", ["http://example.org/a> } DROP ALL {", "not absolute", "a b:c"])
def test_values_refuses_what_is_not_an_iri(iri: str) -> None:
    with pytest.raises(InputError):
        values("x", [URIRef(iri)])


def test_values_refuses_a_variable_that_is_not_a_name() -> None:
    with pytest.raises(ValueError, match="not a variable"):
        values("x } DROP ALL {", [])
