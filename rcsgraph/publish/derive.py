"""Derive, once per store generation, everything publication needs from the whole graph.

``derive(store, folder)`` writes into ``folder``: the dumps (``dumps/``, with gzip copies and
checksums), the VoID/DCAT figures, the articles in brief, the home page's figures, map and
timeline, the listing of things by kind, the suggestions of the catalogue's forms
(``publication.json``), and the label index (``labels.tsv``, see ``rcsgraph.publish.labels``).
It writes a sibling folder first and renames it into place, so a reader sees all of it or none
of it.

A server reads these files (``rcsgraph.publish.artefacts``) and never computes a whole-graph
artefact while answering a request.
"""

import json
import os
import shutil
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from rcsgraph.publish import articles, dumps, explorer, labels, void
from rcsgraph.publish.describe import vocabulary
from rcsgraph.store.oxigraph import OxigraphStore

#: Bumped when what ``derive`` writes changes: a reader ignores a folder of another version
#: (2: the articles in brief, and the meeting of the home page's map when there is one).
VERSION = 2
MANIFEST = "publication.json"
#: A few bytes saying which version wrote the folder for which IRI space: a server checks it
#: at start without reading the manifest.
STAMP = "derived.json"
#: Most things listed on the home page and offered as suggestions of one kind.
LISTED = 2000
#: Most events on the home page's timeline (the catalogue's ``timeline`` query has them all).
EVENTS = 300

Progress = Callable[[str], None]


def derive(
    store: ox.Store,
    folder: Path,
    id_space: str,
    bundled: bool = False,
    progress: Progress | None = None,
) -> None:
    """Write the publication artefacts of ``store`` (its named graphs) into ``folder``.

    ``bundled``: the dumps are those of ``rcsgraph export`` (the bundled graph), else
    Oxigraph's of the store. ``progress`` is told each step as it starts.
    """
    say = progress or (lambda step: None)
    staging = staging_for(folder)
    try:
        say("dumps")
        if bundled:
            dumps.write_bundled(staging / "dumps")
            union = dumps.union_store(store)
        else:
            _, union = dumps.write_from_store(store, staging / "dumps")
        _write_manifest(staging, store, union, id_space, say)
        say("labels")
        labels.write(labels.rows(OxigraphStore.wrap(union), id_space), staging)
        finish(staging, folder, id_space)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def staging_for(folder: Path) -> Path:
    """An empty folder beside ``folder`` to write its artefacts into first."""
    staging = folder.with_name(f".{folder.name}.{os.getpid()}.{time.time_ns()}.partial")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    return staging


def finish(staging: Path, folder: Path, id_space: str) -> None:
    """Stamp ``staging``, flush it to disk and move it into place as ``folder``."""
    _stamp(staging, id_space)
    _sync(staging)
    _publish(staging, folder)


def home_of(source: OxigraphStore) -> dict[str, Any]:
    """The home page's figures, map marks (and the meeting, when there is one) and first
    timeline events (with their number)."""
    events = explorer.timeline(source)
    meeting = explorer.only_meeting(source)
    return {
        "figures": explorer.figures(source),
        "marks": [asdict(m) for m in explorer.countries(source)],
        "meeting": asdict(meeting) if meeting is not None else None,
        "events": [asdict(e) for e in events[:EVENTS]],
        "events_total": len(events),
    }


def _write_manifest(
    staging: Path, store: ox.Store, union: ox.Store, id_space: str, say: Progress
) -> None:
    source = OxigraphStore.wrap(union)
    say("statistics")
    figures = void.count(source, id_space, graphs=OxigraphStore.wrap(store))
    say("home page")
    manifest = {
        "version": VERSION,
        "id_space": id_space,
        "figures": void.figures_to_json(figures),
        "vocabulary": {str(k): v for k, v in sorted(vocabulary(source).items())},
        "articles": articles.to_json(articles.of(source)),
        "home": home_of(source),
        "countries": [asdict(c) for c in explorer.all_countries(source)],
        "listing": explorer.listing(source, id_space, LISTED),
    }
    (staging / MANIFEST).write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n")


def _sync(folder: Path) -> None:
    for path in [*folder.rglob("*"), folder]:
        descriptor = os.open(path, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _publish(staging: Path, folder: Path) -> None:
    """Move ``staging`` into place; a folder already there (another writer's, the same
    generation) is replaced only when it is not complete."""
    try:
        os.rename(staging, folder)
    except OSError:
        if is_complete(folder):
            return  # another process derived the same artefacts first: keep theirs
        shutil.rmtree(folder, ignore_errors=True)
        os.rename(staging, folder)


def is_complete(folder: Path, id_space: str | None = None) -> bool:
    """Whether ``folder`` holds artefacts this version of rcsgraph reads (for ``id_space``)."""
    try:
        stamp = json.loads((folder / STAMP).read_text())
    except (OSError, ValueError):
        return False
    wanted = stamp.get("id_space") == id_space or id_space is None
    return bool(stamp.get("version") == VERSION and wanted)


def _stamp(staging: Path, id_space: str) -> None:
    """Written last, so its presence means the folder is whole."""
    (staging / STAMP).write_text(json.dumps({"version": VERSION, "id_space": id_space}) + "\n")


def read_manifest(folder: Path) -> dict[str, Any]:
    """The small artefacts of ``folder`` (``publication.json``)."""
    found: dict[str, Any] = json.loads((folder / MANIFEST).read_text())
    return found


def thing_kind(iri: URIRef | str, id_space: str) -> str:
    """``society`` for ``{id_space}society/…``."""
    return str(iri)[len(id_space) :].split("/", 1)[0]


def main(argv: list[str]) -> int:
    """``python -m rcsgraph.publish.derive GENERATION FOLDER ID_SPACE``: derive the artefacts
    of an Oxigraph directory, opened read-only (what a server starts for a store without
    them, in a child process: the memory it takes is given back when it ends)."""
    generation, folder, id_space = argv
    derive(ox.Store.read_only(generation), Path(folder), id_space)
    return 0


if __name__ == "__main__":
    import sys

    sys.exit(main(sys.argv[1:]))
