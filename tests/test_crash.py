"""Crash safety: ``kill -9`` during ``rcsgraph load`` or ``rcsgraph add`` loses nothing stored.

Two kinds of faults, each a real SIGKILL (no ``finally`` block, no flush, no cleanup runs):

- at named stages: a small wrapper runs the command with one library function wrapped so that
  the process sends SIGKILL to itself just before or after it (the lock taken, the previous
  generation copied, the first file loaded, validation, the text saved, the dumps written, the
  derived artefacts published, the new generation renamed into place, the ``current`` link
  swapped, an old generation half removed);
- at sampled moments: the command runs as a subprocess and is killed from outside at fractions
  of the time a whole run took on this machine (so that the moments spread over the run however
  fast the machine is; nothing asserts a time).

After each fault the store must hold exactly the previous content (or, once the link was
swapped, exactly the new one), be readable, and take the next write, which cleans up what the
dead writer left. Outcomes are written to ``var/crash-report.json``.
"""

import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from endpoint_server import ROOT

from rcsgraph.store import generations

pytestmark = pytest.mark.slow

BUNDLES = Path(__file__).parent / "data" / "bundles"
REPORT = ROOT / "var" / "crash-report.json"
OUTCOMES: list[dict[str, object]] = []

#: Runs ``rcsgraph COMMAND …`` with a SIGKILL at STAGE: ``python -c WRAPPER STAGE ARGS…``.
WRAPPER = r"""
import os, signal, sys
from pathlib import Path
from rcsgraph.graph import build
from rcsgraph.publish import derive, dumps
from rcsgraph.store import generations
from rcsgraph.cli import main

stage, args = sys.argv[1], sys.argv[2:]

def die():
    os.kill(os.getpid(), signal.SIGKILL)

def wrap(module, name, when):
    # module.name dies just before or just after its first call
    real = getattr(module, name)
    def wrapped(*a, **k):
        if when == "before":
            die()
        result = real(*a, **k)
        die()
        return result
    setattr(module, name, wrapped)

real_rmtree = generations.shutil.rmtree

def rmtree_or_die(target, *a, **k):
    # half of an old generation removed, then death (as if killed while removing it)
    if Path(target).name.startswith("g-"):
        files = sorted(p for p in Path(target).rglob("*") if p.is_file())
        for file in files[: max(1, len(files) // 2)]:
            file.unlink()
        die()
    return real_rmtree(target, *a, **k)

{
    "lock-taken": lambda: wrap(generations, "_remove_leftovers", "before"),
    "previous-copied": lambda: wrap(generations, "_copy_previous", "after"),
    "first-file-loaded": lambda: wrap(build, "load_file", "after"),
    "validating": lambda: [wrap(build, f, "before") for f in ("validate_graph", "validate_bundle")],
    "text-saved": lambda: wrap(generations, "save_text", "after"),
    "dumps-written": lambda: wrap(dumps, "finish_all", "after"),
    "derived-published": lambda: wrap(derive, "_publish", "after"),
    "renamed": lambda: wrap(generations.os, "rename", "after"),
    "link-swapped": lambda: wrap(generations, "_point_current", "after"),
    "old-half-removed": lambda: setattr(generations.shutil, "rmtree", rmtree_or_die),
}[stage]()
sys.exit(main(args))
"""

STAGES_BEFORE_PUBLISHING = [
    "lock-taken",
    "previous-copied",
    "first-file-loaded",
    "validating",
    "text-saved",
    "dumps-written",
    "derived-published",
    "renamed",
]
STAGES_AFTER_PUBLISHING = ["link-swapped", "old-half-removed"]
LOAD_STAGES = ("first-file-loaded", "validating", "dumps-written", "renamed", "link-swapped")


def fingerprint(path: Path) -> str:
    """The store's content as a reader sees it: its N-Quads, blank nodes and the time of
    recording left out (``add`` stamps ``prov:generatedAtTime``), sorted, hashed."""
    generation = generations.current_generation(path)
    assert generation is not None, f"{path}: no current generation"
    store = ox.Store.read_only(str(generation))
    dumped = store.dump(format=ox.RdfFormat.N_QUADS, from_graph=None)
    assert isinstance(dumped, bytes)
    lines = [
        re.sub(r"_:\S+", "_:b", line)
        for line in dumped.decode("utf-8").splitlines()
        if "generatedAtTime" not in line
    ]
    digest = hashlib.sha256("\n".join(sorted(lines)).encode("utf-8")).hexdigest()
    return f"{len(lines)}:{digest[:16]}"


def rcsgraph(*args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "rcsgraph.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)


def command_for(kind: str, store: Path, bundle: Path) -> list[str]:
    if kind == "add":
        return ["add", str(bundle), "--store", str(store)]
    return ["load", "--store", str(store), "--quiet"]


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    yield
    REPORT.parent.mkdir(exist_ok=True)
    kept = sum(1 for o in OUTCOMES if o["store"] in ("previous", "new"))
    summary = {"faults": len(OUTCOMES), "store intact": kept, "outcomes": OUTCOMES}
    REPORT.write_text(json.dumps(summary, indent=2) + "\n", encoding="utf-8")


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """A store with two generations, a bundle, and what a whole ``add`` and ``load`` make."""
    folder = tmp_path_factory.mktemp("crash")
    store = folder / "kg"
    for _ in range(2):  # two generations: a third write removes the oldest
        done = rcsgraph("load", "--store", str(store), "--quiet")
        assert done.returncode == 0, done.stderr
    bundle_folder = folder / "bundle"
    shutil.copytree(BUNDLES, bundle_folder)
    bundle = bundle_folder / "second-article.ttl"
    expected: dict[str, object] = {"store": store, "bundle": bundle, "before": fingerprint(store)}
    for kind in ("add", "load"):
        copy = folder / f"whole-{kind}"
        shutil.copytree(store, copy, symlinks=True)
        started = time.monotonic()
        done = rcsgraph(*command_for(kind, copy, bundle))
        assert done.returncode == 0, done.stderr
        expected[f"{kind}-seconds"] = time.monotonic() - started
        expected[f"{kind}-after"] = fingerprint(copy)
    return expected


@pytest.fixture
def store(prepared: dict[str, object], tmp_path: Path) -> Path:
    source = prepared["store"]
    assert isinstance(source, Path)
    copy = tmp_path / "kg"
    shutil.copytree(source, copy, symlinks=True)
    return copy


def derived_complete(store: Path) -> bool:
    """Whether the current generation's publication artefacts are all there."""
    from rcsgraph.publish.derive import is_complete

    generation = generations.current_generation(store)
    return generation is not None and is_complete(generations.derived_folder(store, generation))


def check_after_fault(
    store: Path, prepared: dict[str, object], kind: str, moment: str, published: bool | None
) -> None:
    """The store is readable and holds the previous content (or, when ``published``, the new
    one; None: either); the next write succeeds and leaves nothing of the dead one behind."""
    found = fingerprint(store)
    previous, new = prepared["before"], prepared[f"{kind}-after"]
    outcome = "previous" if found == previous else "new" if found == new else "LOST"
    if kind == "load":  # a load rebuilds the same content: the two cannot be told apart
        outcome = "previous" if found == previous else "LOST"
    OUTCOMES.append({"command": kind, "moment": moment, "store": outcome})
    allowed = {None: {previous, new}, False: {previous}, True: {new}}[published]
    assert found in allowed, f"{kind} killed at {moment}: the store holds {found}"
    assert derived_complete(store), f"{kind} killed at {moment}: the artefacts are not whole"
    # the next writer (a load without validation, the quickest) cleans up and publishes
    again = rcsgraph("load", "--store", str(store), "--quiet", "--skip-validation")
    assert again.returncode == 0, again.stderr
    assert not list(store.glob("building-*")) and not list(store.glob(".current.*"))
    assert len(list(store.glob("g-*"))) <= 2
    assert derived_complete(store)
    assert sorted(p.name for p in (store / "derived").iterdir()) == sorted(
        p.name for p in store.glob("g-*")
    ), "derived folders of gone or unpublished generations, or half-written ones, are left"
    assert fingerprint(store) in {previous, new}


@pytest.mark.parametrize(
    ("kind", "stage"),
    [("add", s) for s in STAGES_BEFORE_PUBLISHING + STAGES_AFTER_PUBLISHING]
    + [("load", s) for s in LOAD_STAGES],  # tests/test_building.py kills loads at more moments
)
def test_a_writer_killed_at_a_stage_loses_nothing(
    prepared: dict[str, object], store: Path, kind: str, stage: str
) -> None:
    bundle = prepared["bundle"]
    assert isinstance(bundle, Path)
    command = [sys.executable, "-c", WRAPPER, stage, *command_for(kind, store, bundle)]
    done = subprocess.run(command, capture_output=True, text=True, check=False, cwd=ROOT)
    assert done.returncode == -signal.SIGKILL, f"not killed at {stage}: {done.stderr[-800:]}"
    check_after_fault(store, prepared, kind, stage, stage in STAGES_AFTER_PUBLISHING)


@pytest.mark.parametrize(
    ("kind", "share"), [("add", 0.2), ("add", 0.5), ("add", 0.8), ("load", 0.35), ("load", 0.65)]
)
def test_a_writer_killed_at_a_sampled_moment_loses_nothing(
    prepared: dict[str, object], store: Path, kind: str, share: float
) -> None:
    bundle, whole = prepared["bundle"], prepared[f"{kind}-seconds"]
    assert isinstance(bundle, Path) and isinstance(whole, float)
    command = [sys.executable, "-m", "rcsgraph.cli", *command_for(kind, store, bundle)]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(whole * share)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    check_after_fault(store, prepared, kind, f"{share:.0%} of a whole run", None)
