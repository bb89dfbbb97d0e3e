"""Build the endpoint the settings describe (which store, how many workers, which graphs) and
find the publication artefacts of what it serves; ``publication()`` is the current app's."""

from typing import Any

from flask import current_app

from rcsgraph import layout, resources
from rcsgraph.config import Settings
from rcsgraph.publish.artefacts import Publication
from rcsgraph.sparql.endpoint import Endpoint
from rcsgraph.sparql.executor import Pool
from rcsgraph.store import generations


def store_spec(settings: Settings) -> dict[str, Any]:
    """How each worker opens the store (see ``rcsgraph.sparql.worker.open_store``)."""
    if settings.endpoint is not None:
        return {"kind": "remote", "url": settings.endpoint}
    if settings.store is not None:
        generation = generations.served_generation(settings.store)
        if generation is None:
            from rcsgraph.errors import StoreError

            raise StoreError(f"{settings.store}: no store here (run `rcsgraph load --store`)")
        return {"kind": "disk", "path": str(generation), "writable": bool(settings.update_token)}
    if settings.graphs:
        return {"kind": "memory", "graphs": dict(settings.graphs)}
    return {"kind": "bundled"}


def known_graphs(settings: Settings) -> set[str]:
    """The named graphs FROM may name."""
    if settings.endpoint is not None:
        from rcsgraph.store.remote import RemoteStore

        return set(RemoteStore(settings.endpoint).graphs())
    if settings.store is not None:
        with generations.open_store(settings.store) as store:
            return set(store.graphs())
    if settings.graphs:
        return set(settings.graphs)
    data = [layout.data_graph(path) for path in resources.data_files()]
    return {layout.ONTOLOGY_GRAPH, *data}


def build_endpoint(settings: Settings) -> Endpoint:
    spec = store_spec(settings)
    graphs = known_graphs(settings)
    workers = 1 if settings.update_token else settings.workers  # one writer sees every write
    pool = Pool(spec, workers, wait=settings.queue_wait)
    return Endpoint(settings, pool, graphs)


def publication() -> Publication:
    """The publication artefacts of the current application (see ``create_app``)."""
    found: Publication = current_app.extensions["rcsgraph.publication"]
    return found
