"""rcsgraph: a linked-data knowledge graph of a news article, with evidence for every fact.

The package is layered (docs/ARCHITECTURE.md): ``store``, then ``graph`` (building a validated
graph), ``sparql`` (the endpoint service), ``queries`` (the catalogue), ``publish`` (linked
data), and the edges ``web`` (HTTP) and ``cli`` (the command).
"""


def __getattr__(name: str) -> str:
    """``__version__``, read from the installed metadata when first asked for (importing
    ``importlib.metadata`` costs a server's cold start a tenth of a second)."""
    if name != "__version__":
        raise AttributeError(f"module 'rcsgraph' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("rcsgraph")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0"
    globals()["__version__"] = found
    return found
