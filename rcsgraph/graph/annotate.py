"""Author an article bundle: its facts file plus one claim per row of its evidence sheet.

Writing evidence by hand means counting code points for every quote; here the author writes
the facts (plain Turtle) and, per fact, the words of the text that state it (``evidence_sheet``),
and ``annotate`` finds each quote in the text and writes the claim with its Web Annotation
evidence (quote, prefix, suffix, start and end in code points), as ``data/article.ttl`` has it.
The output is the facts file byte for byte, then the claims in sheet order: the same input
gives the same bytes, and claim IRIs depend only on the fact (``claim_iri``).
"""

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import PROV, RDF, XSD, NamespaceManager
from rdflib.term import Node

from rcsgraph import resources
from rcsgraph.errors import InputError
from rcsgraph.graph.evidence_sheet import Row, read_sheet
from rcsgraph.graph.loading import load_graph, parse_into
from rcsgraph.graph.quote_strength import value_only
from rcsgraph.namespaces import ID_BASE, OA, RCS

#: Characters of text kept before and after a quote (oa:prefix, oa:suffix).
CONTEXT = 32

#: The line that opens the written claims.
CLAIMS_HEADING = (
    "# ============================================================ claims and evidence"
)


class AnnotationError(InputError):
    """Every problem of one ``annotate`` call, one per line (``FILE:LINE: reason``)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Bundle:
    """What ``annotate`` writes, and its warnings (``SHEET:LINE: reason``)."""

    data: bytes
    warnings: list[str]


@dataclass(frozen=True)
class Facts:
    """A facts file read: its text, its graph, its article and the article's text."""

    path: Path
    source: str
    graph: Graph
    article: URIRef
    text: str
    sha256: str


def annotate(facts_path: Path, sheet_path: Path) -> Bundle:
    """The bundle of ``facts_path`` with a claim per row of ``sheet_path``.

    Raises ``AnnotationError`` with every problem found, and writes nothing, when a quote is
    not in the text or is ambiguous, a row names a fact not in the facts file, an evidenced
    fact has no row, a term is malformed, or the text's recorded SHA-256 is another.
    """
    facts = read_facts(facts_path)
    sheet = read_sheet(sheet_path, facts.graph.namespaces())
    problems = [*_checksum_problems(facts), *sheet.problems]
    problems += _coverage_problems(facts, sheet.rows, sheet_path, sheet.end)
    spans: list[tuple[int, int]] = []
    for row in sheet.rows:
        found = locate(facts.text, row.quote, row.occurrence)
        if isinstance(found, str):
            problems.append(f"{sheet_path}:{row.line}: {found}")
        else:
            spans.append(found)
    if problems:
        raise AnnotationError(problems)
    warnings = [
        f"{sheet_path}:{row.line}: the quote {row.quote!r} only names the value: quote the "
        f"words that state {_term(row.predicate, facts.graph.namespace_manager)}"
        for row in sheet.rows
        if value_only(facts.graph, row.predicate, row.value, row.quote)
    ]
    return Bundle(_write(facts, sheet.rows, spans, sheet_path.name).encode("utf-8"), warnings)


def read_facts(path: Path) -> Facts:
    """The facts file at ``path`` with its article and the text beside it."""
    if path.suffix.lower() != ".ttl":
        raise InputError(f"{path}: a facts file is Turtle (.ttl)")
    graph = parse_into(Graph(bind_namespaces="none"), path)
    articles = sorted(a for a in graph.subjects(RCS.sourceText, None) if isinstance(a, URIRef))
    if len(articles) != 1:
        raise InputError(f"{path}: name exactly one article with its text (rcs:sourceText)")
    name = str(graph.value(articles[0], RCS.sourceText))
    if "/" in name or "\\" in name or name in (".", ".."):
        raise InputError(f"{path}: the source text {name!r} is a path: name a file beside it")
    try:
        data = (path.parent / name).read_bytes()
        text = data.decode("utf-8")
    except OSError as exc:
        raise InputError(f"{path.parent / name}: cannot read ({exc.strerror})") from None
    except UnicodeDecodeError as exc:
        raise InputError(f"{path.parent / name}: not UTF-8 text (byte {exc.start})") from None
    source = path.read_text(encoding="utf-8")
    digest = hashlib.sha256(data).hexdigest()
    return Facts(path, source, graph, articles[0], text, digest)


def evidenced_properties(graph: Graph) -> set[Node]:
    """The properties whose every use needs a claim: the ontology's (and ``graph``'s)
    ``rcs:EvidencedProperty`` terms, as the evidence shapes require."""
    ontology = load_graph([resources.ontology_file()])
    return {*ontology.subjects(RDF.type, RCS.EvidencedProperty)} | {
        *graph.subjects(RDF.type, RCS.EvidencedProperty)
    }


def _checksum_problems(facts: Facts) -> list[str]:
    stated = facts.graph.value(facts.article, RCS.sourceTextSha256)
    if stated is None or str(stated) == facts.sha256:
        return []
    name = facts.graph.value(facts.article, RCS.sourceText)
    return [
        f"{facts.path}: rcs:sourceTextSha256 is {stated}, but {name} has the SHA-256 "
        f"{facts.sha256}: is it the text the facts were written from?"
    ]


def _coverage_problems(facts: Facts, rows: list[Row], sheet: Path, end: int) -> list[str]:
    """A row's fact missing from the facts file; an evidenced fact without a row."""
    nm = facts.graph.namespace_manager
    problems = [
        f"{sheet}:{row.line}: the fact {_fact(row.fact, nm)} is not in {facts.path}"
        for row in rows
        if row.fact not in facts.graph
    ]
    evidenced = evidenced_properties(facts.graph)
    backed = {row.fact for row in rows}
    missing = sorted(
        _fact((s, p, o), nm)
        for s, p, o in facts.graph
        if p in evidenced and (s, p, o) not in backed
    )
    problems += [f"{sheet}:{end}: no row for the fact {fact} of {facts.path}" for fact in missing]
    return problems


def _fact(fact: tuple[Node, Node, Node], nm: NamespaceManager) -> str:
    return " ".join(_term(term, nm) for term in fact)


def locate(text: str, quote: str, occurrence: int | None = None) -> tuple[int, int] | str:
    """The (start, end) of ``quote`` in ``text`` (its ``occurrence``-th, counting from 1),
    or why it cannot be placed."""
    starts = [m.start() for m in re.finditer(f"(?={re.escape(quote)})", text)]
    count = len(starts)
    if not starts:
        near = closest(text, quote)
        return f"the quote {quote!r} is not in the text; the closest passage is {near!r}"
    if occurrence is None and count > 1:
        return (
            f"the quote {quote!r} is found {count} times in the text: "
            f"give its occurrence (1 to {count})"
        )
    if occurrence is not None and occurrence > count:
        return (
            f"occurrence {occurrence} of the quote {quote!r} asked, but it is found {count} time(s)"
        )
    start = starts[(occurrence or 1) - 1]
    return start, start + len(quote)


def closest(text: str, quote: str) -> str:
    """The passage of ``text``, as long as ``quote`` and starting at a word, most like it."""
    starts = [0, *(m.end() for m in re.finditer(r"\s+", text))]
    best, score = "", -1.0
    for start in starts:
        window = text[start : start + len(quote)]
        matcher = SequenceMatcher(None, quote.casefold(), window.casefold(), autojunk=False)
        if matcher.quick_ratio() > score and matcher.ratio() > score:
            best, score = window, matcher.ratio()
    return best


def claim_iris(rows: Sequence[Row]) -> list[URIRef]:
    """``claim/{subject}.{property}.{value}`` per row, as ``data/article.ttl`` has always named
    them; a fact's second and later rows get ``.2``, ``.3``, … after it."""
    seen: dict[str, int] = {}
    iris = []
    for row in rows:
        base = claim_iri(row.subject, row.predicate, row.value)
        seen[base] = seen.get(base, 0) + 1
        iris.append(URIRef(base if seen[base] == 1 else f"{base}.{seen[base]}"))
    return iris


def claim_iri(subject: URIRef, predicate: URIRef, value: Node) -> str:
    """The IRI of the claim of one fact."""
    local = re.split(r"[#/]", str(predicate))[-1]
    value_slug = slug(str(value))[:40] if isinstance(value, Literal) else _id_slug(value)
    return f"{ID_BASE}claim/{_id_slug(subject)}.{local}.{value_slug}"


def slug(text: str) -> str:
    """Lower-case ASCII letters, digits and hyphens (accents dropped)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _id_slug(iri: Node) -> str:
    text = str(iri)
    return text[len(ID_BASE) :].replace("/", "-") if text.startswith(ID_BASE) else slug(text)


def _write(facts: Facts, rows: list[Row], spans: list[tuple[int, int]], sheet: str) -> str:
    """The facts file's text, then the claims of ``rows`` at ``spans``."""
    nm = facts.graph.namespace_manager
    out = [facts.source.rstrip("\n") + "\n", "\n", CLAIMS_HEADING + "\n"]
    out.append(f"# Written by `rcsgraph annotate` from {sheet}: edit the sheet, not this part.\n")
    if facts.graph.value(facts.article, RCS.sourceTextSha256) is None:
        sha = _literal(Literal(facts.sha256), nm)
        out.append(f"\n{_term(facts.article, nm)} {_term(RCS.sourceTextSha256, nm)} {sha} .\n")
    for claim, row, (start, end) in zip(claim_iris(rows), rows, spans, strict=True):
        out.append("\n" + _claim(claim, row, facts, nm))
        out.append("\n" + _evidence(claim, facts, start, end, nm))
    return "".join(out)


def _claim(claim: URIRef, row: Row, facts: Facts, nm: NamespaceManager) -> str:
    lines = [
        ("a", _term(RCS.Claim, nm)),
        (_term(RDF.subject, nm), _term(row.subject, nm)),
        (_term(RDF.predicate, nm), _term(row.predicate, nm)),
        (_term(RDF.object, nm), _term(row.value, nm)),
        (_term(PROV.wasDerivedFrom, nm), _term(facts.article, nm)),
    ]
    if row.speaker is not None:
        lines.append((_term(RCS.attributedTo, nm), _term(row.speaker, nm)))
    if row.derivation is not None:
        lines.append((_term(RCS.derivation, nm), _literal(Literal(row.derivation, lang="en"), nm)))
    lines.append((_term(RCS.evidence, nm), _term(URIRef(f"{claim}#evidence"), nm)))
    return _block(_term(claim, nm), lines)


def _evidence(claim: URIRef, facts: Facts, start: int, end: int, nm: NamespaceManager) -> str:
    text = facts.text
    resource, quote, position = (
        URIRef(f"{claim}#{part}") for part in ("evidence", "quote", "position")
    )
    selectors = f"{_term(quote, nm)} , {_term(position, nm)}"
    specific = [
        ("a", _term(OA.SpecificResource, nm)),
        (_term(OA.hasSource, nm), _term(facts.article, nm)),
        (_term(OA.hasSelector, nm), selectors),
    ]
    quoted = [
        ("a", _term(OA.TextQuoteSelector, nm)),
        (_term(OA.exact, nm), _literal(Literal(text[start:end]), nm)),
        (_term(OA.prefix, nm), _literal(Literal(text[max(0, start - CONTEXT) : start]), nm)),
        (_term(OA.suffix, nm), _literal(Literal(text[end : end + CONTEXT]), nm)),
    ]
    placed = [
        ("a", _term(OA.TextPositionSelector, nm)),
        (_term(OA.start, nm), str(start)),
        (_term(OA.end, nm), str(end)),
    ]
    blocks = [(resource, specific), (quote, quoted), (position, placed)]
    return "\n".join(_block(_term(node, nm), lines) for node, lines in blocks)


def _block(subject: str, lines: list[tuple[str, str]]) -> str:
    body = " ;\n".join(f"    {p} {o}" for p, o in lines)
    return f"{subject}\n{body} .\n"


def _term(node: Node, nm: NamespaceManager) -> str:
    """An IRI as a prefixed name when the facts file's prefixes allow one, else ``<…>``."""
    if isinstance(node, Literal):
        return _literal(node, nm)
    return str(node.n3(nm))


def _literal(literal: Literal, nm: NamespaceManager) -> str:
    """A literal in Turtle, one line: escaped quotes and line breaks, language or datatype."""
    lexical = str(literal)
    escaped = lexical.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    escaped = escaped.replace("\r", "\\r").replace("\t", "\\t")
    if literal.language:
        return f'"{escaped}"@{literal.language}'
    if literal.datatype is None or literal.datatype == XSD.string:
        return f'"{escaped}"'
    return f'"{escaped}"^^{_term(literal.datatype, nm)}'
