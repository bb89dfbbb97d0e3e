"""Small read-only stores are read from a copy in memory by the server process
(``rcsgraph.sparql.local.LocalQueries``, ``rcsgraph.web.service.build_endpoint``)."""

from pathlib import Path

import pyoxigraph as ox
import pytest

from rcsgraph.config import load_settings
from rcsgraph.sparql.job import Job
from rcsgraph.sparql.local import LocalQueries
from rcsgraph.web.service import build_endpoint, fits

GRAPH = ox.NamedNode("http://example.org/g")
QUERY = Job(kind="query", text="SELECT ?s ?o { ?s ?p ?o } ORDER BY ?o")


def _store(folder: Path) -> Path:
    """A plain Oxigraph folder of 50 statements."""
    store = ox.Store(str(folder))
    for n in range(50):
        node = ox.NamedNode(f"http://example.org/t{n}")
        store.add(ox.Quad(node, node, ox.Literal(f"v{n}"), GRAPH))
    store.flush()
    del store
    return folder


def test_a_copy_in_memory_gives_the_answers_of_the_disk(tmp_path: Path) -> None:
    spec = {"kind": "disk", "path": str(_store(tmp_path / "store"))}
    on_disk = LocalQueries(spec).run(QUERY, timeout=10)
    local = LocalQueries(spec, copy=True)
    assert local.run(QUERY, timeout=10) == on_disk  # from the disk until the copy is whole
    local.open()
    assert local.copied.is_set()
    assert local.run(QUERY, timeout=10) == on_disk
    assert on_disk is not None and len(on_disk[1].rows) == 50
    local.store.add(ox.Quad(GRAPH, GRAPH, GRAPH, GRAPH))  # in memory: a write is taken


def test_without_copy_the_store_is_read_on_disk(tmp_path: Path) -> None:
    local = LocalQueries({"kind": "disk", "path": str(_store(tmp_path / "store"))})
    local.open()
    assert not local.copied.is_set()
    with pytest.raises(RuntimeError, match="read-write"):
        local.store.add(ox.Quad(GRAPH, GRAPH, GRAPH, GRAPH))


def test_only_a_store_within_the_size_is_copied(tmp_path: Path) -> None:
    folder = _store(tmp_path / "store")
    assert fits(folder, 2**30)
    assert not fits(folder, 1000) and not fits(folder, 0)
    (folder / "inside").mkdir()
    assert not fits(folder, 2**30)  # RocksDB keeps no folders: not a store to copy


@pytest.mark.parametrize(
    ("settings", "copied"),
    [({}, True), ({"copy_bytes": 0}, False), ({"update_token": "secret"}, False)],
    ids=["small", "turned off", "open to updates"],
)
def test_a_server_process_copies_a_small_read_only_store_as_it_starts(
    tmp_path: Path, settings: dict[str, object], copied: bool
) -> None:
    folder = _store(tmp_path / "store")
    endpoint = build_endpoint(load_settings({"store": folder, "workers": 1, **settings}))
    try:
        results = endpoint.query("SELECT (COUNT(*) AS ?n) { ?s ?p ?o }")
        assert str(results.rows[0][0]) == "50"
        if endpoint.local is None:
            assert not copied  # a store open to updates is read by its one worker
        else:
            assert endpoint.local.copied.wait(10 if copied else 0.2) is copied
    finally:
        endpoint.pool.close()


def test_a_small_store_in_memory_is_read_in_the_calling_thread(tmp_path: Path) -> None:
    """No hand-over to an evaluating thread once the copy is whole (nor for the bundled graph):
    the store's size bounds the evaluation, and the hand-over cost more than a page's queries."""
    spec = {"kind": "disk", "path": str(_store(tmp_path / "store"))}
    on_disk, copied = LocalQueries(spec), LocalQueries(spec, copy=True)
    copied.open()
    assert copied.small() and not on_disk.small()
    assert copied.run(QUERY, timeout=10) == on_disk.run(QUERY, timeout=10)
    assert copied.threads == [] and len(on_disk.threads) == on_disk.slots
    assert LocalQueries({"kind": "bundled"}).small()
