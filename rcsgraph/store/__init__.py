"""Stores: one interface (``Store``), one class per backend, chosen by name from ``BACKENDS``.

``oxigraph`` (default; in memory or on disk), ``rdflib`` (the reference engine for tests) and
``remote`` (any SPARQL 1.1 server). The rdflib and remote backends are imported when first
used: a server that never uses them starts sooner without rdflib's SPARQL engine.

May import: the cross-cutting top-level modules only (``errors``, ``layout``, ``namespaces``).
``generations`` keeps the on-disk store's generations; ``binding`` is how values enter a
query text; ``push`` copies a store to a Graph Store Protocol endpoint.
"""

from importlib import import_module
from typing import TYPE_CHECKING, Any

from rcsgraph.errors import InputError
from rcsgraph.store.base import Results, Store, Term
from rcsgraph.store.oxigraph import OxigraphStore

if TYPE_CHECKING:
    from rcsgraph.store.reference import RdflibStore
    from rcsgraph.store.remote import RemoteStore

#: name -> (module, class) of each backend.
BACKENDS: dict[str, tuple[str, str]] = {
    "oxigraph": ("rcsgraph.store.oxigraph", "OxigraphStore"),
    "rdflib": ("rcsgraph.store.reference", "RdflibStore"),
    "remote": ("rcsgraph.store.remote", "RemoteStore"),
}
_LAZY = {"RdflibStore": "rdflib", "RemoteStore": "remote"}


def backend(name: str) -> type[Store]:
    """The store class of the named backend."""
    try:
        module, cls = BACKENDS[name]
    except KeyError:
        raise InputError(f"unknown store backend {name!r} ({', '.join(BACKENDS)})") from None
    found: type[Store] = getattr(import_module(module), cls)
    return found


def open_backend(name: str, **options: Any) -> Store:
    """A store of the named backend, opened with its own options."""
    return backend(name)(**options)


def __getattr__(name: str) -> type[Store]:
    if name in _LAZY:
        return backend(_LAZY[name])
    raise AttributeError(f"module 'rcsgraph.store' has no attribute {name!r}")


__all__ = [
    "BACKENDS",
    "OxigraphStore",
    "RdflibStore",
    "RemoteStore",
    "Results",
    "Store",
    "Term",
    "backend",
    "open_backend",
]
