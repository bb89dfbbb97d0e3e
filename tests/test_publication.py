"""Publication derived once per generation (``rcsgraph.publish.derive``) and served like files.

The derived artefacts equal what a live computation gives; a store without them (an older
rcsgraph's, or a plain Oxigraph directory) is served after they are derived, with 503 meanwhile;
dumps answer Range, gzip and validators as static files do; a page whose query runs past the
timeout is a 503, never a hang.
"""

import gzip
import hashlib
import shutil
import time
from pathlib import Path

import pyoxigraph as ox
import pytest
from endpoint_server import Endpoint, serving
from rdflib import Graph

from rcsgraph.cli import main
from rcsgraph.graph.export import export
from rcsgraph.publish import articles, dumps, explorer, labels, void
from rcsgraph.publish.artefacts import Derived
from rcsgraph.publish.derive import derive, is_complete
from rcsgraph.publish.describe import vocabulary
from rcsgraph.store import generations
from rcsgraph.store.oxigraph import OxigraphStore

ID_SPACE = "https://w3id.org/rcsgraph/id/"
RCS = "https://w3id.org/rcsgraph/ontology#"
BUNDLE = Path(__file__).parent / "data" / "bundles" / "second-article.ttl"


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store of the bundled graph plus one bundle, as `rcsgraph load` and `add` write it."""
    path = tmp_path_factory.mktemp("publication") / "store"
    assert main(["load", "--store", str(path), "--quiet"]) == 0
    assert main(["add", str(BUNDLE), "--store", str(path)]) == 0
    return path


def artefacts_of(store: Path) -> Derived:
    generation = generations.current_generation(store)
    assert generation is not None
    folder = generations.derived_folder(store, generation)
    assert is_complete(folder)
    return Derived(folder)


def test_load_and_add_write_the_artefacts_with_the_generation(store: Path) -> None:
    names = sorted(p.name for p in (store / "derived").iterdir())
    assert names == sorted(p.name for p in store.glob("g-*"))  # one per kept generation
    assert {d.name for d in artefacts_of(store).dumps()} == {
        f"rcsgraph.{s}" for s in ("ttl", "nt", "jsonld", "trig")
    }


def test_derived_figures_equal_a_live_count(store: Path) -> None:
    derived = artefacts_of(store)
    with generations.open_store(store) as live:
        assert derived.figures() == void.count(live, ID_SPACE)
        assert derived.articles() == articles.of(live)
        assert derived.vocabulary() == vocabulary(live)
        home = derived.home()
        assert home.figures == explorer.figures(live)
        assert home.marks == explorer.countries(live)
        assert home.meeting == explorer.only_meeting(live)
        assert home.events == explorer.timeline(live)[: len(home.events)]
        assert home.events_total == len(explorer.timeline(live))
        assert derived.countries() == explorer.all_countries(live)
        assert derived.labels(i for i, _ in labels.rows(live, ID_SPACE)) == dict(
            labels.rows(live, ID_SPACE)
        )


def test_the_label_index_finds_every_label_and_nothing_else(store: Path) -> None:
    derived = artefacts_of(store)
    with generations.open_store(store) as live:
        every = labels.rows(live, ID_SPACE)
    assert len(every) > 50
    for iri, label in every:
        assert derived.labels([iri]) == {iri: label}
    assert derived.labels([ID_SPACE + "country/nowhere", "urn:x", ""]) == {}
    claims = [iri for iri, _ in every if "/claim/" in iri]
    assert claims == []  # claims show as compact IRIs: their labels are long sentences


def statements(path: Path) -> set[object]:
    """The quads (TriG) or triples of a dump file, as Oxigraph reads them."""
    return set(ox.parse(path=str(path)))


def test_deriving_twice_gives_the_same_bytes(store: Path, tmp_path: Path) -> None:
    generation = generations.current_generation(store)
    assert generation is not None
    first, second = tmp_path / "first", tmp_path / "second"
    for folder in (first, second):
        derive(ox.Store.read_only(str(generation)), folder, ID_SPACE)
    for name in sorted(p.name for p in (first / "dumps").iterdir()):
        assert (first / "dumps" / name).read_bytes() == (second / "dumps" / name).read_bytes()
    for name in ("publication.json", "labels.tsv", "labels.idx"):
        assert (first / name).read_bytes() == (second / name).read_bytes(), name


def test_add_brings_the_artefacts_up_to_date(store: Path, tmp_path: Path) -> None:
    """The artefacts `add` wrote (the previous generation's plus what the bundle adds) hold
    what a whole derivation of the same generation gives."""
    added = artefacts_of(store)
    generation = generations.current_generation(store)
    assert generation is not None
    whole = tmp_path / "whole"
    derive(ox.Store.read_only(str(generation)), whole, ID_SPACE)
    fresh = Derived(whole)
    assert added.figures() == fresh.figures() and added.articles() == fresh.articles()
    assert added.home() == fresh.home() and added.countries() == fresh.countries()
    assert added.listing() == fresh.listing() and added.vocabulary() == fresh.vocabulary()
    assert (Path(added.folder) / "labels.tsv").read_bytes() == (whole / "labels.tsv").read_bytes()
    for dump in fresh.dumps():
        ours, theirs = added.dump_file(dump.name), fresh.dump_file(dump.name)
        assert ours is not None and theirs is not None
        if dump.format in ("nt", "trig"):
            assert statements(ours) == statements(theirs), dump.name
            assert len(ours.read_bytes().splitlines()) >= 1
    for fmt, parser in (("ttl", "turtle"), ("jsonld", "json-ld")):
        ours, theirs = added.dump_file(f"rcsgraph.{fmt}"), fresh.dump_file(f"rcsgraph.{fmt}")
        assert ours is not None and theirs is not None
        assert Graph().parse(ours, format=parser).isomorphic(Graph().parse(theirs, format=parser))
    nt = added.dump_file("rcsgraph.nt")
    assert nt is not None
    lines = nt.read_bytes().splitlines()
    assert len(lines) == len(set(lines)) == added.figures().triples  # each triple once
    with generations.open_store(store) as live:
        quads = live.store.dump(format=ox.RdfFormat.N_QUADS)
    dataset = ox.Store()
    dataset.load(quads, ox.RdfFormat.N_QUADS)
    trig = added.dump_file("rcsgraph.trig")
    assert trig is not None and statements(trig) == set(dataset)
    for dump in added.dumps():
        path = added.dump_file(dump.name)
        assert path is not None and hashlib.sha256(path.read_bytes()).hexdigest() == dump.sha256
        packed = added.dump_file(dump.name + ".gz")
        assert packed is not None and gzip.decompress(packed.read_bytes()) == path.read_bytes()


def test_the_bundled_dumps_are_what_export_writes(tmp_path: Path) -> None:
    store = OxigraphStore()
    from rcsgraph.graph.loading import fill_store

    fill_store(store)
    derive(store.store, tmp_path / "bundled", ID_SPACE, bundled=True)
    for fmt in ("ttl", "nt", "jsonld", "trig"):
        assert (tmp_path / "bundled" / "dumps" / dumps.name_of(fmt)).read_bytes() == export(fmt)


def wait_for(server: Endpoint, path: str, seconds: float = 120) -> int:
    """Ask for ``path`` until it is not a 503 (derivation under way); its status."""
    deadline = time.monotonic() + seconds
    while True:
        reply = server.call("GET", path)
        if reply.status != 503 or time.monotonic() > deadline:
            return reply.status
        assert reply.headers.get("retry-after")
        assert "being derived" in reply.text
        time.sleep(0.5)


@pytest.mark.slow
def test_a_store_without_artefacts_gets_them_derived(
    store: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store of an older rcsgraph: 503 with Retry-After while a child process derives the
    artefacts into the cache folder, then the same answers as with its own."""
    older = tmp_path / "older"
    shutil.copytree(store, older, symlinks=True)
    shutil.rmtree(older / "derived")
    with serving(workers=1, store=older, cache=tmp_path / "cache") as server:
        assert wait_for(server, "/dataset.ttl") == 200
        assert server.call("GET", "/").status == 200
        sums = server.call("GET", "/dumps/SHA256SUMS").text
    generation = generations.current_generation(older)
    assert generation is not None
    derive(ox.Store.read_only(str(generation)), tmp_path / "whole", ID_SPACE)
    assert sums == dumps.checksums(Derived(tmp_path / "whole").dumps())  # a whole derivation
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith("store-")]


@pytest.mark.slow
def test_a_plain_oxigraph_directory_is_served(tmp_path: Path) -> None:
    """`serve --store` on a directory another program wrote (no generations, no artefacts)."""
    plain = tmp_path / "plain"
    made = ox.Store(str(plain))
    made.load(export("trig"), ox.RdfFormat.TRIG)
    made.flush()
    del made
    assert generations.is_plain_oxigraph(plain)
    with serving(workers=1, store=plain, cache=tmp_path / "cache") as server:
        assert wait_for(server, "/") == 200
        page = server.call("GET", "/doc/society/iranian-red-crescent-society").text
        assert "Iranian Red Crescent Society" in page
        reply = server.call("GET", "/dumps/rcsgraph.nt")
        assert reply.status == 200 and b"iranian-red-crescent-society" in reply.body


def test_dumps_answer_range_gzip_and_validators(store: Path) -> None:
    derived = artefacts_of(store)
    nt = next(d for d in derived.dumps() if d.format == "nt")
    whole = derived.dump_file(nt.name)
    assert whole is not None
    data = whole.read_bytes()
    with serving(workers=1, store=store) as server:
        part = server.call("GET", "/dumps/rcsgraph.nt", headers={"Range": "bytes=10-109"})
        assert part.status == 206 and part.body == data[10:110]
        assert part.headers["content-range"] == f"bytes 10-109/{len(data)}"
        tail = server.call("GET", "/dumps/rcsgraph.nt", headers={"Range": "bytes=-5"})
        assert tail.status == 206 and tail.body == data[-5:]
        packed = server.call("GET", "/dumps/rcsgraph.nt", headers={"Accept-Encoding": "gzip"})
        assert packed.headers["content-encoding"] == "gzip"
        assert "Accept-Encoding" in packed.headers["vary"]
        assert gzip.decompress(packed.body) == data
        plain = server.call("GET", "/dumps/rcsgraph.nt")
        assert plain.body == data and "content-encoding" not in plain.headers
        etag = plain.headers["etag"]
        assert etag == f'"{nt.sha256}"' and plain.headers["last-modified"]
        again = server.call("GET", "/dumps/rcsgraph.nt", headers={"If-None-Match": etag})
        assert again.status == 304 and again.body == b""
        named = server.call("GET", "/dumps/rcsgraph.nt.gz")
        assert named.media_type == "application/gzip" and gzip.decompress(named.body) == data
        assert server.call("GET", "/dumps/nothing.nt").status == 404


@pytest.mark.slow
def test_a_page_past_the_timeout_is_a_503_not_a_hang(tmp_path: Path) -> None:
    """Every query a page runs has the endpoint's timeout: a thing linked from 30,000 others
    cannot be described within a tiny one, so its page is a 503 with Retry-After, at once."""
    hub = ID_SPACE + "organization/hub"
    lines = [f'<{hub}> <http://www.w3.org/2000/01/rdf-schema#label> "Hub"@en .']
    lines += [f"<{ID_SPACE}place/p{n}> <{RCS}locatedIn> <{hub}> ." for n in range(30_000)]
    data = tmp_path / "hub.nt"
    data.write_text("\n".join(lines) + "\n")
    graphs = {"https://w3id.org/rcsgraph/graph/hub": str(data)}
    with serving(workers=1, graphs=graphs, timeout=0.000001, cache=tmp_path / "c") as server:
        started = time.monotonic()
        reply = server.call("GET", "/doc/organization/hub", headers={"Accept": "text/html"})
        assert reply.status == 503 and reply.headers["retry-after"]
        assert "time limit" in reply.text
        assert time.monotonic() - started < 60  # a bound on a hang, not a timing measurement


def test_a_catalogue_page_shows_a_bounded_table_and_says_how_many(store: Path) -> None:
    with serving(workers=1, store=store, page_rows=3) as server:
        page = server.call("GET", "/queries/timeline", headers={"Accept": "text/html"}).text
        json_rows = server.call("GET", "/queries/timeline.json").json()["results"]["bindings"]
    assert len(json_rows) > 3
    assert page.count("<tr><td>") == 3
    assert f"{len(json_rows)} rows" in page and "the first 3 are shown" in page
    assert "/queries/timeline.json" in page and "/queries/timeline.csv" in page


def test_two_servers_deriving_at_once_both_get_whole_artefacts(tmp_path: Path) -> None:
    """Two servers of the bundled graph starting at the same moment each derive into a folder
    of their own; whichever lands first is kept, and neither waits for the other."""
    from concurrent.futures import ThreadPoolExecutor

    from rcsgraph.config import Settings
    from rcsgraph.publish.locate import publication

    settings = Settings(cache=tmp_path / "cache")
    with ThreadPoolExecutor(max_workers=2) as pool:
        found = list(pool.map(lambda _: publication(settings, None, lambda: 0), range(2)))  # type: ignore[arg-type]
    folders = {f.folder for f in found}  # type: ignore[union-attr]
    assert len(folders) == 1 and is_complete(folders.pop())
    assert [p.name for p in (tmp_path / "cache").iterdir() if p.name.startswith(".")] == []
    assert found[0].dumps() == found[1].dumps()
