"""The query worker process: opens its own store handle, then answers jobs until killed.

Runs in a child of ``rcsgraph.sparql.executor``; it imports nothing from Flask and never touches the
network (SERVICE and LOAD are refused before a job is sent). Jobs run on a thread with a large
stack: the engine's parser and planner recurse once per level of a request's structure (nested
brackets, long ``+`` or ``UNION`` chains), and a request within the endpoint's length limit must
get an answer or a timeout, never a crashed process.
"""

import signal
import threading
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from rcsgraph.sparql.job import Job, decode_job, encode_reply, read_message, write_message
from rcsgraph.sparql.results import capped_text, engine_written, serialize

#: What only rcsgraph's own queries, parameters and remote stores need (rdflib terms): imported
#: after the worker's first answer, or ``LATER_AFTER`` seconds after it is ready, whichever
#: comes first. Not at once: every worker of a starting server importing rdflib together took
#: the processor from the server's first answer.
LATER = ("rcsgraph.sparql.rendering", "rcsgraph.store.binding", "rcsgraph.store.oxigraph")
LATER_AFTER = 1.0


def open_store(spec: dict[str, Any]) -> Any:
    """The store a worker answers from.

    ``{"kind": "disk", "path": DIR, "writable": bool}`` opens an Oxigraph directory;
    ``{"kind": "memory", "graphs": {graph IRI: file}}`` loads files into an in-memory store;
    ``{"kind": "bundled"}`` builds the bundled knowledge graph in memory;
    ``{"kind": "remote", "url": URL}`` forwards to another SPARQL server. In-memory stores are
    always writable; whether writes are allowed is the endpoint's decision (its token).
    """
    kind = spec["kind"]
    if kind == "remote":
        from rcsgraph.store.remote import RemoteStore

        return RemoteStore(spec["url"], update_url=spec.get("update_url"))
    if kind == "disk":
        path = str(spec["path"])
        return ox.Store(path) if spec.get("writable") else ox.Store.read_only(path)
    from rcsgraph.graph.loading import fill_store
    from rcsgraph.store.oxigraph import FORMATS, OxigraphStore

    store = OxigraphStore()
    if kind == "bundled":
        fill_store(store)
    for graph, name in spec.get("graphs", {}).items():
        file = Path(name)
        fmt = FORMATS["nt" if file.suffix == ".nt" else "turtle"]
        store.store.load(path=str(file), format=fmt, to_graph=ox.NamedNode(graph))
    return store.store


#: Stack of the thread that runs jobs. 256 MiB of address space, touched only as deep as a
#: request goes; with it, requests of up to 100 000 characters built to recurse as deeply as
#: possible (``1+1+…``, ``{} UNION {} …``, ``:p/:p/…``) run, where the 8 MiB default crashes.
STACK_BYTES = 256 * 1024 * 1024


def main(connection: Connection, spec: dict[str, Any]) -> None:
    """Serve jobs on a thread with a large stack (see ``STACK_BYTES``)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the pool stops it; Ctrl+C stops the server
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=serve, args=(connection, spec), name="rcsgraph-worker")
    thread.start()
    thread.join()


def serve(connection: Connection, spec: dict[str, Any]) -> None:
    """Open the store, say ready, then answer jobs in order."""
    try:
        store = open_store(spec)
    except (OSError, SyntaxError, ValueError) as exc:
        connection.send(("error", str(exc)))
        return
    connection.send(("ready", None))  # not len(store): that counts every quad
    answered = threading.Event()
    threading.Thread(target=_import_later, args=(answered,), daemon=True).start()
    fd = connection.fileno()  # from here on, the wire of rcsgraph.sparql.job
    while True:
        try:
            job = decode_job(read_message(fd))
        except EOFError:
            return
        write_message(fd, encode_reply(answer(store, job)))
        answered.set()


def _import_later(answered: threading.Event) -> None:
    import importlib

    answered.wait(LATER_AFTER)
    for name in LATER:
        importlib.import_module(name)


def answer(store: Any, job: Job) -> tuple[str, Any]:
    """``("ok", Answer)``, ``("syntax", message)`` or ``("error", message)``."""
    try:
        if not isinstance(store, ox.Store):
            return _forward(store, job)
        if job.kind == "update":
            store.update(job.text, base_iri=job.base_iri)
            graphs = store.named_graphs()
            return ("ok", sorted(g.value for g in graphs if isinstance(g, ox.NamedNode)))
        return ("ok", _query(store, job))
    except SyntaxError as exc:
        return ("syntax", str(exc))
    except (OSError, RuntimeError, ValueError, TypeError) as exc:
        return ("error", str(exc))


def _forward(store: Any, job: Job) -> tuple[str, Any]:
    """Answer from a remote SPARQL server (``serve --endpoint``), written by our own writers so
    the row cap and the column order behave as for the embedded store."""
    from rcsgraph.sparql.rendering import write_results

    if job.default_graphs is not None or job.named_graphs is not None:
        return ("error", "dataset parameters are not supported with a remote store")
    if job.kind == "update":
        store.update(job.text)
        return ("ok", store.graphs())
    results = store.query(job.text, job.bindings)
    if not job.media_type:
        return ("ok", results)
    return ("ok", write_results(results, job.media_type, job.cap, job.columns))


def _query(store: ox.Store, job: Job) -> object:
    options: dict[str, Any] = {"base_iri": job.base_iri}
    text = job.text
    if job.bindings:
        from rcsgraph.store.binding import bind

        text = bind(job.text, job.bindings)  # a VALUES row: see rcsgraph.store.binding
    if job.default_graphs is None and job.named_graphs is None:
        # The query's own FROM/FROM NAMED, if any, give its dataset; the option would hide them.
        options["use_default_graph_as_union"] = job.union_default
    else:
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs or ()]
        if job.named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    if not job.media_type:  # our own queries (Endpoint.query): engine-neutral, rdflib terms
        from rcsgraph.store.oxigraph import convert

        return convert(store.query(text, **options))
    # Run with LIMIT cap+1 (see rcsgraph.sparql.results.capped_text): the rows past the cap are
    # never computed, and the engine writes the answer whenever its columns are the ones to show.
    capped = capped_text(text, job.cap) if job.form == "SELECT" and job.limit is None else None
    try:
        result = store.query(capped or text, **options)
    except SyntaxError:
        if capped is None:
            raise
        capped = None  # a trailing VALUES, or an error to report on the query as it was sent
        result = store.query(text, **options)
    columns = job.columns
    if isinstance(result, ox.QuerySolutions):
        engine = tuple(v.value for v in result.variables)
        if job.star is not None and columns is None:
            from rcsgraph.sparql.scan import star_order  # only a SELECT * needs it

            columns = tuple(star_order(job.variables, engine))
        columns = None if columns == engine else columns  # the engine's order is the right one
    if capped is not None and columns is None and isinstance(result, ox.QuerySolutions):
        written = engine_written(result, job.media_type, job.cap)
        if written is not None:
            return written
        result = store.query(capped, **options)  # a large answer in XML, CSV or TSV: row by row
    return serialize(result, job.media_type, job.cap, job.limit, columns)
