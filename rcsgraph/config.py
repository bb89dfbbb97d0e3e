"""Settings: defaults, then ``RCSGRAPH_*`` environment variables, then explicit overrides."""

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any

from rcsgraph.errors import InputError


@dataclass(frozen=True)
class Settings:
    """Everything the service can be told. Each field is also ``RCSGRAPH_{NAME}``."""

    base_iri: str = "https://w3id.org/rcsgraph/"  # canonical base of the published IRIs
    store: Path | None = None  # an on-disk store folder; None serves the bundled graph
    endpoint: str | None = None  # a remote SPARQL endpoint to serve instead of a local store
    timeout: float = 30.0  # seconds a query may run before it is stopped (503)
    workers: int = 2  # query worker processes of each HTTP server process
    processes: int = 2  # HTTP server processes sharing the port
    # Threads per HTTP server process: two may wait on this process's two query workers while
    # two serve the rest. Pages are Python and share one interpreter lock: with 8 threads
    # the society's page at 32 connections had p99 167-211 ms, with 4 62-90 ms (2: 42-52).
    threads: int = 4
    cache_bytes: int = 64 * 2**20  # answers kept per process, in bytes (an immutable store)
    copy_bytes: int = 16 * 2**20  # a read-only store up to this size on disk is read in memory
    row_cap: int = 10_000  # most rows or triples in one answer (announced when reached)
    body_cap: int = 1_000_000  # largest request body, in bytes (413 beyond)
    max_query_length: int = 100_000  # characters (400 beyond)
    max_nesting: int = 64  # braces and parentheses (400 beyond)
    update_token: str | None = None  # enables SPARQL Update with `Authorization: Bearer …`
    service_allow: tuple[str, ...] = ()  # SERVICE IRIs that may be called
    queue_wait: float = 10.0  # seconds a request waits for a free worker (503 beyond)
    graphs: Mapping[str, str] = field(default_factory=dict)  # extra files by graph IRI (tests)
    cache: Path | None = None  # where derived artefacts go when a store has none (see README)
    page_rows: int = 200  # most rows a catalogue page's table shows (the downloads have all)


def load_settings(overrides: Mapping[str, Any] | None = None) -> Settings:
    """Settings from defaults, the environment and ``overrides``, each over the one before."""
    values: dict[str, Any] = {}
    for spec in fields(Settings):
        raw = os.environ.get(f"RCSGRAPH_{spec.name.upper()}")
        if raw is not None and spec.name != "graphs":
            values[spec.name] = _convert(spec.name, raw)
    values.update({k: v for k, v in (overrides or {}).items() if v is not None})
    unknown = set(values) - {f.name for f in fields(Settings)}
    if unknown:
        raise InputError(f"unknown settings: {', '.join(sorted(unknown))}")
    for name in ("store", "cache"):  # a folder given as text, as the environment gives it
        if isinstance(values.get(name), str):
            values[name] = Path(values[name])
    return Settings(**values)


def _convert(name: str, raw: str) -> Any:
    kind = {f.name: f.type for f in fields(Settings)}[name]
    try:
        if kind in ("float", float):
            return float(raw)
        if kind in ("int", int):
            return int(raw)
    except ValueError:
        raise InputError(f"RCSGRAPH_{name.upper()}={raw!r} is not a number") from None
    if name in ("store", "cache"):
        return Path(raw)
    if name == "service_allow":
        return tuple(item for item in raw.split() if item)
    return raw
