"""The publication artefacts of a generation that ``rcsgraph add`` made: the previous
generation's, brought up to date with what the new graphs add, instead of derived afresh.

At a million triples a whole derivation takes most of a minute; one bundle adds a few hundred
triples. So the dumps get the new statements appended (N-Triples lines, a Turtle block, a TriG
block per graph, JSON-LD nodes: each valid where it is appended), the figures are counted up
from the new triples alone (asking the previous generation whether each was already there),
the label index and listing merge the new things in; only what small queries answer at once
(the articles in brief, the home page's figures, map and timeline, examples, vocabulary) is
asked again. The result
holds the same statements as a whole derivation, in another order.
"""

import json
import shutil
from collections.abc import Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from rdflib import URIRef

from rcsgraph.graph.export import FORMATS
from rcsgraph.namespaces import PREFIXES
from rcsgraph.publish import articles, derive, dumps, explorer, labels, void
from rcsgraph.publish.describe import vocabulary
from rcsgraph.publish.iris import EXTERNAL
from rcsgraph.store.oxigraph import OxigraphStore

RDF_TYPE = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")
Triple = tuple[Any, Any, Any]


def increment(
    store: ox.Store,
    previous: ox.Store,
    before: Path,
    changed: Iterable[str],
    folder: Path,
    id_space: str,
) -> None:
    """Write into ``folder`` the artefacts of ``store``: those of ``previous`` (in ``before``)
    plus what the ``changed`` named graphs of ``store`` add."""
    quads = [
        quad
        for graph in changed
        for quad in store.quads_for_pattern(None, None, None, ox.NamedNode(graph))
        if quad not in previous
    ]
    new = list(dict.fromkeys((q.subject, q.predicate, q.object) for q in quads))
    new = [t for t in new if next(previous.quads_for_pattern(*t, None), None) is None]
    staging = derive.staging_for(folder)
    try:
        _append_dumps(before / "dumps", staging / "dumps", quads, new)
        manifest = derive.read_manifest(before)
        source = OxigraphStore.wrap(store)
        figures = void.figures_from_json(manifest["figures"])
        _count_up(figures, new, quads, previous, id_space)
        figures.examples = [URIRef(r["x"]) for r in source.query(void.EXAMPLES).dicts()]
        manifest.update(
            figures=void.figures_to_json(figures),
            vocabulary={str(k): v for k, v in sorted(vocabulary(source).items())},
            articles=articles.to_json(articles.of(source)),
            home=derive.home_of(source),
            countries=[asdict(c) for c in explorer.all_countries(source)],
            listing=_listing(manifest["listing"], source, previous, new, id_space),
        )
        (staging / derive.MANIFEST).write_text(
            json.dumps(manifest, indent=1, sort_keys=True) + "\n"
        )
        _merge_labels(before, staging, source, new, id_space)
        derive.finish(staging, folder, id_space)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _append_dumps(before: Path, after: Path, quads: list[ox.Quad], new: list[Triple]) -> list[Any]:
    after.mkdir(parents=True)
    prefixes = {prefix: str(namespace) for prefix, namespace in PREFIXES.items()}
    triples = [ox.Triple(*t) for t in new]

    def statements(fmt: ox.RdfFormat, items: list[Any]) -> bytes:
        text = ox.serialize(items, format=fmt, prefixes=prefixes) or b""
        return b"".join(line for line in text.splitlines(True) if not line.startswith(b"@prefix"))

    tails = {
        "nt": ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"",
        "ttl": b"\n" + statements(ox.RdfFormat.TURTLE, triples),
        "trig": b"\n" + statements(ox.RdfFormat.TRIG, quads),
    }

    def append(fmt: str) -> None:
        name = dumps.name_of(fmt)
        shutil.copyfile(before / name, after / name)
        if fmt == "jsonld":
            _append_json_nodes(after / name, ox.serialize(triples, format=ox.RdfFormat.JSON_LD))
        elif new or (fmt == "trig" and quads):
            with (after / name).open("ab") as out:
                out.write(tails[fmt])

    with ThreadPoolExecutor(max_workers=2) as pool:
        list(pool.map(append, FORMATS))
    return dumps.finish_all(after, list(FORMATS))


def _append_json_nodes(path: Path, added: bytes | None) -> None:
    """Append the node objects of the JSON-LD array ``added`` to the array in ``path``."""
    nodes = (added or b"[]").strip()[1:-1].strip()
    if not nodes:
        return
    with path.open("r+b") as file:
        file.seek(0, 2)
        end = file.tell()
        while end > 0:  # the closing bracket, past trailing white space
            file.seek(end - 1)
            if file.read(1) == b"]":
                break
            end -= 1
        file.seek(end - 2 if end >= 2 else 0)
        empty = file.read(1) == b"["
        file.seek(end - 1)
        file.truncate()
        file.write((b"" if empty else b",") + nodes + b"]\n")


def _count_up(
    figures: void.Figures, new: list[Triple], quads: list[ox.Quad], previous: ox.Store, space: str
) -> None:
    """The VoID figures of the previous generation plus what ``new`` triples add."""
    figures.triples += len(new)
    seen_subjects, seen_objects, typed = set(), set(), set()
    for s, p, o in new:
        predicate = URIRef(p.value)
        figures.predicates[predicate] = figures.predicates.get(predicate, 0) + 1
        if s not in seen_subjects and next(previous.quads_for_pattern(s, None, None), None) is None:
            figures.subjects += 1
        seen_subjects.add(s)
        if o not in seen_objects and next(previous.quads_for_pattern(None, None, o), None) is None:
            figures.objects += 1
        seen_objects.add(o)
        if p == RDF_TYPE:
            cls = URIRef(o.value)
            figures.classes[cls] = figures.classes.get(cls, 0) + 1
            fresh = next(previous.quads_for_pattern(s, RDF_TYPE, None), None) is None
            if isinstance(s, ox.NamedNode) and s.value.startswith(space) and fresh:
                typed.add(s)
        for target in EXTERNAL:
            if isinstance(o, ox.NamedNode) and o.value.startswith(target):
                key = (target, predicate)
                figures.links[key] = figures.links.get(key, 0) + 1
    figures.entities += len(typed)
    figures.properties = len(figures.predicates)
    for quad in quads:
        graph = URIRef(str(getattr(quad.graph_name, "value", "")))
        figures.graphs[graph] = figures.graphs.get(graph, 0) + 1
    figures.classes = dict(sorted(figures.classes.items()))
    figures.predicates = dict(sorted(figures.predicates.items()))
    figures.graphs = dict(sorted(figures.graphs.items()))
    articles = {
        URIRef(s.value) for s, p, o in new if p == RDF_TYPE and o.value.endswith("#Article")
    }
    figures.sources = sorted(set(figures.sources) | articles)


def _touched(new: list[Triple], space: str) -> list[str]:
    """Things of ours that the new triples say something about."""
    found = {s.value for s, _, _ in new if isinstance(s, ox.NamedNode)}
    return sorted(iri for iri in found if iri.startswith(space) and "#" not in iri)


def _listing(
    before: dict[str, Any], source: OxigraphStore, previous: ox.Store, new: list[Triple], space: str
) -> dict[str, Any]:
    """The previous listing with the things the new triples type or label asked again; a
    thing the previous generation had no type for adds one to its kind."""
    touched = _touched(new, space)
    if not touched:
        return before
    kinds = dict(before["kinds"])
    things = {kind: dict(pairs) for kind, pairs in before["things"].items()}
    for kind, found in explorer.listing_of(source, touched, space).items():
        for iri in found:
            if next(previous.quads_for_pattern(ox.NamedNode(iri), RDF_TYPE, None), None) is None:
                kinds[kind] = kinds.get(kind, 0) + 1
        things.setdefault(kind, {}).update(found)
    return {
        "kinds": dict(sorted(kinds.items())),
        "things": {
            kind: explorer.first_by_label(found, derive.LISTED)
            for kind, found in sorted(things.items())
        },
    }


def _merge_labels(
    before: Path, after: Path, source: OxigraphStore, new: list[Triple], space: str
) -> None:
    """The previous label index with the labels of the things the new triples touch."""
    touched = _touched(new, space)
    fresh = dict(labels.rows(source, space, of=touched)) if touched else {}
    previous = labels.Labels(before)
    labels.write(labels.merged(previous.first(previous.count), fresh, touched), after)
