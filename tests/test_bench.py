"""The benchmark's graph generator: deterministic, sized as asked, and conforming to the shapes."""

import json
import random
import sys
from pathlib import Path

import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from rcsgraph.graph.validation import validate

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.generate import generate, parse_size, size_name  # noqa: E402
from bench.world import MAX_COUNTRIES, World  # noqa: E402

SMALL = 3000


@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated graph of about 3,000 triples."""
    out = tmp_path_factory.mktemp("bench") / "small"
    generate(SMALL, out)
    return out


def data_files(folder: Path) -> list[Path]:
    manifest = json.loads((folder / "manifest.json").read_text())
    return [folder / name for name in manifest["data"]]


def all_files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*.*"))}


def test_same_seed_gives_identical_bytes(small: Path, tmp_path: Path) -> None:
    generate(SMALL, tmp_path / "again")
    assert all_files(tmp_path / "again") == all_files(small)


def test_another_seed_gives_another_graph(small: Path, tmp_path: Path) -> None:
    generate(SMALL, tmp_path / "other", seed=2)
    assert all_files(tmp_path / "other")["articles.nt"] != all_files(small)["articles.nt"]


def test_size_is_the_first_article_past_the_target(small: Path) -> None:
    manifest = json.loads((small / "manifest.json").read_text())
    lines = sum(len(path.read_text().splitlines()) for path in data_files(small))
    assert manifest["triples"] == lines
    assert SMALL <= lines < SMALL + 800  # one article is about 400-700 triples


def test_every_article_has_its_text(small: Path) -> None:
    graph = Graph()
    for path in data_files(small):
        graph.parse(path, format="nt")
    names = {str(o) for o in graph.objects(None, None) if str(o).endswith(".txt")}
    assert names == {p.name for p in small.glob("x-article-*.txt")}
    assert len(names) == json.loads((small / "manifest.json").read_text())["articles"]


def test_turtle_output_is_the_same_graph(small: Path, tmp_path: Path) -> None:
    generate(SMALL, tmp_path / "ttl", fmt="ttl")
    turtle = Graph().parse(tmp_path / "ttl" / "articles.ttl", format="turtle")
    ntriples = Graph().parse(small / "articles.nt", format="nt")
    assert isomorphic(turtle, ntriples)


def test_generated_graph_conforms_with_quote_check(small: Path) -> None:
    report = validate(data_files(small))
    assert report.results == []  # not even a warning; quotes checked against the texts


def test_graph_with_its_bundle_conforms(small: Path) -> None:
    manifest = json.loads((small / "manifest.json").read_text())
    report = validate([*data_files(small), small / manifest["bundle"]["data"]], engine="oxigraph")
    assert report.results == []


def test_quotes_are_really_checked(small: Path, tmp_path: Path) -> None:
    """An edited text breaks its checksum: the check does read the generated texts."""
    copy = tmp_path / "copy"
    copy.mkdir()
    for name, data in all_files(small).items():
        (copy / name).parent.mkdir(parents=True, exist_ok=True)
        (copy / name).write_bytes(data)
    text = copy / "x-article-00000.txt"
    text.write_text(text.read_text(encoding="utf-8").replace("the", "teh", 1), encoding="utf-8")
    report = validate(data_files(copy), engine="oxigraph")
    assert not report.conforms
    assert [r.message for r in report.results] == [
        "x-article-00000.txt differs from its recorded SHA-256"
    ]


@pytest.mark.parametrize(
    ("text", "triples", "name"),
    [
        ("10k", 10_000, "10k"),
        ("100K", 100_000, "100k"),
        ("1M", 1_000_000, "1M"),
        ("2500", 2500, "2500"),
    ],
)
def test_sizes(text: str, triples: int, name: str) -> None:
    assert parse_size(text) == triples
    assert size_name(triples) == name


def test_largest_world_names_every_entity_apart() -> None:
    """Names differing only in accents ("Lôba", "Loba") must not share an identifier."""
    world = World(random.Random(1), MAX_COUNTRIES)
    iris = [a.iri for a in world.awards]
    for country, society in zip(world.countries, world.societies, strict=True):
        iris += [country.iri, country.capital.iri, society.iri, society.president.iri]
    assert len(iris) == len(set(iris)) == 4 * 676 + len(world.awards)
    assert {c.alpha3[0] for c in world.countries} == {"X"}  # ISO's user-assigned XAA..XZZ
