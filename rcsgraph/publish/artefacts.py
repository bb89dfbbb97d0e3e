"""What publication reads about the whole graph: one interface, two backends.

``Derived`` reads the artefacts ``rcsgraph.publish.derive`` wrote for an immutable store (a
store generation, the bundled graph): nothing is computed while a request waits. ``Live`` asks
the endpoint, with bounded queries, for what can change under a running server (a store open to
SPARQL Update) or is too large to copy (a remote SPARQL store); it keeps what it computed until
the data changes.
"""

import tempfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any, Protocol, TypeVar

import pyoxigraph as ox
from rdflib import URIRef

from rcsgraph.publish import articles, derive, dumps, explorer, void
from rcsgraph.publish.articles import Articles
from rcsgraph.publish.describe import Listed, Source, vocabulary
from rcsgraph.publish.dumps import Dump
from rcsgraph.publish.explorer import Country, Event, Mark, Meeting
from rcsgraph.publish.labels import Labels
from rcsgraph.store.binding import values

T = TypeVar("T")


@dataclass(frozen=True)
class Listing:
    """The things of the graph by kind: how many of each, and the first of each by label."""

    kinds: dict[str, int]
    things: dict[str, list[tuple[str, str]]]  # kind -> [(IRI, label)]

    def listed(self, kind: str, most: int | None = None) -> list[Listed]:
        """The first things of ``kind`` (at most ``most`` of them), by label."""
        return [Listed(URIRef(i), label, ()) for i, label in self.things.get(kind, [])[:most]]


@dataclass(frozen=True)
class Home:
    """The home page's figures, map marks and (the first) timeline events; the meeting of the
    map when the graph holds just one."""

    figures: dict[str, int]
    marks: list[Mark]
    events: list[Event]
    events_total: int
    meeting: Meeting | None = None


class Publication(Protocol):
    """What pages, VoID and the dumps routes read."""

    def figures(self) -> void.Figures: ...
    def articles(self, ask: bool = True) -> Articles | None:
        """The articles in brief; with ``ask`` false, only when held without asking the store
        (None otherwise), for what every page shows."""
        ...

    def vocabulary(self) -> dict[URIRef, str]: ...
    def dumps(self) -> tuple[Dump, ...]: ...
    def dump_file(self, name: str) -> Path | None: ...
    def home(self) -> Home: ...
    def countries(self) -> list[Country]: ...
    def listing(self) -> Listing: ...
    def labels(self, iris: Iterable[str]) -> dict[str, str]: ...


class Derived:
    """The artefacts of one folder (see ``rcsgraph.publish.derive``)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @cached_property
    def manifest(self) -> dict[str, Any]:
        return derive.read_manifest(self.folder)

    @cached_property
    def _labels(self) -> Labels:
        return Labels(self.folder)

    def figures(self) -> void.Figures:
        return void.figures_from_json(self.manifest["figures"])

    @cached_property
    def _articles(self) -> Articles:
        return articles.from_json(self.manifest["articles"])

    def articles(self, ask: bool = True) -> Articles | None:
        return self._articles  # in the footer of every page: read once per generation

    @cached_property
    def _vocabulary(self) -> dict[URIRef, str]:
        return {URIRef(k): v for k, v in self.manifest["vocabulary"].items()}

    def vocabulary(self) -> dict[URIRef, str]:
        return self._vocabulary  # read by every entity page: built once per generation

    @cached_property
    def _dumps(self) -> tuple[Dump, ...]:
        return dumps.read_index(self.folder / "dumps")

    def dumps(self) -> tuple[Dump, ...]:
        return self._dumps

    def dump_file(self, name: str) -> Path | None:
        names = {d.name for d in self._dumps} | {d.name + ".gz" for d in self._dumps}
        return self.folder / "dumps" / name if name in names else None

    @cached_property
    def _home(self) -> Home:
        found = self.manifest["home"]
        return Home(
            found["figures"],
            [_mark(m) for m in found["marks"]],
            [Event(**e) for e in found["events"]],
            found["events_total"],
            Meeting(**found["meeting"]) if found["meeting"] else None,
        )

    def home(self) -> Home:
        return self._home

    @cached_property
    def _countries(self) -> list[Country]:
        return [_country(c) for c in self.manifest["countries"]]

    def countries(self) -> list[Country]:
        return self._countries

    @cached_property
    def _listing(self) -> Listing:
        found = self.manifest["listing"]
        things = {k: [(i, label) for i, label in v] for k, v in found["things"].items()}
        return Listing(found["kinds"], things)

    def listing(self) -> Listing:
        return self._listing

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        return self._labels.of(iris)


#: The labels of a few things (``VALUES ?x`` is written by ``rcsgraph.store.binding``).
LABELS_OF = """PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?x ?label WHERE {{ {values} ?x skos:prefLabel ?label }}"""
#: Most things ``Live.listing`` reads from the endpoint.
LIVE_LISTING = 20_000


class Live:
    """Computed from the endpoint and kept until ``version()`` changes (None: never kept)."""

    def __init__(
        self, source: Source, id_space: str, version: Callable[[], object], dumps: bool = True
    ) -> None:
        self.source, self.id_space, self.version = source, id_space, version
        self.with_dumps = dumps
        self.kept: dict[str, tuple[object, Any]] = {}
        self.folder = Path(tempfile.mkdtemp(prefix="rcsgraph-live-"))

    def _kept(self, name: str, compute: Callable[[], T]) -> T:
        version = self.version()
        found = self.kept.get(name)
        if found is not None and found[0] == version and version is not None:
            value: T = found[1]
            return value
        value = compute()
        self.kept[name] = (version, value)
        return value

    def figures(self) -> void.Figures:
        return self._kept("figures", lambda: void.count(self.source, self.id_space))

    def articles(self, ask: bool = True) -> Articles | None:
        """Asked of the endpoint (kept until the data change) when ``ask``: a page's footer
        asks nothing of a live or remote store."""
        return self._kept("articles", lambda: articles.of(self.source)) if ask else None

    def vocabulary(self) -> dict[URIRef, str]:
        return self._kept("vocabulary", lambda: vocabulary(self.source))

    def dumps(self) -> tuple[Dump, ...]:
        return self._kept("dumps", self._write_dumps)[1]

    def dump_file(self, name: str) -> Path | None:
        folder, written = self._kept("dumps", self._write_dumps)
        found = {d.name for d in written} | {d.name + ".gz" for d in written}
        return folder / name if name in found else None

    def _write_dumps(self) -> tuple[Path, tuple[Dump, ...]]:
        """Every quad the endpoint holds, written as the dumps of a store (a small store:
        one open to SPARQL Update)."""
        folder = Path(tempfile.mkdtemp(prefix="dumps-", dir=self.folder))
        if not self.with_dumps:
            return folder, ()
        rows = self.source.query("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }").rows
        dataset = ox.Store()
        dataset.extend(_quad(*row) for row in rows)
        written, _ = dumps.write_from_store(dataset, folder)
        return folder, tuple(written)

    def home(self) -> Home:
        def compute() -> Home:
            events = explorer.timeline(self.source)
            marks = explorer.countries(self.source)
            figures = explorer.figures(self.source)
            meeting = explorer.only_meeting(self.source)
            return Home(figures, marks, events[: derive.EVENTS], len(events), meeting)

        return self._kept("home", compute)

    def countries(self) -> list[Country]:
        return self._kept("countries", lambda: explorer.all_countries(self.source))

    def listing(self) -> Listing:
        def compute() -> Listing:
            found = explorer.listing(self.source, self.id_space, derive.LISTED, LIVE_LISTING)
            return Listing(found["kinds"], found["things"])

        return self._kept("listing", compute)

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        wanted = sorted({i for i in iris if i.startswith(self.id_space)})[:1000]
        if not wanted:
            return {}
        query = LABELS_OF.format(values=values("x", [URIRef(i) for i in wanted]))
        return {str(r["x"]): str(r["label"]) for r in self.source.query(query).dicts()}


def _quad(s: Any, p: Any, o: Any, g: Any) -> ox.Quad:
    from rcsgraph.store.terms import to_oxigraph

    terms: list[Any] = [to_oxigraph(term) for term in (s, p, o, g)]
    return ox.Quad(*terms)


def _mark(found: dict[str, Any]) -> Mark:
    return Mark(
        tuple(found["codes"]),
        found["href"],
        found["label"],
        tuple(found["roles"]),
        found["ambiguous"],
    )


def _country(found: dict[str, Any]) -> Country:
    return Country(found["iri"], found["label"], tuple(found["codes"]), tuple(found["keys"]))
