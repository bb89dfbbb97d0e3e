"""`rcsgraph load` and `rcsgraph add`: atomic, validated, and nothing stored is ever lost."""

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from rcsgraph import layout
from rcsgraph.cli import main
from rcsgraph.store import generations

BUNDLES = Path(__file__).parent / "data" / "bundles"
EXAMPLE = "https://w3id.org/rcsgraph/id/society/example-red-crescent-society"


def snapshot(store_path: Path) -> tuple[Path | None, int, list[str]]:
    """What a reader sees: the current generation, its quad count and graphs."""
    with generations.open_store(store_path) as store:
        return generations.current_generation(store_path), store.count(), store.graphs()


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store built once from the bundled data; tests copy it before changing it."""
    path = tmp_path_factory.mktemp("store") / "kg"
    assert main(["load", "--store", str(path), "--quiet"]) == 0
    return path


@pytest.fixture
def store_path(built: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "kg"
    shutil.copytree(built, copy, symlinks=True)
    return copy


@pytest.fixture
def bundle(tmp_path: Path) -> Path:
    folder = tmp_path / "bundle"
    shutil.copytree(BUNDLES, folder)
    return folder / "second-article.ttl"


def test_load_publishes_the_bundled_graphs(built: Path) -> None:
    generation, quads, graphs = snapshot(built)
    assert generation is not None and generation.name.startswith("g-")
    assert quads > 3000
    assert graphs == sorted(
        [layout.ONTOLOGY_GRAPH, layout.GRAPH_BASE + "article", layout.GRAPH_BASE + "links"]
    )
    assert list(generations.texts_folder(built).glob("*.txt")), "the article text is kept"


def test_add_accepts_a_valid_bundle_and_queries_see_it(store_path: Path, bundle: Path) -> None:
    before = snapshot(store_path)
    assert main(["add", str(bundle), "--store", str(store_path)]) == 0
    after = snapshot(store_path)
    assert after[0] != before[0] and after[1] > before[1]
    assert layout.BUNDLE_BASE + "second-article" in after[2]
    assert layout.PROVENANCE_GRAPH in after[2]
    with generations.open_store(store_path) as store:
        answer = store.query("ASK { ?s a <https://w3id.org/rcsgraph/ontology#Society> }", {})
        assert answer.boolean
        labels = store.query(
            "PREFIX rcs: <https://w3id.org/rcsgraph/ontology#> "
            "SELECT ?society ?source WHERE { GRAPH ?g { ?society a rcs:Society } "
            "GRAPH <https://w3id.org/rcsgraph/graph/provenance> { ?g "
            "<http://purl.org/dc/terms/source> ?source } }"
        )
        assert {(str(r[0]), str(r[1])) for r in labels.rows} == {(EXAMPLE, "second-article.ttl")}


def test_load_keeps_the_bundles_added_before(store_path: Path, bundle: Path) -> None:
    assert main(["add", str(bundle), "--store", str(store_path)]) == 0
    added = snapshot(store_path)
    assert main(["load", "--store", str(store_path), "--quiet"]) == 0
    reloaded = snapshot(store_path)
    assert reloaded[0] != added[0] and reloaded[1:] == added[1:]


def test_add_refuses_a_broken_file_and_changes_nothing(
    store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("<http://example.org/a> <http://example.org/b> .\n")
    before = snapshot(store_path)
    assert main(["add", str(broken), "--store", str(store_path)]) == 2
    assert f"{broken}:1:" in capsys.readouterr().err
    assert snapshot(store_path) == before


def test_add_refuses_a_non_conforming_bundle_with_the_violations(
    store_path: Path, bundle: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = bundle.read_text(encoding="utf-8")
    bundle.write_text(text.replace('rcs:founded "1950"^^xsd:gYear .', "."), encoding="utf-8")
    before = snapshot(store_path)
    assert main(["add", str(bundle), "--store", str(store_path)]) == 1
    out, err = capsys.readouterr()
    assert "VIOLATION" in out and "refused" in err
    assert snapshot(store_path) == before
    assert not list(store_path.glob("building-*"))


def test_add_refuses_a_bundle_already_added(store_path: Path, bundle: Path) -> None:
    assert main(["add", str(bundle), "--store", str(store_path)]) == 0
    before = snapshot(store_path)
    assert main(["add", str(bundle), "--store", str(store_path)]) == 2
    assert snapshot(store_path) == before


def test_add_to_a_missing_store_is_exit_2(tmp_path: Path, bundle: Path) -> None:
    assert main(["add", str(bundle), "--store", str(tmp_path / "none")]) == 2


def test_two_writers_do_not_interleave(store_path: Path) -> None:
    with (store_path / ".lock").open("a") as handle:
        import fcntl

        fcntl.flock(handle, fcntl.LOCK_EX)
        assert main(["load", "--store", str(store_path), "--quiet"]) == 1


@pytest.mark.slow
@pytest.mark.parametrize("moment", [0.2, 0.6, 1.2, 2.0, 3.0, 4.5])
def test_a_load_killed_at_any_moment_leaves_the_previous_store(
    store_path: Path, moment: float
) -> None:
    before = snapshot(store_path)
    command = [sys.executable, "-m", "rcsgraph.cli", "load", "--store", str(store_path), "-q"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(moment)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    after = snapshot(store_path)
    assert after[1:] == before[1:]  # same content, whether or not the load got to publish
    assert main(["load", "--store", str(store_path), "--quiet"]) == 0  # and writable again


CRASH_AT = """
import os, sys
from rcsgraph.store import generations
from rcsgraph.cli import main
real = getattr(generations.os, sys.argv[1])
def die(*args, **kwargs):
    os._exit(137)  # like SIGKILL: no cleanup, no finally blocks
setattr(generations.os, sys.argv[1], die)
main(["load", "--store", sys.argv[2], "--quiet"])
"""


@pytest.mark.parametrize("step", ["rename", "replace"])
def test_a_load_dying_while_publishing_leaves_the_previous_store(
    store_path: Path, step: str
) -> None:
    """Death at the two publishing steps: renaming the new generation, switching `current`."""
    before = snapshot(store_path)
    done = subprocess.run([sys.executable, "-c", CRASH_AT, step, str(store_path)], check=False)
    assert done.returncode == 137
    assert snapshot(store_path) == before
    assert main(["load", "--store", str(store_path), "--quiet"]) == 0
    assert not list(store_path.glob("building-*")) and not list(store_path.glob(".current.*"))
    assert len(list(store_path.glob("g-*"))) <= 2
