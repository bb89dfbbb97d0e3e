"""The query worker process: opens its own store handle, then answers jobs until killed.

Runs in a child of ``rcsgraph.executor``; it imports nothing from Flask and never touches the
network (SERVICE and LOAD are refused before a job is sent).
"""

from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from rcsgraph.executor import Job
from rcsgraph.results import serialize
from rcsgraph.sparqlscan import expand_star, scan


def open_store(spec: dict[str, Any]) -> ox.Store:
    """The store a worker answers from.

    ``{"kind": "disk", "path": DIR, "writable": bool}`` opens an Oxigraph directory;
    ``{"kind": "memory", "graphs": {graph IRI: file}}`` loads files into an in-memory store;
    ``{"kind": "bundled"}`` builds the bundled knowledge graph in memory.
    """
    kind = spec["kind"]
    if kind == "disk":
        path = str(spec["path"])
        return ox.Store(path) if spec.get("writable") else ox.Store.read_only(path)
    from rcsgraph.loading import fill_store
    from rcsgraph.store.oxigraph import FORMATS, OxigraphStore

    store = OxigraphStore()
    if kind == "bundled":
        fill_store(store)
    for graph, name in spec.get("graphs", {}).items():
        file = Path(name)
        fmt = FORMATS["nt" if file.suffix == ".nt" else "turtle"]
        store.store.load(path=str(file), format=fmt, to_graph=ox.NamedNode(graph))
    return store.store


def main(connection: Connection, spec: dict[str, Any]) -> None:
    """Open the store, say ready, then answer jobs in order."""
    try:
        store = open_store(spec)
    except (OSError, SyntaxError, ValueError) as exc:
        connection.send(("error", str(exc)))
        return
    connection.send(("ready", len(store)))
    while True:
        try:
            job = connection.recv()
        except EOFError:
            return
        connection.send(answer(store, job))


def answer(store: ox.Store, job: Job) -> tuple[str, Any]:
    """``("ok", Answer)``, ``("syntax", message)`` or ``("error", message)``."""
    try:
        if job.kind == "update":
            store.update(job.text, base_iri=job.base_iri)
            return ("ok", None)
        return ("ok", _query(store, job))
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return ("error", str(exc))


def _query(store: ox.Store, job: Job) -> object:
    options: dict[str, Any] = {"base_iri": job.base_iri}
    if job.default_graphs is None and job.named_graphs is None:
        options["use_default_graph_as_union"] = True
    else:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    result = store.query(job.text, **options)
    if job.star is not None and isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        result = store.query(expand_star(job.text, scan(job.text), names), **options)
    return serialize(result, job.media_type, job.cap, job.limit)
