"""Copy a store to a SPARQL 1.1 Graph Store Protocol endpoint: the path for users who outgrow
one machine (Virtuoso, Fuseki, GraphDB, Oxigraph server, ...).

Each named graph is sent with one PUT, which replaces the remote graph of that name, then read
back to check that the server holds as many triples as the store. Remote graphs that the store
does not have are left alone.
"""

from rcsgraph.errors import StoreError
from rcsgraph.store.base import Store
from rcsgraph.store.protocol import GraphStore, HttpClient
from rcsgraph.store.remote import parse_triples


def push(
    store: Store,
    gsp_url: str,
    user: str | None = None,
    password: str | None = None,
    timeout: float = 300.0,
) -> dict[str, int]:
    """Put every named graph of ``store`` to ``gsp_url``; the triples per graph, as verified.

    HTTP basic or digest authentication is used when the server asks for it and ``user`` is
    given. A graph whose remote count differs from ours raises ``StoreError``.
    """
    target = GraphStore(gsp_url, HttpClient([gsp_url], user, password, timeout))
    pushed = {}
    for graph in store.graphs():
        target.put(graph, parse_triples(store.export("nt", graph), "nt"))
        pushed[graph] = verified_count(target, graph, expected=store.count(graph))
    return pushed


def verified_count(target: GraphStore, graph: str, expected: int) -> int:
    """The number of triples ``target`` holds in ``graph``, when it is ``expected``."""
    found = len(set(target.get(graph)))
    if found != expected:
        raise StoreError(
            f"{target.url}: graph <{graph}> holds {found} triples after the push, not {expected}"
        )
    return found
