"""Stores: one interface (``Store``), one class per backend, chosen by name from ``BACKENDS``.

``oxigraph`` (default; in memory or on disk), ``rdflib`` (the reference engine for tests) and
``remote`` (any SPARQL 1.1 server).
"""

from typing import Any

from rcsgraph.errors import InputError
from rcsgraph.store.base import Results, Store, Term
from rcsgraph.store.oxigraph import OxigraphStore
from rcsgraph.store.reference import RdflibStore
from rcsgraph.store.remote import RemoteStore

BACKENDS: dict[str, type[Store]] = {
    "oxigraph": OxigraphStore,
    "rdflib": RdflibStore,
    "remote": RemoteStore,
}


def open_backend(name: str, **options: Any) -> Store:
    """A store of the named backend, opened with its own options."""
    try:
        backend = BACKENDS[name]
    except KeyError:
        raise InputError(f"unknown store backend {name!r} ({', '.join(BACKENDS)})") from None
    return backend(**options)


__all__ = [
    "BACKENDS",
    "OxigraphStore",
    "RdflibStore",
    "RemoteStore",
    "Results",
    "Store",
    "Term",
    "open_backend",
]
