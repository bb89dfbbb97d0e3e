"""A job for a query worker: what to run and how to write its answer.

Sent over the pipe from the web process (``rcsgraph.sparql.executor``) to a worker
(``rcsgraph.sparql.worker``); both import it, neither imports the other at module level.
"""

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Job:
    """One request for a worker: what to run and how to write the answer."""

    kind: str  # "query" or "update"
    text: str
    media_type: str = ""
    cap: int = 10_000
    limit: int | None = None
    form: str | None = None  # SELECT, ASK, CONSTRUCT or DESCRIBE, as the request was scanned
    star: tuple[int, int] | None = None
    variables: tuple[str, ...] = ()
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base_iri: str | None = None
    union_default: bool = True  # no dataset given: the default graph is the union of all graphs
    bindings: dict[str, Any] = field(default_factory=dict)  # variable -> rdflib term, pre-bound
    columns: tuple[str, ...] | None = None  # the variables to return (None: all of them)
    extra: dict[str, Any] = field(default_factory=dict)
