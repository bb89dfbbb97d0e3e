"""Where the authored files live, in a source checkout and in an installed wheel.

A wheel carries ``ontology/``, ``data/`` and ``shapes/`` under ``rcsgraph/_resources``; a source
checkout (or an editable install) has them at the top level of the repository. This is the only
module that knows either layout.
"""

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
_PACKAGED = _PACKAGE / "_resources"
_CHECKOUT = _PACKAGE.parent


def root() -> Path:
    """The folder holding ``ontology/``, ``data/`` and ``shapes/``."""
    if (_PACKAGED / "ontology").is_dir():
        return _PACKAGED
    return _CHECKOUT


def ontology_file() -> Path:
    """The OWL ontology, ``ontology/rcs.ttl``."""
    return root() / "ontology" / "rcs.ttl"


#: The suffix of a facts file: the source ``rcsgraph annotate`` writes a data file from, not data.
FACTS_SUFFIX = ".facts.ttl"


def data_files() -> list[Path]:
    """The bundled data: every Turtle file of ``data/`` but the facts files, in name order."""
    files = (root() / "data").glob("*.ttl")
    return sorted(p for p in files if not p.name.endswith(FACTS_SUFFIX))


def shapes_files() -> list[Path]:
    """The SHACL shapes: every Turtle file of ``shapes/``, in name order."""
    return sorted((root() / "shapes").glob("*.ttl"))


def context_file() -> Path:
    """The JSON-LD context shipped with the package (never fetched from elsewhere)."""
    return _PACKAGE / "context.jsonld"
