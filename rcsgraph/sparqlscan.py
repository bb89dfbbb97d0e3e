"""A lexical look at a SPARQL request, before any engine sees it.

The endpoint must refuse ``SERVICE``, ``LOAD`` and ``FROM``/``FROM NAMED``/``USING`` on graphs it
does not hold *before* evaluation (engines would fetch them), and needs a few facts about the
request: its form, its top-level ``LIMIT``, where ``SELECT *`` stands and the order in which
variables first appear. A tokenizer that knows strings, IRIs and comments is enough for all of
that; the engine still parses the request and reports its syntax errors.
"""

import re
from dataclasses import dataclass, field
from urllib.parse import urljoin

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<comment>\#[^\n]*)
  | (?P<string>'''(?:[^'\\]|\\.|'(?!''))*'''|\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"
              |'(?:[^'\\\n]|\\.)*'|"(?:[^"\\\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][A-Za-z0-9_\u00b7\u00c0-\U000effff]+)
  | (?P<pname>(?:[A-Za-z\u00c0-\U000effff][\w\-.\u00b7\u00c0-\U000effff]*)?:[^\s{}()<>,;"'\#]*)
  | (?P<word>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<number>[0-9]+(?:\.[0-9]*)?(?:[eE][+-]?[0-9]+)?)
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

QUERY_FORMS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
UPDATE_WORDS = {
    "INSERT",
    "DELETE",
    "LOAD",
    "CLEAR",
    "CREATE",
    "DROP",
    "COPY",
    "MOVE",
    "ADD",
    "WITH",
}


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    start: int
    depth: int  # braces open before this token


@dataclass
class Scan:
    """What the tokenizer learnt about a request."""

    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    services: list[str] = field(default_factory=list)  # IRIs, or "?var" for a variable
    loads: list[str] = field(default_factory=list)
    from_graphs: list[str] = field(default_factory=list)  # FROM and USING
    from_named: list[str] = field(default_factory=list)  # FROM NAMED and USING NAMED
    star: tuple[int, int] | None = None  # span of the top-level SELECT *
    limit: int | None = None  # top-level LIMIT
    variables: list[str] = field(default_factory=list)  # in order of first appearance
    max_depth: int = 0  # deepest nesting of braces and parentheses


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (no spaces or comments), with their brace depth."""
    found, depth = [], 0
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind in ("space", "comment"):
            continue
        value = match.group()
        if value == "}":
            depth -= 1
        found.append(Token(kind, value, match.start(), depth))
        if value == "{":
            depth += 1
    return found


def scan(text: str) -> Scan:
    """Scan a query or update (see the module docstring)."""
    found = tokens(text)
    result = Scan(max_depth=_max_nesting(found))
    prefixes: dict[str, str] = {}
    base = ""
    for i, token in enumerate(found):
        word = token.text.upper() if token.kind == "word" else ""
        following = found[i + 1 : i + 4]
        if token.kind == "var" and token.text[1:] not in result.variables:
            result.variables.append(token.text[1:])
        elif word == "PREFIX" and len(following) >= 2 and following[1].kind == "iri":
            prefixes[following[0].text.rstrip(":")] = urljoin(base, following[1].text[1:-1])
        elif word == "BASE" and following and following[0].kind == "iri":
            base = urljoin(base, following[0].text[1:-1])
        elif word:
            _note_keyword(result, word, token, following, prefixes, base)
    return result


def _note_keyword(
    result: Scan,
    word: str,
    token: Token,
    following: list[Token],
    prefixes: dict[str, str],
    base: str,
) -> None:
    def target(skip: set[str]) -> str | None:
        rest = [t for t in following if t.text.upper() not in skip]
        return _resolve(rest[0], prefixes, base) if rest else None

    if result.form is None and (word in QUERY_FORMS or word in UPDATE_WORDS):
        result.form = word if word in QUERY_FORMS else "UPDATE"
    if word == "SERVICE":
        result.services.append(target({"SILENT"}) or "?")
    elif word == "LOAD":
        result.loads.append(target({"SILENT"}) or "?")
    elif word in ("FROM", "USING"):
        named = bool(following) and following[0].text.upper() == "NAMED"
        graph = target({"NAMED"}) or "?"
        (result.from_named if named else result.from_graphs).append(graph)
    elif word == "SELECT" and token.depth == 0 and result.star is None:
        rest = [t for t in following if t.text.upper() not in ("DISTINCT", "REDUCED")]
        if rest and rest[0].text == "*":
            result.star = (rest[0].start, rest[0].start + 1)
    elif word == "LIMIT" and token.depth == 0 and following and following[0].kind == "number":
        result.limit = int(float(following[0].text))


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str | None:
    if token.kind == "iri":
        return urljoin(base, token.text[1:-1])
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        return prefixes[prefix] + local if prefix in prefixes else token.text
    if token.kind == "var":
        return "?"
    return None


def _max_nesting(found: list[Token]) -> int:
    deepest = level = 0
    for token in found:
        if token.text in "{(" and token.kind == "other":
            level += 1
            deepest = max(deepest, level)
        elif token.text in "})" and token.kind == "other":
            level -= 1
    return deepest


def expand_star(text: str, found: Scan, variables: list[str]) -> str:
    """``text`` with its top-level ``SELECT *`` replaced by ``variables`` in order of first
    appearance (engines list them in an order of their own)."""
    if found.star is None:
        return text
    position = {name: i for i, name in enumerate(found.variables)}
    ordered = sorted(variables, key=lambda v: position.get(v, len(position)))
    start, end = found.star
    return text[:start] + " ".join("?" + v for v in ordered) + text[end:]
