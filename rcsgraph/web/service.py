"""Build the endpoint the settings describe (which store, how many workers, which graphs);
``publication()`` gives the current app's publication artefacts, ``held_articles()`` what the
footer of every page says they are made from.

Nothing here imports rdflib or opens the store in the web process on the way to a server's
first answer: the named graphs are listed when first needed (``Endpoint.graphs``).
"""

import os
import threading
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rcsgraph.config import Settings
from rcsgraph.errors import StoreError
from rcsgraph.sparql.endpoint import Endpoint
from rcsgraph.sparql.executor import Pool
from rcsgraph.sparql.local import LocalQueries, usable

if TYPE_CHECKING:
    from rcsgraph.publish.artefacts import Publication
    from rcsgraph.publish.articles import Articles


def current_generation(store: Path) -> Path:
    """The generation ``STORE/current`` points at (as ``rcsgraph.store.generations`` reads the
    link, without importing the store package), ``STORE`` itself when it is a plain Oxigraph
    directory (``generations.is_plain_oxigraph``), or ``StoreError``."""
    store = Path(store)
    link = store / "current"
    if not link.is_symlink():
        if (store / "CURRENT").is_file():  # RocksDB's own file: a store another program made
            return store.resolve()
        raise StoreError(f"{store}: no store here (run `rcsgraph load --store`)")
    return (store / os.readlink(link)).resolve()


def store_spec(settings: Settings) -> dict[str, Any]:
    """How each worker opens the store (see ``rcsgraph.sparql.worker.open_store``)."""
    if settings.endpoint is not None:
        return {"kind": "remote", "url": settings.endpoint}
    writable = bool(settings.update_token)
    if settings.store is not None:
        generation = current_generation(settings.store)
        return {"kind": "disk", "path": str(generation), "writable": writable}
    # In memory, each worker has its own copy: "writable" says whether updates may change it.
    if settings.graphs:
        return {"kind": "memory", "graphs": dict(settings.graphs), "writable": writable}
    return {"kind": "bundled", "writable": writable}


def fits(folder: Path, most: int) -> bool:
    """Whether the store in ``folder`` takes at most ``most`` bytes on disk (RocksDB keeps its
    files in the one folder: a folder inside counts as too large)."""
    total = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            total += entry.stat().st_size if entry.is_file() else most + 1
            if total > most:
                return False
    return True


def known_graphs(settings: Settings) -> set[str]:
    """The named graphs FROM may name."""
    if settings.endpoint is not None:
        from rcsgraph.store.remote import RemoteStore

        return set(RemoteStore(settings.endpoint).graphs())
    if settings.store is not None:
        from rcsgraph.store import generations

        with generations.open_store(settings.store) as store:
            return set(store.graphs())
    if settings.graphs:
        return set(settings.graphs)
    from rcsgraph import layout, resources

    data = [layout.data_graph(path) for path in resources.data_files()]
    return {layout.ONTOLOGY_GRAPH, *data}


#: Seconds after an endpoint is built before its process copies a small store into memory:
#: copying the article's store from the start (40 ms of CPU in each server process, holding
#: the interpreter) made the first answer come 75-120 ms later.
COPY_AFTER = 1.0


def build_endpoint(settings: Settings, wait_ready: bool = True) -> Endpoint:
    """The endpoint over the store of ``settings``; with ``wait_ready`` false, its query
    workers open the store while the caller goes on (see ``Pool``), unless updates are on:
    then its one worker must be ready before the first write."""
    spec = store_spec(settings)
    workers = 1 if settings.update_token else settings.workers  # one writer sees every write
    # A writable store is opened by one worker only: list its graphs before that worker starts.
    graphs = known_graphs(settings) if settings.update_token else partial(known_graphs, settings)
    background = not wait_ready and not settings.update_token
    pool = Pool(spec, workers, wait=settings.queue_wait, wait_ready=not background)
    # One evaluation per request thread: with two, the pages of the third and later concurrent
    # requests sent their queries to the workers (8 connections on an entity page: about 15%
    # of the process's samples in the pool and its pipe).
    local = None
    if usable(spec):
        small = spec["kind"] == "disk" and fits(Path(spec["path"]), settings.copy_bytes)
        local = LocalQueries(spec, slots=settings.threads, copy=small)
        if small:  # copied soon after the start, the first requests answered from disk meanwhile
            copying = threading.Timer(COPY_AFTER, local.open)
            copying.daemon = True
            copying.start()
    return Endpoint(settings, pool, graphs, local)


def publication() -> "Publication":
    """The publication artefacts of the current application (see ``create_app``)."""
    from flask import current_app

    found: Publication = current_app.extensions["rcsgraph.publication"]
    return found


def held_articles() -> "Articles | None":
    """The articles of the served generation in brief, as the footer of every page names them:
    read from its derived artefacts, never asked of the store (None without them: a remote
    store or one open to updates, artefacts still being derived)."""
    return publication().articles(ask=False)
