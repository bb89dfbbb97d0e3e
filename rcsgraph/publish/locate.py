"""Which publication artefacts a server reads, and where they come from.

- A store generation written by ``rcsgraph load`` or ``add`` carries its own
  (``PATH/derived/g-…``).
- A generation without them (a store from an older rcsgraph) or a plain Oxigraph directory
  (``oxigraph load``) gets them derived in the background, by a child process, into the cache
  folder; until they are there, the routes that need them answer 503 with ``Retry-After``.
- The bundled graph and graphs given as files get them derived once into the cache folder,
  keyed by the version of rcsgraph and the files' contents.
- A store open to SPARQL Update, or a remote SPARQL store, is published ``Live``.

The cache folder is ``Settings.cache``, else ``$XDG_CACHE_HOME/rcsgraph``, else
``~/.cache/rcsgraph``. Two servers deriving the same artefacts at once each write their own
folder and keep whichever is renamed into place first: neither blocks or harms the other.
"""

import hashlib
import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterable
from pathlib import Path

from rdflib import URIRef

from rcsgraph import resources
from rcsgraph.config import Settings
from rcsgraph.errors import NotReady
from rcsgraph.publish import derive, void
from rcsgraph.publish.artefacts import Derived, Home, Listing, Live, Publication
from rcsgraph.publish.articles import Articles
from rcsgraph.publish.describe import Source
from rcsgraph.publish.dumps import Dump
from rcsgraph.publish.explorer import Country
from rcsgraph.store import generations

#: Seconds a server keeps what it computed about a remote store (which may change any time).
REMOTE_KEPT = 300


def cache_root(settings: Settings) -> Path:
    """Where derived artefacts go when a store does not carry its own."""
    if settings.cache is not None:
        return settings.cache
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "rcsgraph"


def publication(settings: Settings, source: Source, version: Callable[[], object]) -> Publication:
    """The artefacts a server of ``settings`` reads (``source``: its endpoint, for ``Live``;
    ``version``: what changes when SPARQL Update changes the data)."""
    id_space = settings.base_iri + "id/"
    if settings.endpoint is not None:  # a remote store has its own dumps
        return Live(source, id_space, lambda: int(time.monotonic() // REMOTE_KEPT), dumps=False)
    if settings.update_token:
        return Live(source, id_space, version)
    if settings.store is not None:
        return _of_store(settings, settings.store, id_space)
    return _of_files(settings, id_space)


def _of_store(settings: Settings, path: Path, id_space: str) -> Publication:
    generation = generations.served_generation(path)
    if generation is None:
        from rcsgraph.errors import StoreError

        raise StoreError(f"{path}: no store here (run `rcsgraph load --store {path}`)")
    own = generations.derived_folder(path, generation)
    if _usable(own, id_space):
        return Derived(own)
    key = hashlib.sha256(f"{generation.resolve()}\n{_newest_change(generation)}".encode())
    folder = cache_root(settings) / f"store-{key.hexdigest()[:20]}"
    if _usable(folder, id_space):
        return Derived(folder)
    return Deriving(generation, folder, id_space)


def _of_files(settings: Settings, id_space: str) -> Publication:
    """The bundled graph (or ``Settings.graphs``), derived now unless the cache has it."""
    from rcsgraph import __version__
    from rcsgraph.graph.loading import fill_store
    from rcsgraph.store.oxigraph import OxigraphStore

    given = [Path(name) for name in settings.graphs.values()]
    files = given or [resources.ontology_file(), *resources.data_files()]
    digest = hashlib.sha256(f"{__version__} {derive.VERSION} {id_space}".encode())
    for file in files:
        digest.update(file.read_bytes())
    folder = cache_root(settings) / f"files-{digest.hexdigest()[:20]}"
    if not _usable(folder, id_space):
        store = OxigraphStore()
        if not given:
            fill_store(store)
        for graph, name in settings.graphs.items():
            store.load(Path(name).read_bytes(), "nt" if name.endswith(".nt") else "turtle", graph)
        derive.derive(store.store, folder, id_space, bundled=not given)
    return Derived(folder)


class Deriving:
    """Artefacts a child process is deriving: each read raises ``NotReady`` until they are
    complete, then reads them."""

    def __init__(self, generation: Path, folder: Path, id_space: str) -> None:
        self.folder, self.id_space = folder, id_space
        self.ready: Derived | None = None
        folder.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "rcsgraph.publish.derive", str(generation), str(folder)]
        self.child = subprocess.Popen(
            [*command, id_space], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL
        )
        threading.Thread(target=self.child.wait, daemon=True).start()  # reaped when it ends

    def derived(self) -> Derived:
        """The artefacts, once complete; else ``NotReady``."""
        if self.ready is None and _usable(self.folder, self.id_space):
            self.ready = Derived(self.folder)
        if self.ready is not None:
            return self.ready
        if self.child.poll() not in (None, 0):
            raise NotReady(
                "deriving the publication artefacts of this store failed (exit "
                f"{self.child.returncode}); `rcsgraph load --store` rebuilds it with them",
                retry_after=60,
            )
        raise NotReady(
            "this store has no publication artefacts yet (a store from an older rcsgraph, or "
            "a plain Oxigraph directory): they are being derived now; `rcsgraph load --store` "
            "writes them with the store",
            retry_after=10,
        )

    def figures(self) -> void.Figures:
        return self.derived().figures()

    def articles(self, ask: bool = True) -> Articles | None:
        """Without ``ask``, None until the artefacts are complete (a page's footer waits for
        nothing)."""
        if not ask and self.ready is None and not _usable(self.folder, self.id_space):
            return None
        return self.derived().articles()

    def vocabulary(self) -> dict[URIRef, str]:
        return self.derived().vocabulary()

    def dumps(self) -> tuple[Dump, ...]:
        return self.derived().dumps()

    def dump_file(self, name: str) -> Path | None:
        return self.derived().dump_file(name)

    def home(self) -> Home:
        return self.derived().home()

    def countries(self) -> list[Country]:
        return self.derived().countries()

    def listing(self) -> Listing:
        return self.derived().listing()

    def labels(self, iris: Iterable[str]) -> dict[str, str]:
        return self.derived().labels(iris)


def _usable(folder: Path, id_space: str) -> bool:
    return derive.is_complete(folder, id_space)


def _newest_change(folder: Path) -> int:
    """The latest modification time of the files of an Oxigraph directory, in nanoseconds."""
    return max((p.stat().st_mtime_ns for p in folder.iterdir() if p.is_file()), default=0)
