"""Read an evidence sheet: one tab-separated row per claim, naming its fact in Turtle terms.

The sheet is how an author writes the evidence of an article bundle (one line per statement
with its reference, as in Wikidata's QuickStatements): each row names a fact of the facts file
(subject, property and value as Turtle terms with that file's prefixes) and the exact words of
the text that state it. Reading reports every problem at once, by line, so that an author can
fix a sheet in one pass.
"""

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.plugins.parsers.notation3 import BadSyntax
from rdflib.term import Node

from rcsgraph.errors import InputError

#: The sheet's header row, in this order.
HEADER = ("subject", "property", "value", "quote", "occurrence", "derivation", "speaker")

#: Escapes a quote may use: a line break, a tab, a backslash.
_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\"}

#: Relative IRIs resolve against this, so that they can be refused.
_BASE = "http://relative.invalid/"
_NOT_IN_IRIS = re.compile(r'[\x00-\x20<>"{}|\\^`]')
_SUBJECT, _PREDICATE = URIRef("urn:rcsgraph:sheet:s"), URIRef("urn:rcsgraph:sheet:p")


@dataclass(frozen=True)
class Row:
    """One row of the sheet: a fact, the quote that states it, and what the author adds."""

    line: int
    subject: URIRef
    predicate: URIRef
    value: Node
    quote: str
    occurrence: int | None
    derivation: str | None
    speaker: URIRef | None

    @property
    def fact(self) -> tuple[URIRef, URIRef, Node]:
        return self.subject, self.predicate, self.value


@dataclass(frozen=True)
class Sheet:
    """The rows that could be read, a problem (``SHEET:LINE: reason``) for each that could
    not, and the number of the line after the last (where a missing row would go)."""

    rows: list[Row]
    problems: list[str]
    end: int


def read_sheet(path: Path, prefixes: Iterable[tuple[str, URIRef]]) -> Sheet:
    """The rows of the sheet at ``path``, its terms read with ``prefixes``.

    Blank lines and lines starting with ``#`` are skipped (comments). Cells are not quoted
    (a Turtle literal keeps its double quotes).
    """
    try:
        lines = path.read_bytes().decode("utf-8").splitlines()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    prelude = "".join(f"@prefix {p}: <{ns}> .\n" for p, ns in sorted(prefixes))
    rows, problems = [], []
    header = lines[0].split("\t") if lines else []
    if tuple(header) != HEADER:
        problems.append(f"{path}:1: the header must be {' '.join(HEADER)!r} (tab-separated)")
    cells_of = csv.reader(lines[1:], delimiter="\t", quoting=csv.QUOTE_NONE, strict=True)
    for number, cells in enumerate(cells_of, start=2):
        if not cells or not "".join(cells).strip() or cells[0].startswith("#"):
            continue
        row, errors = _row(number, cells, prelude)
        problems += [f"{path}:{number}: {error}" for error in errors]
        if row is not None:
            rows.append(row)
    return Sheet(rows, problems, len(lines) + 1)


def _row(number: int, cells: list[str], prelude: str) -> tuple[Row | None, list[str]]:
    """The row of ``cells``, or None and what is wrong with them."""
    if not 4 <= len(cells) <= len(HEADER):
        return None, [f"expected 4 to {len(HEADER)} tab-separated cells, found {len(cells)}"]
    subject, predicate, value, quote, occurrence, derivation, speaker = (
        cells + [""] * len(HEADER)
    )[: len(HEADER)]
    errors: list[str] = []
    terms = {
        name: _term(text, prelude, name, errors)
        for name, text in (("subject", subject), ("property", predicate), ("value", value))
    }
    said_by = _term(speaker, prelude, "speaker", errors) if speaker.strip() else None
    for name, term in (*terms.items(), ("speaker", said_by)):
        if name != "value" and term is not None and not isinstance(term, URIRef):
            errors.append(f"malformed term: the {name} must be an IRI, not {term.n3()}")
        elif name == "value" and term is not None and not isinstance(term, URIRef | Literal):
            errors.append("malformed term: the value must be an IRI or a literal")
    text = _unescape(quote, errors)
    if not text:
        errors.append("the quote is empty")
    count = _occurrence(occurrence, errors)
    if errors:
        return None, errors
    s, p, o = terms["subject"], terms["property"], terms["value"]
    assert isinstance(s, URIRef) and isinstance(p, URIRef) and o is not None  # checked above
    assert said_by is None or isinstance(said_by, URIRef)
    note = derivation.strip() or None
    return Row(number, s, p, o, text, count, note, said_by), []


def _term(text: str, prelude: str, name: str, errors: list[str]) -> Node | None:
    """The RDF term a Turtle term stands for, parsed with the facts file's prefixes."""
    if not text.strip():
        errors.append(f"malformed term: the {name} is empty")
        return None
    document = f"{prelude}<{_SUBJECT}> <{_PREDICATE}> {text} ."
    graph = Graph(bind_namespaces="none")
    try:
        graph.parse(data=document, format="turtle", publicID=_BASE)
    except (BadSyntax, ValueError, AssertionError):  # rdflib's ways of saying "malformed"
        errors.append(f"malformed term: the {name} {text!r} is not a Turtle term")
        return None
    values = list(graph.objects(_SUBJECT, _PREDICATE))
    if len(graph) != 1 or len(values) != 1:
        errors.append(f"malformed term: the {name} {text!r} is not one Turtle term")
        return None
    value = values[0]
    if isinstance(value, URIRef) and (value.startswith(_BASE) or _NOT_IN_IRIS.search(value)):
        errors.append(f"malformed term: the {name} {text!r} is not an absolute IRI")
        return None
    return value


def _unescape(quote: str, errors: list[str]) -> str:
    """The quote with ``\\n``, ``\\t`` and ``\\\\`` turned into what they stand for."""

    def replace(match: re.Match[str]) -> str:
        escaped = match.group(1)
        if escaped not in _ESCAPES:
            errors.append(f"unknown escape \\{escaped} in the quote (use \\n, \\t or \\\\)")
            return match.group(0)
        return _ESCAPES[escaped]

    return re.sub(r"\\(.?)", replace, quote)


def _occurrence(text: str, errors: list[str]) -> int | None:
    if not text.strip():
        return None
    if not text.strip().isdigit() or int(text) < 1:
        errors.append(f"the occurrence must be a whole number from 1, not {text!r}")
        return None
    return int(text)


def escape(quote: str) -> str:
    """A quote as a sheet cell: the inverse of reading it."""
    return quote.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")
