"""Build step: copy the npm packages' files the pages use into ``static/vendor/``.

Run by ``make`` after ``npm ci`` (``python -m rcsgraph.web.assets``). The files come from the
npm registry through ``package-lock.json``; none is kept in the repository. Pages link to them
under ``/static/vendor/`` and work without them (a plain textarea, a list instead of a map).
"""

import shutil
import sys
from pathlib import Path

STATIC = Path(__file__).parent / "static"
#: (file under node_modules/, destination under static/vendor/).
FILES = [
    ("world-atlas/countries-110m.json", "world-atlas/countries-110m.json"),
    # the SPARQL editor: CodeMirror 5 and its SPARQL mode (plain scripts, no bundler needed)
    ("codemirror/lib/codemirror.js", "codemirror/lib/codemirror.js"),
    ("codemirror/lib/codemirror.css", "codemirror/lib/codemirror.css"),
    ("codemirror/mode/sparql/sparql.js", "codemirror/mode/sparql/sparql.js"),
    ("codemirror/LICENSE", "codemirror/LICENSE"),
]


def build(node_modules: Path) -> list[Path]:
    """Copy ``FILES`` from ``node_modules``; the paths written."""
    written = []
    for source, target in FILES:
        destination = STATIC / "vendor" / target
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(node_modules / source, destination)
        written.append(destination)
    return written


def main(argv: list[str]) -> int:
    node_modules = Path(argv[0]) if argv else Path("node_modules")
    if not node_modules.is_dir():
        print(f"assets: {node_modules} is absent: run npm ci first", file=sys.stderr)
        return 1
    for path in build(node_modules):
        print(f"assets: wrote {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
