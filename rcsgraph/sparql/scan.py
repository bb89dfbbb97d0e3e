"""A lexical look at a SPARQL request, before any engine sees it.

The endpoint must refuse ``SERVICE``, ``LOAD`` and ``FROM``/``FROM NAMED``/``USING`` on graphs it
does not hold *before* evaluation (engines would fetch them), and needs a few facts about the
request: its form, its top-level ``LIMIT``, where ``SELECT *`` stands and the order in which
variables first appear. A tokenizer that knows strings, IRIs, prefixed names (with their
``\\``-escapes), language tags and comments is enough for all of that; the engine still parses
the request and reports its syntax errors.

The tokens follow the terminals of the SPARQL 1.1 grammar (``rcsgraph.sparql.terminals``), so
that a keyword the engine would see is never hidden from the scan inside what the scan takes for
a string, an IRI, a prefixed name or a comment (``ex:a\\#b`` is one name, not a name and a
comment).

``with_using`` writes the protocol's ``using-graph-uri``/``using-named-graph-uri`` into an
update as ``USING`` clauses: Oxigraph's update API takes no dataset, so this is the one place
where request values become SPARQL text, and only after ``checked_iri`` has made sure each is
an absolute IRI with no character that could end the ``<…>`` it is written in.
"""

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import urljoin

from rcsgraph.sparql.terminals import token_pattern

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
_OPENERS, _CLOSERS = {"{", "(", "["}, {"}", ")", "]"}


class Token(NamedTuple):
    """One significant token (a tuple: built by the dozen for every request scanned, and a
    frozen dataclass took as long to build as the regular expression took to find it)."""

    kind: str
    text: str
    start: int
    depth: int  # braces open before this token


@dataclass
class Scan:
    """What the tokenizer learnt about a request."""

    form: str | None = None  # SELECT, ASK, CONSTRUCT, DESCRIBE, or UPDATE
    services: list[str] = field(default_factory=list)  # IRIs, or "?" for a variable
    loads: list[str] = field(default_factory=list)
    from_graphs: list[str] = field(default_factory=list)  # FROM and USING
    from_named: list[str] = field(default_factory=list)  # FROM NAMED and USING NAMED
    update_dataset: bool = False  # the text has USING, USING NAMED or WITH
    star: tuple[int, int] | None = None  # span of the top-level SELECT *
    limit: int | None = None  # top-level LIMIT
    variables: list[str] = field(default_factory=list)  # in order of first appearance
    max_depth: int = 0  # deepest nesting of braces, brackets, parentheses and << >>
    lookup: bool = False  # a SELECT of one triple pattern, as ``is_lookup`` says


def tokens(text: str) -> list[Token]:
    """The significant tokens of ``text`` (no spaces or comments), with their brace depth."""
    found, depth = [], 0
    for match in token_pattern(text).finditer(text):
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


def scan(text: str, base: str = "") -> Scan:
    """Scan a query or update (see the module docstring); ``base`` resolves relative IRIs as
    the engine will (the endpoint passes its own URL to both)."""
    found = tokens(text)
    result = Scan(max_depth=_max_nesting(found))
    prefixes: dict[str, str] = {}
    for i, token in enumerate(found):
        word = token.text.upper() if token.kind == "word" else ""
        following = found[i + 1 : i + 4]
        if token.kind == "var" and token.text[1:] not in result.variables:
            result.variables.append(token.text[1:])
        elif word == "PREFIX" and len(following) >= 2 and following[1].kind == "iri":
            prefixes[following[0].text.rstrip(":")] = _join(base, following[1].text[1:-1])
        elif word == "BASE" and following and following[0].kind == "iri":
            base = _join(base, following[0].text[1:-1])
        elif word:
            _note_keyword(result, word, token, following, prefixes, base)
    result.lookup = is_lookup(found)
    return result


_TERMS = {"iri", "pname", "var"}


def is_lookup(found: list[Token]) -> bool:
    """Whether the tokens are a lookup: ``SELECT`` of variables or ``*``, a group of one triple
    pattern whose variables are all different, and at most a ``LIMIT`` (after ``PREFIX`` and
    ``BASE`` declarations). Each row of the index range such a pattern reads is an answer, so a
    limit on the answer's rows (the row cap) bounds its evaluation: it needs no process that can
    be stopped. Anything else (a filter, a path, a modifier, a dataset) is not a lookup."""
    rest = list(found)
    while rest and rest[0].text.upper() in ("PREFIX", "BASE"):
        rest = rest[3:] if rest[0].text.upper() == "PREFIX" else rest[2:]
    texts = [t.text.upper() for t in rest]
    if not texts or texts[0] != "SELECT":
        return False
    at = 1
    while at < len(rest) and (rest[at].kind == "var" or texts[at] == "*"):
        at += 1
    at += at < len(rest) and texts[at] == "WHERE"
    if at == 1 or texts[at : at + 1] != ["{"] or len(rest) < at + 5:
        return False
    (s, p, o), tail = rest[at + 1 : at + 4], rest[at + 4 :]
    if s.kind not in _TERMS or not (p.kind in _TERMS or p.text == "a"):
        return False
    if o.kind == "string":  # a literal, perhaps with its language or its datatype
        if tail[0].kind == "langtag":
            tail = tail[1:]
        elif [t.text for t in tail[:2]] == ["^", "^"] and tail[2:3] and tail[2].kind != "var":
            tail = tail[3:] if tail[2].kind in _TERMS else tail
    elif o.kind not in _TERMS and o.kind != "number":
        return False
    names = [t.text[1:] for t in (s, p, o) if t.kind == "var"]  # ?x and $x are one variable
    if len(set(names)) < len(names):
        return False  # ?x ?p ?x: rows of the range may not match, and be read all the same
    ending = [t.text.upper() for t in tail]
    if ending[:1] == ["."]:
        ending = ending[1:]
    return ending == ["}"] or (
        len(ending) == 3 and ending[:2] == ["}", "LIMIT"] and tail[-1].kind == "number"
    )


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
        result.update_dataset = result.update_dataset or word == "USING"
    elif word == "WITH":
        result.update_dataset = True
    elif word == "SELECT" and token.depth == 0 and result.star is None:
        rest = [t for t in following if t.text.upper() not in ("DISTINCT", "REDUCED")]
        if rest and rest[0].text == "*":
            result.star = (rest[0].start, rest[0].start + 1)
    elif word == "LIMIT" and token.depth == 0 and following and following[0].kind == "number":
        result.limit = _integer(following[0].text)


def _join(base: str, iri: str) -> str:
    """``iri`` resolved against ``base``; as written when Python cannot parse it (``http://[``):
    such an IRI is on no allow-list and names no graph, so it is refused, or the engine says
    why it is not an IRI."""
    try:
        return urljoin(base, iri)
    except ValueError:
        return iri


def _integer(text: str) -> int | None:
    """A ``LIMIT``'s value; None for what the grammar does not allow there (``1e999``, ``1.5``:
    the engine reports the syntax error) or for a number too large to limit anything."""
    return int(text) if text.isdigit() and len(text) <= 18 else None


def _resolve(token: Token, prefixes: dict[str, str], base: str) -> str | None:
    if token.kind == "iri":
        return _join(base, token.text[1:-1])
    if token.kind == "pname":
        prefix, _, local = token.text.partition(":")
        local = re.sub(r"\\(.)", r"\1", local)  # ex:a\#b names <…a#b>
        return prefixes[prefix] + local if prefix in prefixes else token.text
    if token.kind == "var":
        return "?"
    return None


def _max_nesting(found: list[Token]) -> int:
    """How deep brackets of any kind nest (``<<`` and ``>>`` of triple terms too): the engine's
    parser recurses once per level."""
    deepest = level = 0
    previous = Token("", "", -2, 0)
    for token in found:
        doubled = previous.start + 1 == token.start and previous.text == token.text
        if token.kind == "other" and (token.text in _OPENERS or (token.text == "<" and doubled)):
            level += 1
            deepest = max(deepest, level)
        elif token.kind == "other" and (token.text in _CLOSERS or (token.text == ">" and doubled)):
            level -= 1
        previous = token
    return deepest


def expand_star(text: str, found: Scan, variables: list[str]) -> str:
    """``text`` with its top-level ``SELECT *`` replaced by ``variables`` in order of first
    appearance (engines list them in an order of their own)."""
    if found.star is None:
        return text
    start, end = found.star
    ordered = star_order(found.variables, variables)
    return text[:start] + " ".join("?" + v for v in ordered) + text[end:]


def star_order(appearance: Sequence[str], variables: Iterable[str]) -> list[str]:
    """``variables`` (what an engine returns for ``SELECT *``) in the order of ``appearance``
    (``Scan.variables``: the order in which they first appear in the query)."""
    position = {name: i for i, name in enumerate(appearance)}
    return sorted(variables, key=lambda v: position.get(v, len(position)))


def with_using(text: str, default: tuple[str, ...], named: tuple[str, ...]) -> str:
    """An update with the protocol's dataset written into each operation that has a ``WHERE``.

    ``USING <g>``/``USING NAMED <g>`` clauses go before the ``WHERE`` of each ``DELETE``/
    ``INSERT … WHERE``; the short form ``DELETE WHERE { P }`` (which takes no ``USING``) becomes
    the equivalent ``DELETE { P } USING … WHERE { P }``. The caller has refused updates that
    name a dataset themselves (``Scan.update_dataset``), as the protocol requires.
    """
    from rcsgraph.store.binding import checked_iri  # rdflib: not on the way to a first answer

    clauses = " ".join(
        [f"USING <{checked_iri(g)}>" for g in default]
        + [f"USING NAMED <{checked_iri(g)}>" for g in named]
    )
    found = tokens(text)
    pieces, done = [], 0
    for i, token in enumerate(found):
        if token.kind != "word" or token.depth != 0 or token.text.upper() != "WHERE" or i == 0:
            continue
        before = found[i - 1]
        if before.kind == "word" and before.text.upper() == "DELETE":
            pattern = _group_text(text, found, i + 1)
            if pattern is None:  # not an update the engine will accept; let it say why
                continue
            pieces.append(text[done : before.start])
            pieces.append(f"DELETE {pattern} {clauses} WHERE")
        else:
            pieces.append(text[done : token.start])
            pieces.append(f"{clauses} WHERE")
        done = token.start + len(token.text)
    return "".join(pieces) + text[done:]


def _group_text(text: str, found: list[Token], first: int) -> str | None:
    """The text of the ``{ … }`` group that starts at token ``first`` (at depth 0)."""
    if first >= len(found) or found[first].text != "{" or found[first].kind != "other":
        return None
    for token in found[first + 1 :]:
        if token.depth == 0 and token.text == "}" and token.kind == "other":
            return text[found[first].start : token.start + 1]
    return None
