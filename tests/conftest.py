"""Shared fixtures: the bundled graph is parsed once per session; derived publication
artefacts go to a cache folder of the session's own (``XDG_CACHE_HOME``), never the user's."""

import os
import tempfile
from pathlib import Path

import pytest
from rdflib import Graph

from rcsgraph import resources
from rcsgraph.graph.loading import knowledge_graph, load_graph

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="rcsgraph-test-cache-")


def shared_or_skip(*parts: str) -> Path:
    """A path under ``../shared``, or skip: that folder exists beside checkouts and CI only."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} is absent (../shared exists beside project checkouts and CI only)")
    return path


@pytest.fixture(scope="session")
def graph() -> Graph:
    """Ontology + bundled data. Tests must not modify it."""
    return knowledge_graph()


@pytest.fixture(scope="session")
def ontology() -> Graph:
    return load_graph([resources.ontology_file()])


@pytest.fixture(scope="session")
def article_text() -> str:
    return (resources.root() / "data" / "article.txt").read_text(encoding="utf-8")
