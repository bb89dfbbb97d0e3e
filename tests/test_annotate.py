"""`rcsgraph annotate`: claims and their evidence computed from an evidence sheet."""

import hashlib
import shutil
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.namespace import RDF

from rcsgraph import resources
from rcsgraph.cli import main
from rcsgraph.graph.annotate import AnnotationError, annotate, locate
from rcsgraph.graph.evidence import check_quotes
from rcsgraph.namespaces import ID, OA, RCS

BUNDLES = Path(__file__).parent / "data" / "bundles"
DATA = resources.root() / "data"
ARTICLE = ID["article/2022-10-01-najaf-test-fixture"]
HEADER = "subject\tproperty\tvalue\tquote\toccurrence\tderivation\tspeaker\n"


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    """A copy of the fixture bundle's folder: facts, sheet and text."""
    folder = tmp_path / "bundle"
    shutil.copytree(BUNDLES, folder)
    return folder


def facts(folder: Path) -> Path:
    return folder / "second-article.facts.ttl"


def sheet(folder: Path) -> Path:
    return folder / "second-article.evidence.tsv"


def add_rows(folder: Path, *rows: str) -> None:
    with sheet(folder).open("a", encoding="utf-8") as out:
        out.writelines(row + "\n" for row in rows)


def problems(folder: Path) -> list[str]:
    with pytest.raises(AnnotationError) as caught:
        annotate(facts(folder), sheet(folder))
    return caught.value.problems


def test_the_committed_article_is_what_annotate_writes() -> None:
    written = annotate(DATA / "article.facts.ttl", DATA / "article.evidence.tsv")
    assert written.data == (DATA / "article.ttl").read_bytes()


def test_the_committed_fixture_bundle_is_what_annotate_writes(bundle: Path) -> None:
    written = annotate(facts(bundle), sheet(bundle))
    assert written.data == (BUNDLES / "second-article.ttl").read_bytes()
    assert written.warnings == []


def test_output_is_deterministic(bundle: Path) -> None:
    first = annotate(facts(bundle), sheet(bundle)).data
    assert annotate(facts(bundle), sheet(bundle)).data == first


def test_claims_carry_quotes_that_stand_at_their_offsets(bundle: Path) -> None:
    graph = Graph().parse(data=annotate(facts(bundle), sheet(bundle)).data, format="turtle")
    text = (bundle / "second-article.txt").read_text(encoding="utf-8")
    assert len(set(graph.subjects(RDF.type, RCS.Claim))) == 6
    assert check_quotes(graph, {str(ARTICLE): text}) == []
    claim = ID["claim/society-example-red-crescent-society.founded.1950"]
    assert (claim, RDF.predicate, RCS.founded) in graph
    quote = ID["claim/society-example-red-crescent-society.founded.1950#quote"]
    assert graph.value(quote, OA.exact) == Literal("established in 1950")
    assert graph.value(quote, OA.prefix) == Literal(text[60:92])  # 32 code points before


def test_the_checksum_is_added_when_the_facts_do_not_state_it(bundle: Path) -> None:
    digest = hashlib.sha256((bundle / "second-article.txt").read_bytes()).hexdigest()
    assert "sourceTextSha256" not in facts(bundle).read_text(encoding="utf-8")
    graph = Graph().parse(data=annotate(facts(bundle), sheet(bundle)).data, format="turtle")
    assert graph.value(ARTICLE, RCS.sourceTextSha256) == Literal(digest)


def test_a_different_checksum_is_refused(bundle: Path) -> None:
    text = facts(bundle).read_text(encoding="utf-8")
    stated = text.replace(
        'rcs:sourceText "second-article.txt" ;',
        'rcs:sourceText "second-article.txt" ;\n    rcs:sourceTextSha256 "' + "0" * 64 + '" ;',
    )
    facts(bundle).write_text(stated, encoding="utf-8")
    (found,) = problems(bundle)
    assert "rcs:sourceTextSha256" in found and "0" * 64 in found


def test_a_quote_not_in_the_text_names_the_closest_passage(bundle: Path) -> None:
    add_rows(
        bundle,
        'society:example-red-crescent-society\trcs:founded\t"1950"^^xsd:gYear\testablished in 1905',
    )
    (found,) = problems(bundle)
    assert found.startswith(f"{sheet(bundle)}:8: the quote 'established in 1905' is not in")
    assert "closest passage is 'established in 1950'" in found


def test_an_ambiguous_quote_needs_its_occurrence(bundle: Path) -> None:
    row = (
        'society:example-red-crescent-society\trcs:founded\t"1950"^^xsd:gYear\tRed Crescent Society'
    )
    add_rows(bundle, row)
    (found,) = problems(bundle)
    assert found == (
        f"{sheet(bundle)}:8: the quote 'Red Crescent Society' is found 2 times in the text: "
        "give its occurrence (1 to 2)"
    )
    sheet(bundle).write_text(sheet(bundle).read_text().replace(row, row + "\t2"))
    graph = Graph().parse(data=annotate(facts(bundle), sheet(bundle)).data, format="turtle")
    second = ID["claim/society-example-red-crescent-society.founded.1950.2#position"]
    text = (bundle / "second-article.txt").read_text(encoding="utf-8")
    start = text.find("Red Crescent Society", text.find("Red Crescent Society") + 1)
    assert graph.value(second, OA.start) == Literal(start)


def test_a_row_whose_fact_is_not_in_the_facts_is_refused(bundle: Path) -> None:
    add_rows(
        bundle, 'society:example-red-crescent-society\trcs:founded\t"1905"^^xsd:gYear\tin 1950'
    )
    (found,) = problems(bundle)
    assert found.startswith(f"{sheet(bundle)}:8: the fact society:example-red-crescent-society")
    assert "is not in" in found


def test_an_evidenced_fact_without_a_row_is_refused(bundle: Path) -> None:
    lines = sheet(bundle).read_text(encoding="utf-8").splitlines(keepends=True)
    sheet(bundle).write_text("".join(line for line in lines if "rcs:founded" not in line))
    (found,) = problems(bundle)
    assert found == (
        f"{sheet(bundle)}:7: no row for the fact society:example-red-crescent-society "
        f'rcs:founded "1950"^^xsd:gYear of {facts(bundle)}'
    )


@pytest.mark.parametrize(
    "term", ["society:example red", "nope:x", '"1950', "<relative>", "[]"], ids=str
)
def test_a_malformed_term_is_refused(bundle: Path, term: str) -> None:
    add_rows(bundle, f'{term}\trcs:founded\t"1950"^^xsd:gYear\testablished in 1950')
    (found,) = problems(bundle)
    assert found.startswith(f"{sheet(bundle)}:8: malformed term: the subject")


def test_every_problem_is_reported_at_once_and_nothing_written(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    add_rows(
        bundle,
        "nope:x\trcs:founded\t1\tx",
        'society:example-red-crescent-society\trcs:founded\t"1950"^^xsd:gYear\tfounded in 1950',
    )
    out = bundle / "out.ttl"
    code = main(["annotate", str(facts(bundle)), "--evidence", str(sheet(bundle)), "-o", str(out)])
    assert code == 2 and not out.exists()
    lines = capsys.readouterr().err.splitlines()
    prefix = f"rcsgraph: error: {sheet(bundle)}:"
    assert [line.removeprefix(prefix).split(":")[0] for line in lines] == ["8", "9"]
    assert all(line.startswith(prefix) for line in lines)


def test_a_quote_may_span_a_line_break(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("One line.\nTheir society was founded\nin 1950.\n")
    (tmp_path / "a.facts.ttl").write_text(
        "@prefix rcs: <https://w3id.org/rcsgraph/ontology#> .\n"
        "@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .\n"
        '<https://w3id.org/rcsgraph/id/article/a> a rcs:Article ; rcs:sourceText "a.txt" .\n'
        '<https://w3id.org/rcsgraph/id/society/s> rcs:founded "1950"^^xsd:gYear .\n'
    )
    (tmp_path / "a.tsv").write_text(
        HEADER + '<https://w3id.org/rcsgraph/id/society/s>\trcs:founded\t"1950"^^xsd:gYear\t'
        "was founded\\nin 1950\n"
    )
    graph = Graph().parse(data=annotate(tmp_path / "a.facts.ttl", tmp_path / "a.tsv").data)
    (exact,) = graph.objects(None, OA.exact)
    assert str(exact) == "was founded\nin 1950"
    (start,) = graph.objects(None, OA.start)
    assert start == Literal(len("One line.\nTheir society "))
    assert locate("a\nb", "a\nb") == (0, 3)


def test_a_value_only_quote_is_warned_about(
    bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = sheet(bundle).read_text(encoding="utf-8")
    sheet(bundle).write_text(text.replace("\tdate 2022-10-01 NAJAF \u2013", "\tNAJAF"))
    out = bundle / "out.ttl"
    assert (
        main(["annotate", str(facts(bundle)), "--evidence", str(sheet(bundle)), "-o", str(out)])
        == 0
    )
    (warning,) = capsys.readouterr().err.splitlines()
    assert "the quote 'NAJAF' only names the value" in warning and out.exists()


def test_the_output_goes_straight_into_add(bundle: Path, tmp_path: Path) -> None:
    store = tmp_path / "kg"
    assert main(["load", "--store", str(store), "--quiet"]) == 0
    out = bundle / "annotated.ttl"
    assert (
        main(["annotate", str(facts(bundle)), "--evidence", str(sheet(bundle)), "-o", str(out)])
        == 0
    )
    (bundle / "second-article.ttl").unlink()
    assert main(["add", str(out), "--store", str(store)]) == 0
