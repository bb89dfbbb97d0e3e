"""The catalogue of canned queries: one ``.rq`` file each, with a ``#+`` YAML header.

Headers are parsed once into typed records; a malformed header raises ``HeaderError`` naming the
file and line. Parameters reach the engine only as bound terms after type checking; they are
never written into the query text. (Oxigraph binds only variables of a SELECT's projection, so a
parameterised SELECT projects its parameters first; the catalogue hides those columns.)

May import: ``rcsgraph.sparql`` (to scan a query), ``rcsgraph.store`` and the cross-cutting
modules. Never ``publish`` or ``web``.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import yaml
from rdflib import Literal, URIRef
from rdflib.namespace import XSD

from rcsgraph.errors import InputError, RcsGraphError
from rcsgraph.sparql.scan import scan, tokens
from rcsgraph.store.base import Results, Store, Term

FOLDER = Path(__file__).resolve().parent
PARAM_TYPES = ("iri", "string", "integer", "year", "date")
VIEWS = ("table", "map", "timeline", "graph")
_IRI = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:[^\s<>\"{}|\\^`]+$")


class HeaderError(RcsGraphError):
    """A canned query whose header is malformed (a bug in the catalogue, not user input)."""


class ParameterError(InputError):
    """A missing, unknown or ill-typed parameter."""


@dataclass(frozen=True)
class Param:
    name: str
    type: str
    description: str
    default: str | None = None
    example: str | None = None
    enum: tuple[str, ...] | None = None


@dataclass(frozen=True)
class CannedQuery:
    name: str
    summary: str
    description: str
    view: str
    params: tuple[Param, ...]
    text: str
    form: str  # SELECT or CONSTRUCT (or ASK, DESCRIBE)
    columns: tuple[str, ...]  # result variables a user sees (parameters left out)

    def param(self, name: str) -> Param:
        found = next((p for p in self.params if p.name == name), None)
        if found is None:
            known = ", ".join(p.name for p in self.params) or "none"
            raise ParameterError(f"{self.name} has no parameter {name!r} (parameters: {known})")
        return found


def load_catalogue(folder: Path = FOLDER) -> dict[str, CannedQuery]:
    """Every ``*.rq`` of ``folder`` by name, headers checked."""
    return {path.stem: parse_file(path) for path in sorted(folder.glob("*.rq"))}


def parse_file(path: Path) -> CannedQuery:
    """One canned query from its file."""
    text = path.read_text(encoding="utf-8")
    header_lines = [
        line[3:] if line.startswith("#+ ") else line[2:]
        for line in text.splitlines()
        if line.startswith("#+")
    ]
    try:
        header = yaml.safe_load("\n".join(header_lines)) or {}
    except yaml.YAMLError as exc:
        line = getattr(getattr(exc, "problem_mark", None), "line", 0) + 1
        raise HeaderError(f"{path}:{line}: malformed #+ header: {exc}") from None
    return _record(path, header, text)


def _record(path: Path, header: Any, text: str) -> CannedQuery:
    def fail(message: str) -> HeaderError:
        return HeaderError(f"{path}: {message}")

    if not isinstance(header, dict) or not isinstance(header.get("summary"), str):
        raise fail("the #+ header needs a `summary`")
    unknown = set(header) - {"summary", "description", "params", "view"}
    if unknown:
        raise fail(f"unknown header keys: {', '.join(sorted(unknown))}")
    view = header.get("view", "table")
    if view not in VIEWS:
        raise fail(f"view must be one of {', '.join(VIEWS)}")
    params = tuple(_param(name, spec, fail) for name, spec in (header.get("params") or {}).items())
    found = scan(text)
    if found.form not in ("SELECT", "CONSTRUCT", "ASK", "DESCRIBE"):
        raise fail("not a SPARQL query")
    columns = _projection(text) if found.form == "SELECT" else ()
    for param in params:
        if found.form == "SELECT" and param.name not in columns:
            raise fail(f"parameter ?{param.name} must be in the SELECT clause to be bound")
        if param.name not in found.variables:
            raise fail(f"parameter ?{param.name} is not used by the query")
    visible = tuple(c for c in columns if c not in {p.name for p in params})
    summary = header["summary"].strip()
    description = (header.get("description") or summary).strip()
    return CannedQuery(path.stem, summary, description, view, params, text, found.form, visible)


def _param(name: str, spec: Any, fail: Any) -> Param:
    if not isinstance(spec, dict) or spec.get("type") not in PARAM_TYPES:
        raise fail(f"parameter {name}: `type` must be one of {', '.join(PARAM_TYPES)}")
    if not isinstance(spec.get("description"), str):
        raise fail(f"parameter {name}: needs a `description`")
    enum = spec.get("enum")
    param = Param(
        name,
        spec["type"],
        spec["description"],
        None if spec.get("default") is None else str(spec["default"]),
        None if spec.get("example") is None else str(spec["example"]),
        tuple(str(v) for v in enum) if enum else None,
    )
    for value in (param.default, param.example):
        if value is not None:
            try:
                to_term(param, value)
            except ParameterError as exc:
                raise fail(f"parameter {name}: {exc}") from None
    return param


def _projection(text: str) -> tuple[str, ...]:
    """The variables a SELECT returns, in order: ``?x`` and ``(expression AS ?x)``."""
    names: list[str] = []
    level, inside, after_as = 0, False, False
    for token in tokens(text):
        word = token.text.upper()
        if not inside:
            inside = word == "SELECT" and token.kind == "word"
            continue
        if word in ("WHERE", "{", "FROM"):
            break
        if token.text == "(":
            level += 1
        elif token.text == ")":
            level -= 1
        elif word == "AS" and level == 1:
            after_as = True
        elif token.kind == "var" and (level == 0 or after_as):
            names.append(token.text[1:])
            after_as = False
    return tuple(names)


def to_term(param: Param, raw: str) -> Term:
    """The typed RDF term for a parameter value, or ``ParameterError`` naming the parameter."""
    value = raw.strip()
    if param.enum is not None and value not in param.enum:
        raise ParameterError(f"{param.name} must be one of {', '.join(param.enum)}, not {value!r}")
    if param.type == "iri":
        if not _IRI.match(value):
            raise ParameterError(f"{param.name} must be an absolute IRI, not {value!r}")
        return URIRef(value)
    if param.type == "integer":
        if not re.fullmatch(r"[+-]?[0-9]+", value):
            raise ParameterError(f"{param.name} must be an integer, not {value!r}")
        return Literal(int(value))
    if param.type == "year":
        if not re.fullmatch(r"-?[0-9]{4,}", value):
            raise ParameterError(f"{param.name} must be a year such as 2005, not {value!r}")
        return Literal(value, datatype=XSD.gYear)
    if param.type == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            raise ParameterError(f"{param.name} must be a date YYYY-MM-DD, not {value!r}") from None
        return Literal(value, datatype=XSD.date)
    return Literal(raw)


def bind(query: CannedQuery, raw: Mapping[str, str]) -> dict[str, Term]:
    """Check ``raw`` against the query's parameters; fill defaults; return bound terms."""
    for name in raw:
        query.param(name)  # an unknown parameter is an error, not ignored
    bound = {}
    for param in query.params:
        value = raw.get(param.name, param.default)
        if value is None:
            raise ParameterError(
                f"{query.name} needs the parameter {param.name} ({param.description})"
            )
        bound[param.name] = to_term(param, value)
    return bound


def run(store: Store, query: CannedQuery, raw: Mapping[str, str]) -> Results:
    """Run a canned query with its parameters; the answer shows only ``query.columns``."""
    answer = store.query(query.text, bind(query, raw))
    if answer.kind != "select":
        return answer
    keep = [answer.variables.index(c) for c in query.columns]
    rows = tuple(tuple(row[i] for i in keep) for row in answer.rows)
    return Results("select", variables=query.columns, rows=rows)
