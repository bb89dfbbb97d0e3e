"""What the pages and VoID say the dataset is made from stays true however many articles the
store holds: the bundled graph names its one article (date, dateline, title) and its one meeting
on the map's legend; a store of two articles says how many and the span of their dates; the
footer of every page reads the derived value of the served generation and falls back to
general words where there is none (a live store, artefacts still being derived)."""

import json
import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS

from rcsgraph.cli import main
from rcsgraph.config import load_settings
from rcsgraph.errors import NotReady
from rcsgraph.publish import articles, derive, explorer, locate, void
from rcsgraph.publish.artefacts import Derived
from rcsgraph.publish.articles import Article, Articles, in_brief
from rcsgraph.store import generations
from rcsgraph.web import create_app
from rcsgraph.web.pages.explorer_page import LEGEND, legend_of
from rcsgraph.web.pages.shell import page

ID_SPACE = "https://w3id.org/rcsgraph/id/"
BUNDLE = Path(__file__).parent / "data" / "bundles" / "second-article.ttl"
DATASET = "https://w3id.org/rcsgraph/dataset#rcsgraph"
TITLE = "News article of 2022-09-18, dateline Tehran: the Red Crescent societies of Iran and Iraq"
ONE = "one news article (2022-09-18, dateline Tehran)"
TWO = "2 news articles (2022-09-18 to 2022-10-01)"
#: Pages of every kind, each with the footer.
PAGES = ["/", "/sparql", "/queries", "/queries/societies", "/ontology", "/dataset", "/dumps/"]
PAGES += ["/doc/society/iranian-red-crescent-society", "/doc/society/nothing-here"]


def html(app: Flask, path: str, status: int = 200) -> str:
    reply = app.test_client().get(path, headers={"Accept": "text/html"})
    assert reply.status_code == status, (path, reply.get_data(as_text=True)[:300])
    return reply.get_data(as_text=True)


def footer(page_html: str) -> str:
    found = re.search(r"<footer>(.*?)</footer>", page_html, re.S)
    assert found is not None
    return " ".join(found.group(1).split())


def intro(home_html: str) -> str:
    found = re.search(r"<h1>rcsgraph</h1><p>(.*?)</p>", home_html)
    assert found is not None
    return re.sub(r"<[^>]+>", "", found.group(1))


def legend(home_html: str) -> dict[str, str]:
    return dict(re.findall(r'<span class="swatch (\w+)"></span>([^<]*)', home_html))


def description(app: Flask) -> str:
    reply = app.test_client().get("/dataset.ttl")
    graph = Graph().parse(data=reply.get_data(), format="turtle")
    found = graph.value(URIRef(DATASET), DCTERMS.description)
    assert isinstance(found, Literal)
    return str(found)


def dataset_sentence(app: Flask) -> str:
    found = re.search(r"<p>(The facts of .*?), each with", html(app, "/dataset"))
    assert found is not None
    return found.group(1)


@pytest.fixture(scope="module")
def bundled() -> Iterator[Flask]:
    app = create_app({"workers": 1})
    yield app
    app.extensions["rcsgraph"].pool.close()


@pytest.fixture(scope="module")
def two_articles(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled graph plus one bundle, as `rcsgraph load` and `add` write it (the
    artefacts of the second generation brought up to date by ``increment``)."""
    path = tmp_path_factory.mktemp("articles") / "store"
    assert main(["load", "--store", str(path), "--quiet"]) == 0
    assert main(["add", str(BUNDLE), "--store", str(path)]) == 0
    return path


@pytest.fixture(scope="module")
def served(two_articles: Path) -> Iterator[Flask]:
    app = create_app({"store": str(two_articles), "workers": 1})
    yield app
    app.extensions["rcsgraph"].pool.close()


# -- the bundled graph: one article -----------------------------------------------------------


def test_the_bundled_graph_names_its_article(bundled: Flask) -> None:
    home = html(bundled, "/")
    assert intro(home) == (
        f"A knowledge graph of {ONE}, “{TITLE}”. Every fact shows the sentence of the "
        "article it comes from."
    )
    assert 'href="/doc/article/2022-09-18-tehran-iran-iraq-red-crescent"' in home
    assert legend(home)["meeting"] == "place of the 2022-09-17 meeting (Najaf)"
    assert dataset_sentence(bundled) == f"The facts of {ONE}"
    assert description(bundled) == (
        f"The facts of {ONE}, “{TITLE}”, each with the quote of the article it comes from, and "
        "links to Wikidata and GeoNames."
    )


@pytest.mark.parametrize("path", PAGES)
def test_every_page_of_the_bundled_graph_has_the_footer_of_its_article(
    bundled: Flask, path: str
) -> None:
    shown = html(bundled, path, 404 if path.endswith("nothing-here") else 200)
    assert footer(shown) == f"Facts from {ONE}, each with the sentence it came from."


# -- a store of two articles ------------------------------------------------------------------


def test_the_derived_articles_are_those_of_the_graph(two_articles: Path) -> None:
    generation = generations.current_generation(two_articles)
    assert generation is not None
    derived = Derived(generations.derived_folder(two_articles, generation))
    with generations.open_store(two_articles) as live:
        assert derived.articles() == articles.of(live) == Articles(2, "2022-09-18", "2022-10-01")
        assert derived.home().meeting == explorer.only_meeting(live)
    meeting = derived.home().meeting
    assert meeting is not None and (meeting.date, meeting.place) == ("2022-09-17", "Najaf")


def test_a_store_of_two_articles_says_so(served: Flask) -> None:
    home = html(served, "/")
    assert intro(home) == (
        f"A knowledge graph of {TWO}. Every fact shows the sentence of the article it comes from."
    )
    assert TITLE not in intro(home)
    assert legend(home)["meeting"] == "place of the 2022-09-17 meeting (Najaf)"  # still one
    assert dataset_sentence(served) == f"The facts of {TWO}"
    assert description(served) == (
        f"The facts of {TWO}, each with the quote of the article it comes from, and links to "
        "Wikidata and GeoNames."
    )
    for path in PAGES:
        shown = html(served, path, 404 if path.endswith("nothing-here") else 200)
        assert footer(shown) == f"Facts from {TWO}, each with the sentence it came from.", path


def test_artefacts_of_an_older_version_are_derived_again(
    two_articles: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A generation whose artefacts an rcsgraph of the previous version wrote (no articles in
    brief) is not read from them: its artefacts are derived again, into the cache folder."""
    older = tmp_path / "older"
    shutil.copytree(two_articles, older, symlinks=True)
    generation = generations.current_generation(older)
    assert generation is not None
    folder = generations.derived_folder(older, generation)
    (folder / derive.STAMP).write_text(json.dumps({"version": 1, "id_space": ID_SPACE}) + "\n")
    assert not derive.is_complete(folder, ID_SPACE)
    started: list[Path] = []

    class Deriving:  # records where the child process would derive them
        def __init__(self, generation: Path, folder: Path, id_space: str) -> None:
            started.append(folder)

    monkeypatch.setattr(locate, "Deriving", Deriving)
    settings = load_settings({"store": str(older), "cache": str(tmp_path / "cache")})
    published = locate.publication(settings, None, lambda: None)  # type: ignore[arg-type]
    assert isinstance(published, Deriving)
    assert [f.parent for f in started] == [tmp_path / "cache"]


# -- where nothing is derived: general words --------------------------------------------------


def test_while_artefacts_are_derived_the_footer_asks_nothing(tmp_path: Path) -> None:
    deriving = locate.Deriving(tmp_path / "no-generation", tmp_path / "folder", ID_SPACE)
    deriving.child.wait()  # fails at once: there is no store there
    assert deriving.articles(ask=False) is None
    with pytest.raises(NotReady):
        deriving.articles()
    assert "<footer>Facts from news articles, each with the sentence it came from." in page(
        "Ontology", "", articles=deriving.articles(ask=False)
    )


def test_a_store_open_to_updates_asks_nothing_for_the_footer() -> None:
    app = create_app({"workers": 1, "update_token": "secret"})
    try:
        home = html(app, "/")
        assert footer(home) == "Facts from news articles, each with the sentence it came from."
        assert intro(home).startswith(f"A knowledge graph of {ONE}, “{TITLE}”.")  # asked, kept
    finally:
        app.extensions["rcsgraph"].pool.close()


# -- the words ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("held", "words"),
    [
        (None, "news articles"),
        (Articles(0), "news articles"),
        (Articles(1, only=Article("urn:a", None, None, None)), "one news article"),
        (
            Articles(1, "2022", "2022", Article("urn:a", "A", "2022", None)),
            "one news article (2022)",
        ),
        (Articles(3), "3 news articles"),
        (Articles(2, "2022-09-18", "2022-09-18"), "2 news articles (2022-09-18)"),
        (
            Articles(12_000, "2005-01-01", "2022-10-18"),
            "12,000 news articles (2005-01-01 to 2022-10-18)",
        ),
    ],
)
def test_the_articles_in_brief(held: Articles | None, words: str) -> None:
    assert in_brief(held) == words
    assert void.description(held).startswith(f"The facts of {words}")


def test_the_legend_names_the_meeting_only_when_there_is_one() -> None:
    assert legend_of(None) is LEGEND and LEGEND["meeting"] == "place of a meeting"
    named = legend_of(explorer.Meeting("urn:m", "2022-09-17", "Najaf"))
    assert named["meeting"] == "place of the 2022-09-17 meeting (Najaf)"
    assert legend_of(explorer.Meeting("urn:m", None, None))["meeting"] == "place of the meeting"
    assert {k: v for k, v in named.items() if k != "meeting"} == {
        k: v for k, v in LEGEND.items() if k != "meeting"
    }


def test_the_home_page_offers_the_society_only_where_the_graph_holds_it(
    bundled: Flask, tmp_path: Path
) -> None:
    """The bundled graph starts from the Iranian Red Crescent Society's page; a store of other
    articles (here the second bundle alone) has no such page, so no link to it."""
    society = '<a href="/doc/society/iranian-red-crescent-society">'
    assert society in html(bundled, "/")
    store = tmp_path / "store"
    assert main(["load", "--store", str(store), "--quiet", "--skip-validation", str(BUNDLE)]) == 0
    other = create_app({"store": str(store), "workers": 1})
    try:
        home = html(other, "/")
        assert society not in home and '<a href="/queries">Query catalogue</a>' in home
    finally:
        other.extensions["rcsgraph"].pool.close()
