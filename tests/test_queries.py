"""The canned-query catalogue: headers, the contract, expected rows on both engines, parameters.

Expected answers are golden files in ``snapshots/queries/``; set ``RCSGRAPH_UPDATE_SNAPSHOTS=1``
to rewrite them after a deliberate change, then review the diff.
"""

import json
import os
from collections import Counter
from pathlib import Path

import pytest
from rdflib import Literal, URIRef

from rcsgraph import queries
from rcsgraph.graph.loading import fill_store
from rcsgraph.queries import HeaderError, Param, ParameterError
from rcsgraph.store import OxigraphStore, RdflibStore, Results, Store

SNAPSHOTS = Path(__file__).parent / "snapshots" / "queries"
CATALOGUE = queries.load_catalogue()

#: DESIGN.md section 6: names and result variables are a contract.
CONTRACT = {
    "societies": ("society", "label", "country", "countryLabel", "founded", "head", "headLabel"),
    "facility-countries": ("country", "label", "iso2", "wikidata", "facilities"),
    "missions": ("mission", "label", "place", "placeLabel"),
    "awards": ("conferral", "award", "awardLabel", "year", "conferredBy", "conferredByLabel"),
    "meetings": (
        "meeting",
        "date",
        "place",
        "placeLabel",
        "participant",
        "participantLabel",
        "role",
    ),
    "cooperations": ("cooperation", "member", "memberLabel", "description"),
    "countries": ("country", "label", "iso2", "iso3", "wikidata", "geonames", "region", "roles"),
    "timeline": ("date", "event", "label"),
    "evidence": ("claim", "property", "value", "quote", "article"),
    "links": ("resource", "label", "target"),
}
SOCIETY_DEFAULT = "https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society"

#: Columns made with GROUP_CONCAT: their queries order the input, so that every engine lists
#: the items in one (alphabetical) order.
CONCATENATED = {"roles", "names"}


@pytest.fixture(scope="module")
def engines() -> dict[str, Store]:
    stores: dict[str, Store] = {"oxigraph": OxigraphStore(), "rdflib": RdflibStore()}
    for store in stores.values():
        fill_store(store)
    return stores


def arguments(query: queries.CannedQuery) -> dict[str, str]:
    """Defaults, and the example for a parameter without one."""
    return {p.name: p.example for p in query.params if p.default is None and p.example}


def as_json(results: Results) -> dict[str, object]:
    if results.kind == "graph":
        return {"triples": sorted(" ".join(t.n3() for t in triple) for triple in results.triples)}
    rows = [[None if v is None else v.n3() for v in row] for row in results.rows]
    return {"variables": list(results.variables), "rows": rows}


def comparable(answer: dict[str, object]) -> Counter[tuple[object, ...]]:
    """Rows as a multiset (concatenated columns compared as they are: byte for byte)."""
    return Counter(tuple(row) for row in answer["rows"])  # type: ignore[attr-defined]


def test_contract_names_and_variables() -> None:
    for name, variables in CONTRACT.items():
        assert name in CATALOGUE, f"the catalogue lacks {name}"
        assert CATALOGUE[name].columns == variables, name


@pytest.mark.parametrize("name", ["facility-countries", "missions", "awards"])
def test_society_parameter_defaults_to_the_iranian_society(name: str) -> None:
    assert CATALOGUE[name].param("society").default == SOCIETY_DEFAULT


@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_query_answers_as_expected_on_both_engines(engines: dict[str, Store], name: str) -> None:
    query = CATALOGUE[name]
    answers = {e: queries.run(s, query, arguments(query)) for e, s in engines.items()}
    expected_file = SNAPSHOTS / f"{name}.json"
    ours = as_json(answers["oxigraph"])
    if os.environ.get("RCSGRAPH_UPDATE_SNAPSHOTS"):
        expected_file.write_text(json.dumps(ours, indent=1, ensure_ascii=False) + "\n")
    assert expected_file.exists(), f"no expected answer for {name}: see this module's docstring"
    expected = json.loads(expected_file.read_text())
    reference = as_json(answers["rdflib"])
    if "rows" in expected:
        for answer in (ours, reference):
            assert answer["variables"] == expected["variables"]
            assert comparable(answer) == comparable(expected), f"{name} differs from the snapshot"
        first_column = [row[0] for row in expected["rows"]]
        assert [row[0] for row in ours["rows"]] == first_column, "Oxigraph's order changed"
        assert expected["rows"], f"{name} answers nothing on the article graph"
    else:
        assert ours == reference == expected


@pytest.mark.parametrize("name", ["countries", "countries-by-region"])
def test_the_same_request_gives_the_same_concatenated_lists(
    engines: dict[str, Store], name: str
) -> None:
    """Issue 16, item 8: GROUP_CONCAT lists come in one order, alphabetical, on both engines."""
    query = CATALOGUE[name]
    answers = [as_json(queries.run(s, query, {})) for s in engines.values()]
    assert answers[0] == answers[1]
    columns = [i for i, n in enumerate(answers[0]["variables"]) if n in CONCATENATED]  # type: ignore[arg-type]
    for row in answers[0]["rows"]:  # type: ignore[attr-defined]
        for i in columns:
            items = _unquoted(row[i]).split(", ")
            assert items == sorted(items), f"{name}: {items}"


def _unquoted(n3: str | None) -> str:
    return "" if n3 is None else n3.strip('"')


def test_every_snapshot_belongs_to_a_query() -> None:
    assert {p.stem for p in SNAPSHOTS.glob("*.json")} == set(CATALOGUE)


def test_facility_countries_lists_the_13_countries(engines: dict[str, Store]) -> None:
    answer = queries.run(engines["oxigraph"], CATALOGUE["facility-countries"], {})
    labels = {str(row[1]) for row in answer.rows}
    assert len(answer.rows) == 13 and {"Congo", "Ivory Coast", "Ecuador"} <= labels


def test_evidence_quotes_are_verbatim(engines: dict[str, Store], article_text: str) -> None:
    answer = queries.run(engines["oxigraph"], CATALOGUE["evidence"], {"resource": SOCIETY_DEFAULT})
    quotes = [str(row[3]) for row in answer.rows]
    assert "established in 1922" in quotes and all(q in article_text for q in quotes)


# ---------------------------------------------------------------- parameters

TYPED = {
    "iri": ("https://example.org/x", ["not an iri", "x> } UNION { ?s ?p ?o", "<https://a>", ""]),
    "string": ('say "hi" } {', []),
    "integer": ("42", ["4.2", "forty", "1; DROP ALL"]),
    "year": ("2005", ["05", "2005-01-01", "year"]),
    "date": ("2022-09-17", ["2022-09-31", "17/09/2022", "2022-09-17T00:00:00"]),
}


@pytest.mark.parametrize("kind", sorted(TYPED))
def test_each_parameter_type_accepts_its_values_and_refuses_others(kind: str) -> None:
    param = Param("x", kind, "a test parameter")
    good, bad = TYPED[kind]
    assert queries.to_term(param, good) is not None
    for value in bad:
        with pytest.raises(ParameterError, match="x must be"):
            queries.to_term(param, value)


def test_terms_are_typed() -> None:
    assert queries.to_term(Param("y", "year", "d"), "2005").datatype.endswith("gYear")  # type: ignore[union-attr]
    assert queries.to_term(Param("i", "iri", "d"), "https://a.example/") == URIRef(
        "https://a.example/"
    )
    assert queries.to_term(Param("s", "string", "d"), 'a"b') == Literal('a"b')


def test_missing_unknown_and_enum_parameters_are_refused() -> None:
    with pytest.raises(ParameterError, match="needs the parameter resource"):
        queries.bind(CATALOGUE["evidence"], {})
    with pytest.raises(ParameterError, match="no parameter 'colour'"):
        queries.bind(CATALOGUE["facility-countries"], {"colour": "red"})
    with pytest.raises(ParameterError, match="region must be one of"):
        queries.bind(CATALOGUE["countries-in-region"], {"region": "Europe"})


def test_injection_through_a_string_is_inert(engines: dict[str, Store]) -> None:
    query = CATALOGUE["search"]
    for store in engines.values():
        attack = queries.run(store, query, {"text": '"} UNION { ?s ?p ?o } #'})
        assert attack.variables == query.columns and attack.rows == ()
        honest = queries.run(store, query, {"text": "Congo"})
        assert len(honest.rows) >= 3


def test_a_malformed_header_fails_with_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "bad.rq"
    bad.write_text("#+ summary: [unclosed\n#+ view: table\nSELECT * WHERE { ?s ?p ?o }\n")
    with pytest.raises(HeaderError, match=r"bad.rq:\d+"):
        queries.parse_file(bad)


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("#+ view: table\n", "needs a `summary`"),
        ("#+ summary: s\n#+ view: pie\n", "view must be one of"),
        ("#+ summary: s\n#+ params:\n#+   p:\n#+     type: colour\n", "type` must be one of"),
        ("#+ summary: s\n#+ colour: red\n", "unknown header keys"),
        (
            "#+ summary: s\n#+ params:\n#+   p:\n#+     type: iri\n#+     description: d\n",
            "must be in the SELECT clause",
        ),
    ],
)
def test_header_mistakes_are_caught(tmp_path: Path, header: str, message: str) -> None:
    bad = tmp_path / "q.rq"
    bad.write_text(header + "SELECT ?s WHERE { ?s ?p ?o }\n")
    with pytest.raises(HeaderError, match=message):
        queries.parse_file(bad)
