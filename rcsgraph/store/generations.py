"""The on-disk store: generations of Oxigraph directories behind an atomically swapped link.

A store folder ``PATH`` holds::

    PATH/current -> g-20261126T233512Z-4242   the generation readers open (relative symlink)
    PATH/g-…/                                 complete Oxigraph stores, the newest two kept
    PATH/building-…/                          a generation being written (never read)
    PATH/derived/g-…/                         what publication derives from that generation
    PATH/texts/{sha256}.txt                   article texts that quotes point into
    PATH/.lock                                held by the one writer at a time

A writer builds a whole new generation beside the current one, flushes it, renames it into
place and then replaces the ``current`` link with ``os.replace`` (atomic on POSIX). A process
killed at any moment therefore leaves ``current`` pointing at a complete store, old or new;
what it left half-built is removed by the next writer.
"""

import contextlib
import fcntl
import os
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from rcsgraph.errors import StoreError
from rcsgraph.store.oxigraph import OxigraphStore

CURRENT = "current"
TEXTS = "texts"
DERIVED = "derived"
_KEEP = 2  # generations kept: the current one and the one before (a server may still read it)


def current_generation(path: Path) -> Path | None:
    """The folder ``PATH/current`` points at, or None when no store was built yet."""
    link = path / CURRENT
    if not link.is_symlink():
        return None
    return (path / os.readlink(link)).resolve()


def is_plain_oxigraph(path: Path) -> bool:
    """Whether ``path`` is an Oxigraph directory made by another program (``oxigraph load``):
    one store, no generations."""
    return (path / "CURRENT").is_file() and not (path / CURRENT).exists()


def served_generation(path: Path) -> Path | None:
    """The Oxigraph directory a server of ``path`` opens: the current generation, or ``path``
    itself when it is a plain Oxigraph directory; None when there is no store."""
    return path if is_plain_oxigraph(path) else current_generation(path)


def derived_folder(path: Path, generation: Path) -> Path:
    """Where the artefacts derived from ``generation`` of the store at ``path`` live."""
    return path / DERIVED / generation.name


def open_store(path: Path, read_only: bool = True) -> OxigraphStore:
    """Open the current generation of the store at ``path`` (read-only by default), or the
    plain Oxigraph directory ``path`` is."""
    generation = served_generation(path)
    if generation is None:
        raise StoreError(f"{path}: no store here (build one with `rcsgraph load --store {path}`)")
    return OxigraphStore(generation, read_only=read_only)


def texts_folder(path: Path) -> Path:
    """Where the article texts of the store at ``path`` are kept, by SHA-256."""
    return path / TEXTS


def save_text(path: Path, sha256: str, data: bytes) -> None:
    """Keep an article text in the store folder (written whole, then renamed into place)."""
    folder = texts_folder(path)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha256}.txt"
    if target.exists():
        return
    partial = folder / f".{sha256}.{os.getpid()}.partial"
    partial.write_bytes(data)
    _fsync(partial)
    os.replace(partial, target)


def write_generation(
    path: Path,
    fill: Callable[[OxigraphStore, Path | None], None],
    derive: Callable[[OxigraphStore, Path, Path | None], None] | None = None,
    from_previous: bool = False,
) -> Path:
    """Build a new generation with ``fill(new_store, previous_generation)``, then publish it;
    ``derive(new_store, folder, previous_generation)`` writes what is derived from it into its
    ``derived_folder`` before it is published, so the two appear together.

    ``from_previous``: the new generation starts as a copy of the current one (its files copied,
    far quicker than reloading its quads), for a build that only adds to it.

    ``fill`` or ``derive`` may raise to abandon the build: nothing is published and the current
    generation stays as it was. Returns the published generation's folder.
    """
    path.mkdir(parents=True, exist_ok=True)
    with _writer_lock(path):
        _remove_leftovers(path)
        previous = current_generation(path)
        stamp = time.strftime("%Y%m%dT%H%M%S", time.gmtime()) + f".{time.time_ns() % 10**9:09d}Z"
        building = path / f"building-{stamp}-{os.getpid()}"
        generation = path / f"g-{stamp}-{os.getpid()}"
        try:
            if from_previous and previous is not None:
                _copy_previous(previous, building)
            store = OxigraphStore(building)
            try:
                fill(store, previous)
                if derive is not None:
                    derive(store, derived_folder(path, generation), previous)
            finally:
                store.close()
            os.rename(building, generation)
            _fsync(path)
            _point_current(path, generation)
        finally:
            shutil.rmtree(building, ignore_errors=True)
        _remove_old_generations(path)
        return generation


def _copy_previous(previous: Path, building: Path) -> None:
    """The files of a published generation copied as the start of a new one (a published
    generation is never written again, so its files are a consistent store)."""
    shutil.copytree(previous, building)


def _point_current(path: Path, generation: Path) -> None:
    staged = path / f".{CURRENT}.{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        staged.unlink()
    staged.symlink_to(generation.name)
    os.replace(staged, path / CURRENT)
    _fsync(path)


@contextlib.contextmanager
def _writer_lock(path: Path) -> Iterator[None]:
    with (path / ".lock").open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StoreError(f"{path}: another rcsgraph process is writing this store") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _remove_leftovers(path: Path) -> None:
    """What writers that died left: half-built or unpublished generations, staged links."""
    for leftover in path.glob("building-*"):
        shutil.rmtree(leftover, ignore_errors=True)
    for staged in path.glob(f".{CURRENT}.*"):
        staged.unlink(missing_ok=True)
    current = current_generation(path)
    for orphan in path.glob("g-*"):  # renamed into place but never published
        if current is None or orphan.name > current.name:
            shutil.rmtree(orphan, ignore_errors=True)
    _remove_unused_derived(path)


def _remove_unused_derived(path: Path) -> None:
    """Derived folders whose generation is gone (or was never published), and half-written
    ones (``.….partial``)."""
    for folder in (path / DERIVED).glob("*") if (path / DERIVED).is_dir() else []:
        if not (path / folder.name).is_dir() or folder.name.startswith("."):
            shutil.rmtree(folder, ignore_errors=True)


def _remove_old_generations(path: Path) -> None:
    current = current_generation(path)
    generations = sorted(path.glob("g-*"), reverse=True)  # names start with a UTC timestamp
    keep = {current, *generations[:_KEEP]}
    for old in generations:
        if old.resolve() not in {k.resolve() for k in keep if k is not None}:
            shutil.rmtree(old, ignore_errors=True)
    _remove_unused_derived(path)


def _fsync(target: Path) -> None:
    descriptor = os.open(target, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
