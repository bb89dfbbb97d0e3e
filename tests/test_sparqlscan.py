"""The lexical scan the endpoint's safety checks rest on: what it must find, and what it must
not be fooled by (keywords in strings, comments, IRIs and escaped prefixed names)."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcsgraph.errors import InputError
from rcsgraph.sparql import terminals
from rcsgraph.sparql.scan import expand_star, scan, star_order, tokens, with_using
from rcsgraph.store.binding import checked_iri

EVIL = "http://evil.example/sparql"


@pytest.mark.parametrize(
    "text",
    [
        f"SELECT * WHERE {{ SERVICE <{EVIL}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE SILENT <{EVIL}> {{ ?s ?p ?o }} }}",
        f"select * where {{ service <{EVIL}> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SeRvIcE\n\t<{EVIL}>{{ ?s ?p ?o }} }}",
        "PREFIX e: <http://evil.example/> SELECT * { SERVICE e:sparql { ?s ?p ?o } }",
        "PREFIX : <http://evil.example/> SELECT * { SERVICE :sparql { ?s ?p ?o } }",
        "BASE <http://evil.example/> SELECT * { SERVICE <sparql> { ?s ?p ?o } }",
        "BASE <http://evil.example/a/> PREFIX e: <../> SELECT * { SERVICE e:sparql {} }",
        f"SELECT * {{ {{ SELECT * {{ SERVICE <{EVIL}> {{}} }} }} }}",
        # an escaped '#' belongs to the name: what follows is no comment
        f"PREFIX e: <http://x/> SELECT * {{ ?s e:a\\# ?o . SERVICE <{EVIL}> {{}} }}",
        # an escaped quote belongs to the name: what follows is no string
        f"PREFIX e: <http://x/> SELECT * {{ ?s e:a\\' ?o . SERVICE <{EVIL}> {{}} }} # '",
        # a comment ends at a carriage return too
        f"SELECT * {{ # note\rSERVICE <{EVIL}> {{}} }}",
    ],
)
def test_service_is_found(text: str) -> None:
    assert scan(text).services == [EVIL]


@pytest.mark.parametrize(
    "text",
    [
        "SELECT * { SERVICE ?x { ?s ?p ?o } }",
        "SELECT * { SERVICE SILENT $x { ?s ?p ?o } }",
    ],
)
def test_service_on_a_variable_is_found(text: str) -> None:
    assert scan(text).services == ["?"]


@pytest.mark.parametrize(
    "text",
    [
        'SELECT * { ?s ?p "SERVICE <http://evil.example/sparql> {}" }',
        "SELECT * { ?s ?p 'LOAD <http://evil.example/>' }",
        'SELECT * { ?s ?p """FROM <http://evil.example/>\nSERVICE <x> {}""" }',
        "SELECT * { ?s ?p '''it's SERVICE <x> {} ''' }",
        "SELECT * { ?s ?p ?o } # SERVICE <http://evil.example/sparql> {}",
        "# LOAD <http://evil.example/>\nASK {}",
        "SELECT * { ?s <http://example.org/SERVICE> ?o }",
        "PREFIX service: <http://x/> SELECT * { ?s service:from ?o }",
        "PREFIX e: <http://x/> SELECT * { ?s e:SERVICE ?o . ?s e:load ?o }",
        'SELECT * { ?s ?p "x"@service }',
        "SELECT ?service ?from ?load WHERE { ?service ?from ?load }",
        "SELECT * { ?s ?p _:service }",
        'SELECT * { ?s ?p "a \\" SERVICE <x> {} \\"" }',
    ],
)
def test_keywords_in_strings_comments_iris_and_names_are_not_found(text: str) -> None:
    found = scan(text)
    assert (found.services, found.loads, found.from_graphs, found.from_named) == ([], [], [], [])


def test_load() -> None:
    assert scan(f"LOAD <{EVIL}>").loads == [EVIL]
    assert scan(f"LOAD SILENT <{EVIL}> INTO GRAPH <g>").loads == [EVIL]
    assert scan(f"CREATE GRAPH <g> ; load <{EVIL}> ;").loads == [EVIL]
    assert scan("LOAD ;").loads == ["?"]


def test_from_and_using() -> None:
    found = scan("SELECT * FROM <http://a/> FROM NAMED <http://b/> FROM <http://c/> { }")
    assert found.from_graphs == ["http://a/", "http://c/"]
    assert found.from_named == ["http://b/"]
    assert not found.update_dataset
    found = scan("PREFIX g: <http://g/> INSERT { } USING g:1 USING NAMED g:2 WHERE { }")
    assert (found.from_graphs, found.from_named) == (["http://g/1"], ["http://g/2"])
    assert found.update_dataset
    assert scan("WITH <http://g/> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }").update_dataset
    assert scan("SELECT * FROM <g> {}", base="http://example.org/sparql").from_graphs == [
        "http://example.org/g"
    ]


@pytest.mark.parametrize(
    ("text", "form"),
    [
        ("SELECT * {}", "SELECT"),
        ("PREFIX : <http://x/> BASE <http://y/> ask {}", "ASK"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
        ("DESCRIBE <http://x>", "DESCRIBE"),
        ("INSERT DATA { <a> <b> <c> }", "UPDATE"),
        ("WITH <g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "UPDATE"),
        ("CLEAR ALL", "UPDATE"),
        ("# only a comment", None),
        ("PREFIX : <http://x/>", None),
    ],
)
def test_form(text: str, form: str | None) -> None:
    assert scan(text).form == form


def test_select_star_span() -> None:
    text = "SELECT  *  WHERE { ?b ?a ?c }"
    found = scan(text)
    assert found.star == (8, 9) and text[8] == "*"
    assert scan("SELECT DISTINCT * { ?s ?p ?o }").star is not None
    assert scan("select reduced * { ?s ?p ?o }").star is not None
    assert scan("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }").star is None
    assert scan("SELECT ?s { { SELECT * { ?s ?p ?o } } }").star is None  # a subquery's


def test_variable_order_and_star_order() -> None:
    text = "SELECT * WHERE { ?zebra ?apple $mango . OPTIONAL { ?apple ?banana ?zebra } }"
    found = scan(text)
    assert found.variables == ["zebra", "apple", "mango", "banana"]
    engine_order = ["apple", "banana", "mango", "zebra"]
    assert star_order(found.variables, engine_order) == ["zebra", "apple", "mango", "banana"]
    assert expand_star(text, found, engine_order).startswith(
        "SELECT ?zebra ?apple ?mango ?banana WHERE"
    )
    assert expand_star("SELECT ?x {}", scan("SELECT ?x {}"), ["x"]) == "SELECT ?x {}"


def test_top_level_limit_only() -> None:
    assert scan("SELECT * { ?s ?p ?o } LIMIT 10").limit == 10
    assert scan("SELECT * { ?s ?p ?o } ORDER BY ?s limit 5 OFFSET 3").limit == 5
    assert scan("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } }").limit is None
    assert scan("SELECT * { { SELECT * { ?s ?p ?o } LIMIT 3 } } LIMIT 7").limit == 7
    assert scan("SELECT * { ?s ?p 'LIMIT 3' }").limit is None


def test_nesting_depth_counts_every_kind_of_bracket() -> None:
    assert scan("ASK {}").max_depth == 1
    assert scan("ASK { FILTER((1)) }").max_depth == 3
    assert scan("ASK { ?s ?p [ ?q [ ?r 1 ] ] }").max_depth == 3
    assert scan("ASK { << <a> <b> << <c> <d> <e> >> >> ?p ?o }").max_depth == 3
    assert scan("ASK { FILTER(?a < ?b) FILTER('((((') }").max_depth == 2


def test_tokens_keep_brace_depth() -> None:
    found = tokens("SELECT * { ?s ?p 'a { b' . { ?x ?y ?z } }")
    assert [(t.text, t.depth) for t in found if t.kind == "var"] == [
        ("?s", 1),
        ("?p", 1),
        ("?x", 2),
        ("?y", 2),
        ("?z", 2),
    ]
    assert [t.kind for t in tokens("?v <i> e:l _:b 'x'@en-GB 12 ex: .")] == [
        "var",
        "iri",
        "pname",
        "bnode",
        "string",
        "langtag",
        "number",
        "pname",
        "other",
    ]


def test_with_using_writes_the_dataset_before_each_where() -> None:
    text = (
        "DROP ALL ; INSERT DATA { <a> <b> <c> } ;\n"
        "INSERT { GRAPH <g> { ?s ?p ?o } } WHERE { ?s ?p ?o } ;\n"
        "DELETE { ?s ?p ?o } INSERT { ?s ?p 1 } WHERE { { SELECT * WHERE { ?s ?p ?o } } }"
    )
    written = with_using(text, ("http://d/1", "http://d/2"), ("http://n/1",))
    clauses = "USING <http://d/1> USING <http://d/2> USING NAMED <http://n/1> WHERE"
    assert written.count(clauses) == 2
    assert written.count("WHERE") == 3  # the subquery's WHERE is left alone
    assert "INSERT DATA { <a> <b> <c> }" in written


def test_with_using_rewrites_delete_where() -> None:
    written = with_using("DELETE WHERE { ?s <p> ?o }", ("http://d/",), ())
    assert written == "DELETE { ?s <p> ?o } USING <http://d/> WHERE { ?s <p> ?o }"


@pytest.mark.parametrize(
    "value",
    [
        "relative/graph",
        "http://x/> } ; DROP ALL ; INSERT DATA { <a> <b> <c",
        "http://x/a b",
        'http://x/"',
        "http://x/\\u003e",
        "",
    ],
)
def test_an_iri_that_could_break_out_is_refused(value: str) -> None:
    with pytest.raises(InputError, match="not an absolute IRI"):
        checked_iri(value)
    with pytest.raises(InputError):
        with_using("INSERT { } WHERE { }", (value,), ())


def test_absolute_iris_are_accepted() -> None:
    for value in ("http://example.org/g", "urn:x:y", "tag:a@b,2020:c#d", "file:///etc/passwd"):
        assert checked_iri(value) == value


@pytest.mark.parametrize(
    ("text", "lookup"),
    [
        ("SELECT ?p ?o { <http://example.org/a> ?p ?o }", True),
        ("SELECT * WHERE { ?s ?p ?o . } LIMIT 10", True),
        ("PREFIX ex: <http://example.org/> BASE <http://b/> SELECT ?s { ?s a ex:C }", True),
        ('SELECT ?s { ?s <http://example.org/p> "x"@en }', True),
        (
            'SELECT ?s { ?s <http://example.org/p> "1"^^<http://www.w3.org/2001/XMLSchema#int> }',
            True,
        ),
        ("SELECT ?s { ?s <http://example.org/p> 14 }", True),
        ("select ?s where { ?s ?p ?o } limit 5", True),
        ("SELECT ?x { ?x ?p ?x }", False),  # repeated: rows read that are no answers
        ("SELECT ?x { ?x ?p $x }", False),
        ("SELECT DISTINCT ?s { ?s ?p ?o }", False),
        ("SELECT ?s { ?s ?p ?o } ORDER BY ?s", False),
        ("SELECT ?s { ?s ?p ?o } OFFSET 5", False),
        ("SELECT ?s { ?s ?p ?o } LIMIT 5 OFFSET 5", False),
        ("SELECT ?s { ?s ?p ?o . ?o ?q ?r }", False),
        ("SELECT ?s { ?s ?p ?o FILTER (?o > 1) }", False),
        ("SELECT ?s { ?s <http://example.org/p>+ ?o }", False),
        ("SELECT ?s { ?s <http://example.org/p>/<http://example.org/q> ?o }", False),
        ("SELECT ?s FROM <http://example.org/g> { ?s ?p ?o }", False),
        ("SELECT ?s { GRAPH ?g { ?s ?p ?o } }", False),
        ("SELECT ?s { _:b ?p ?s }", False),
        ("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }", False),
        ("ASK { ?s ?p ?o }", False),
        ("CONSTRUCT WHERE { ?s ?p ?o }", False),
        ("SELECT ?s { ?s ?p ?o } GROUP BY ?s", False),
        ("SELECT ?s { ?s ?p ?o ; ?q ?r }", False),
        ("SELECT ?s { SERVICE <http://example.org/> { ?s ?p ?o } }", False),
        ("SELECT ?s {", False),
        ("SELECT", False),
    ],
)
def test_a_lookup_is_one_triple_pattern_whose_rows_are_all_answers(text: str, lookup: bool) -> None:
    assert scan(text).lookup is lookup


# Text that is all ASCII is read with a pattern of the ASCII name characters alone, the rest
# with the full one (rcsgraph.sparql.terminals): both must read what the grammar says.
NON_ASCII_NAMES = [
    ("?név", ["var"]),
    ("?x·y", ["var"]),  # U+00B7 may follow a variable's first character
    ("?·x", ["other", "other", "word"]),  # but may not be its first
    ("?x\u00d7", ["var", "other"]),  # the multiplication sign is no name character
    ("ex:ایران", ["pname"]),
    ("ایران:x", ["pname"]),
    ("é:", ["pname"]),
    ("e:a\u0301b", ["pname"]),  # a combining accent inside a local name
    ("_:b\u203f1", ["bnode"]),
    ("_:𐀀", ["bnode"]),  # past the Basic Multilingual Plane
    ("ex:a\u037e", ["pname", "other"]),  # the Greek question mark ends the name
    ("'ایران'@fa", ["string", "langtag"]),
    ("<http://example.org/é>", ["iri"]),
]


@pytest.mark.parametrize(("text", "kinds"), NON_ASCII_NAMES)
def test_non_ascii_names_are_read_as_the_grammar_says(text: str, kinds: list[str]) -> None:
    assert [t.kind for t in tokens(text)] == kinds


@pytest.mark.parametrize(
    "text",
    [
        "PREFIX é: <http://evil.example/> SELECT * { SERVICE é:sparql { ?s ?p ?o } }",
        "PREFIX e: <http://evil.example/> SELECT ?név { SERVICE e:sparql { ?név ?p ?o } }",
        'SELECT * { ?s ?p "ایران" . SERVICE <http://evil.example/sparql> {} }',
        "PREFIX e: <http://evil.example/> SELECT * { ?s e:é\\# ?o . SERVICE e:sparql {} }",
    ],
)
def test_service_is_found_in_text_that_is_not_ascii(text: str) -> None:
    assert scan(text).services == [EVIL]


def test_the_full_pattern_is_compiled_only_for_text_that_is_not_ascii() -> None:
    terminals._all_tokens.cache_clear()
    scan("SELECT ?p ?o { <https://w3id.org/rcsgraph/id/country/irn> ?p ?o }")
    assert terminals._all_tokens.cache_info().currsize == 0
    assert terminals._ASCII_TOKENS.pattern.isascii()
    assert scan("SELECT ?név { ?név ?p ?o }").variables == ["név", "p", "o"]
    assert terminals._all_tokens.cache_info().currsize == 1


def _read(pattern: "re.Pattern[str]", text: str) -> list[tuple[str | None, tuple[int, int]]]:
    return [(m.lastgroup, m.span()) for m in pattern.finditer(text)]


#: Where each class of name characters is read: a variable, a prefix and a local name, a blank
#: node label, each at its start, inside and at its end.
CONTEXTS = (
    "?{c}",
    "?a{c}b",
    "{c}:",
    "a{c}b:",
    "a{c}:",
    ":{c}",
    ":a{c}b",
    ":a{c}",
    "_:{c}",
    "_:a{c}b",
)


def test_both_patterns_read_every_ascii_character_alike() -> None:
    full = terminals._all_tokens()
    for c in map(chr, range(128)):
        for text in (context.format(c=c) for context in CONTEXTS):
            assert _read(terminals._ASCII_TOKENS, text) == _read(full, text), text


ASCII_PIECES = [" ", "\n", "\r", "#", "'", '"', "'''", '"""', "\\", "<", ">", "{", "}", "?", "$"]
ASCII_PIECES += ["_:", ":", ".", "-", "%4F", "%", "@", "^^", "a", "Z", "_", "9", "e", "SERVICE"]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(ASCII_PIECES) | st.text(st.characters(max_codepoint=127), max_size=3))
)
def test_both_patterns_read_ascii_text_alike(pieces: list[str]) -> None:
    text = "".join(pieces)
    full = terminals._all_tokens()
    assert _read(terminals._ASCII_TOKENS, text) == _read(full, text)
