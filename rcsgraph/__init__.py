"""rcsgraph: a linked-data knowledge graph of a news article, with evidence for every fact."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rcsgraph")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"
