"""Generate a movement-scale knowledge graph that conforms to the shapes, with its article texts.

    python bench/generate.py --triples 100000 --out var/bench/100k [--seed 1] [--format nt|ttl]

Writes into ``--out``:

- ``world.nt``: regions, countries (synthetic ISO codes), the movement, the IFRC, a role;
- ``articles.nt``: every article's entities, facts, claims and evidence;
- ``x-article-NNNNN.txt``: the text of each article (``rcs:sourceText``), beside the data;
- ``bundle/``: one more article (``.nt`` and ``.txt``), the kind of bundle ``rcsgraph add`` takes;
- ``manifest.json``: seed, sizes and file names.

Generation stops at the first article that reaches ``--triples`` (ontology not counted). The same
seed and size give byte-identical files. No network, no clock.
"""

import argparse
import json
import random
import shutil
import sys
from pathlib import Path
from typing import TextIO

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.articles import Article, compose
from bench.rdf import Triple, write_nt, write_ttl
from bench.world import MAX_COUNTRIES, World

WRITERS = {"nt": write_nt, "ttl": write_ttl}


def parse_size(text: str) -> int:
    """``10k``, ``100k``, ``1M`` or a plain number of triples."""
    factors = {"k": 1_000, "m": 1_000_000}
    text = text.strip().lower()
    if text and text[-1] in factors:
        return int(float(text[:-1]) * factors[text[-1]])
    return int(text)


def size_name(triples: int) -> str:
    """The short name of a size: ``10k``, ``1M``."""
    if triples % 1_000_000 == 0:
        return f"{triples // 1_000_000}M"
    return f"{triples // 1000}k" if triples % 1000 == 0 else str(triples)


def countries_for(triples: int) -> int:
    """About one country (and society) per 1,500 triples, between 8 and 676."""
    return max(8, min(MAX_COUNTRIES, triples // 1500))


def generate(triples: int, out: Path, seed: int = 1, fmt: str = "nt") -> dict[str, object]:
    """Write a graph of at least ``triples`` triples (plus a bundle) into ``out``; the manifest."""
    _clear(out)
    write = WRITERS[fmt]
    world = World(random.Random(seed), countries_for(triples))
    with (out / f"world.{fmt}").open("w", encoding="utf-8", newline="\n") as stream:
        count = write(world.triples(), stream)
    number = 0
    with (out / f"articles.{fmt}").open("w", encoding="utf-8", newline="\n") as stream:
        while count < triples:
            count += _write_article(compose(world, number), out, stream, fmt)
            number += 1
    bundle = compose(world, number)
    (out / "bundle").mkdir()
    with (out / "bundle" / f"{bundle.text_name[:-4]}.{fmt}").open(
        "w", encoding="utf-8", newline="\n"
    ) as stream:
        bundle_triples = _write_article(bundle, out / "bundle", stream, fmt)
    manifest: dict[str, object] = {
        "seed": seed,
        "target": triples,
        "triples": count,
        "articles": number,
        "countries": len(world.countries),
        "data": [f"world.{fmt}", f"articles.{fmt}"],
        "bundle": {"data": f"bundle/{bundle.text_name[:-4]}.{fmt}", "triples": bundle_triples},
        "probe": {"society": world.societies[0].iri},
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def _write_article(article: Article, folder: Path, stream: TextIO, fmt: str) -> int:
    (folder / article.text_name).write_bytes(article.text.encode("utf-8"))
    return WRITERS[fmt](_grouped(article.triples), stream)


def _grouped(triples: list[Triple]) -> list[Triple]:
    """The triples with each subject's together, subjects in order of first appearance."""
    by_subject: dict[str, list[Triple]] = {}
    for triple in triples:
        by_subject.setdefault(triple[0], []).append(triple)
    return [t for group in by_subject.values() for t in group]


def _clear(out: Path) -> None:
    """Create ``out``, removing what an earlier run wrote there (and nothing else)."""
    out.mkdir(parents=True, exist_ok=True)
    for pattern in ("world.*", "articles.*", "x-article-*.txt", "manifest.json"):
        for path in out.glob(pattern):
            path.unlink()
    shutil.rmtree(out / "bundle", ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", required=True, help="target size: 10k, 100k, 1M or a number")
    parser.add_argument("--out", required=True, type=Path, help="folder to write into")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--format", choices=sorted(WRITERS), default="nt")
    args = parser.parse_args(argv)
    manifest = generate(parse_size(args.triples), args.out, args.seed, args.format)
    print(f"{args.out}: {manifest['triples']} triples, {manifest['articles']} articles")
    return 0


if __name__ == "__main__":
    sys.exit(main())
