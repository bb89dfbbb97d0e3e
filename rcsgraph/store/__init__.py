"""Stores: one interface (``Store``), one class per backend, chosen by name.

``oxigraph`` (default; in memory or on disk), ``rdflib`` (the reference engine for tests) and
``remote`` (any SPARQL 1.1 server).
"""

from rcsgraph.store.base import Results, Store, Term
from rcsgraph.store.oxigraph import OxigraphStore
from rcsgraph.store.reference import RdflibStore

__all__ = ["OxigraphStore", "RdflibStore", "Results", "Store", "Term"]
