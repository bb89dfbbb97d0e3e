"""Small read-only stores are read from a copy in memory (``rcsgraph.web.service.store_spec``,
``rcsgraph.sparql.worker.open_store``), larger or writable ones on disk."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from rcsgraph.config import load_settings
from rcsgraph.sparql import worker
from rcsgraph.sparql.job import Job
from rcsgraph.sparql.local import LocalQueries
from rcsgraph.web.service import build_endpoint, store_spec

GRAPH = ox.NamedNode("http://example.org/g")


def _store(folder: Path) -> Path:
    """A plain Oxigraph folder of 50 statements."""
    store = ox.Store(str(folder))
    for n in range(50):
        node = ox.NamedNode(f"http://example.org/t{n}")
        store.add(ox.Quad(node, node, ox.Literal(f"v{n}"), GRAPH))
    store.flush()
    del store
    return folder


def test_a_small_read_only_store_is_read_in_memory_with_the_same_answers(tmp_path: Path) -> None:
    folder = _store(tmp_path / "store")
    spec = store_spec(load_settings({"store": folder}))
    assert spec["in_memory"] is True
    copy, disk = worker.open_store(spec), ox.Store.read_only(str(folder))
    copy.add(ox.Quad(GRAPH, GRAPH, GRAPH, GRAPH))  # only a copy in memory takes a write
    copy.remove(ox.Quad(GRAPH, GRAPH, GRAPH, GRAPH))
    query = "SELECT ?s ?o { ?s ?p ?o } ORDER BY ?o"
    found = [str(row) for row in copy.query(query, use_default_graph_as_union=True)]
    assert found == [str(row) for row in disk.query(query, use_default_graph_as_union=True)]
    assert len(found) == 50
    status, results = LocalQueries(spec).run(Job(kind="query", text=query), timeout=10) or ("", 0)
    assert status == "ok" and len(results.rows) == 50


@pytest.mark.parametrize(
    "settings", [{"copy_bytes": 1000}, {"copy_bytes": 0}], ids=["too large", "turned off"]
)
def test_a_larger_store_is_read_on_disk(tmp_path: Path, settings: dict[str, object]) -> None:
    folder = _store(tmp_path / "store")
    spec = store_spec(load_settings({"store": folder, **settings}))
    assert "in_memory" not in spec
    opened = worker.open_store(spec)
    with pytest.raises(RuntimeError, match="read-write"):  # read-only on disk
        opened.add(ox.Quad(GRAPH, GRAPH, GRAPH, GRAPH))
    del opened


def test_a_store_open_to_updates_is_written_on_disk(tmp_path: Path) -> None:
    folder = _store(tmp_path / "store")
    spec = store_spec(load_settings({"store": folder, "update_token": "secret"}))
    assert "in_memory" not in spec and spec["writable"] is True


def test_a_server_process_answers_its_own_queries_from_the_copy(tmp_path: Path) -> None:
    folder = _store(tmp_path / "store")
    endpoint = build_endpoint(load_settings({"store": folder, "workers": 1}), wait_ready=False)
    try:
        assert endpoint.local is not None
        results = endpoint.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert str(results.rows[0][0]) == "50"
        endpoint.local.store.add(ox.Quad(GRAPH, GRAPH, GRAPH, GRAPH))  # in memory: writable
    finally:
        endpoint.pool.close()
