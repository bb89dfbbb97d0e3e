"""SPARQL results as bytes, straight from pyoxigraph answers, with an announced row cap.

When a query's own top-level ``LIMIT`` keeps it under the cap, Oxigraph's serializers write the
bytes. A SELECT without one is run with ``LIMIT cap+1`` added (``capped_text``) and written by
the engine too (``engine_written``): a row more than the cap says the answer was cut. Otherwise
rows are read up to the cap and written here, so the answer can say it was cut
(``Answer.truncated``) instead of silently dropping rows. Writing rows in Python costs about as
much as evaluating a 10 000-row answer, hence the engine's writers wherever they can be used.
"""

import io
import itertools
import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from rcsgraph.sparql.conneg import RDF_TYPES, RESULT_TYPES

XSD = "http://www.w3.org/2001/XMLSchema#"
_PLAIN = XSD + "string"

RESULT_FORMATS = {
    RESULT_TYPES["json"]: ox.QueryResultsFormat.JSON,
    RESULT_TYPES["xml"]: ox.QueryResultsFormat.XML,
    RESULT_TYPES["csv"]: ox.QueryResultsFormat.CSV,
    RESULT_TYPES["tsv"]: ox.QueryResultsFormat.TSV,
}
GRAPH_FORMATS = {
    RDF_TYPES["ttl"]: ox.RdfFormat.TURTLE,
    RDF_TYPES["nt"]: ox.RdfFormat.N_TRIPLES,
    RDF_TYPES["jsonld"]: ox.RdfFormat.JSON_LD,
    RDF_TYPES["rdf"]: ox.RdfFormat.RDF_XML,
    RDF_TYPES["nq"]: ox.RdfFormat.N_QUADS,
    RDF_TYPES["trig"]: ox.RdfFormat.TRIG,
}


@dataclass
class Answer:
    """A serialized answer: media type, bytes, and whether the row cap cut it."""

    media_type: str
    body: bytes
    rows: int | None = None
    truncated: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def serialize(
    answer: object,
    media_type: str,
    cap: int,
    limit: int | None,
    columns: tuple[str, ...] | None = None,
) -> Answer:
    """Serialize a pyoxigraph answer in ``media_type``, at most ``cap`` rows or triples, with
    only ``columns`` when given (the engine's own writers are used only without them)."""
    if isinstance(answer, ox.QueryBoolean):
        return Answer(media_type, answer.serialize(format=RESULT_FORMATS[media_type]) or b"")
    if isinstance(answer, ox.QuerySolutions):
        if limit is not None and limit <= cap and columns is None:  # engine writes; cap unreachable
            return Answer(media_type, answer.serialize(format=RESULT_FORMATS[media_type]) or b"")
        names = list(columns) if columns is not None else [v.value for v in answer.variables]
        rows = list(itertools.islice(answer, cap + 1))
        body = write_solutions(names, rows[:cap], media_type)
        return Answer(media_type, body, min(len(rows), cap), len(rows) > cap)
    triples = list(itertools.islice(answer, cap + 1))  # type: ignore[call-overload]
    body = ox.serialize(triples[:cap], format=GRAPH_FORMATS[media_type]) or b""
    return Answer(media_type, body, min(len(triples), cap), len(triples) > cap)


def capped_text(text: str, cap: int) -> str:
    """A SELECT without a top-level ``LIMIT``, with ``LIMIT cap+1`` added: the engine itself can
    then write the answer, and one row more than the cap shows that the cap was reached. (A
    query that ends in a ``VALUES`` clause becomes a syntax error: run the original then.)"""
    return f"{text}\nLIMIT {cap + 1}\n"


def engine_written(answer: ox.QuerySolutions, media_type: str, cap: int) -> Answer | None:
    """The answer of a query run with ``capped_text``, written by the engine; None when it may
    hold more than ``cap`` rows and is not SPARQL JSON (the caller writes it row by row)."""
    body = answer.serialize(format=RESULT_FORMATS[media_type]) or b""
    if len(body) < 3 * (cap + 1) or _most_rows(body, media_type) <= cap:
        return Answer(media_type, body)
    if media_type != RESULT_TYPES["json"]:
        return None
    document = json.loads(body)
    bindings = document["results"]["bindings"]
    if len(bindings) <= cap:
        return Answer(media_type, body, len(bindings))
    document["results"]["bindings"] = bindings[:cap]
    cut = json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Answer(media_type, cut, cap, True)


def _most_rows(body: bytes, media_type: str) -> int:
    """At least as many as the rows of an answer Oxigraph wrote, counted without parsing it:
    a JSON row is ``{}`` or holds a term (``"type":``; a quote inside a value is escaped), an
    XML row is a ``<result>`` element, a CSV or TSV row a line after the header."""
    if media_type == RESULT_TYPES["json"]:
        if body.startswith(b'{"head":{'):  # written without spaces, as Oxigraph does
            # Rows are separated by "}},{" (after a row that binds a term) or follow a "{}"
            # (an empty row); a literal may hold either, which only counts more. Counting the
            # terms instead counted each row once per column: the timeline answer of the
            # 1M-triple graph (7,422 rows, 3 columns) then had to be parsed, 17 ms.
            return body.count(b"}},{") + body.count(b"{}") + 1
        return body.count(b'"type":') + body.count(b"{}")
    if media_type == RESULT_TYPES["xml"]:
        return body.count(b"<result>")
    return body.count(b"\n") - 1  # the header line


def write_solutions(names: Sequence[str], rows: Iterable[ox.QuerySolution], media: str) -> bytes:
    """Solutions in one of the four SPARQL result formats."""
    table = [[row[name] for name in names] for row in rows]
    if media == RESULT_TYPES["json"]:
        return _json(names, table)
    if media == RESULT_TYPES["xml"]:
        return _xml(names, table)
    if media == RESULT_TYPES["csv"]:
        return _delimited(names, table, _csv_field, ",", "")
    return _delimited(names, table, _tsv_term, "\t", "?")


def _json(names: Sequence[str], table: list[list[object]]) -> bytes:
    bindings = [
        {
            name: _json_term(value)
            for name, value in zip(names, row, strict=True)
            if value is not None
        }
        for row in table
    ]
    document = {"head": {"vars": list(names)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _json_term(term: object) -> dict[str, Any]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Triple):
        parts = {"subject": term.subject, "predicate": term.predicate, "object": term.object}
        return {"type": "triple", "value": {k: _json_term(v) for k, v in parts.items()}}
    literal = _literal(term)
    found = {"type": "literal", "value": literal.value}
    if literal.language:
        found["xml:lang"] = literal.language
        if literal.direction is not None:
            found["its:dir"] = literal.direction.value
    elif literal.datatype.value != _PLAIN:
        found["datatype"] = literal.datatype.value
    return found


def _literal(term: object) -> ox.Literal:
    if not isinstance(term, ox.Literal):
        raise TypeError(f"cannot write {term!r} as a SPARQL result term")
    return term


def _xml(names: Sequence[str], table: list[list[object]]) -> bytes:
    # Imported here: xml.sax.saxutils brings urllib.request, http.client and email with it,
    # which cost a server's cold start (the engine writes most XML answers).
    from xml.sax.saxutils import quoteattr

    out = io.StringIO()
    out.write('<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">')
    out.write("<head>" + "".join(f"<variable name={quoteattr(n)}/>" for n in names) + "</head>")
    out.write("<results>")
    for row in table:
        out.write("<result>")
        for name, value in zip(names, row, strict=True):
            if value is not None:
                out.write(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>")
        out.write("</result>")
    out.write("</results></sparql>\n")
    return out.getvalue().encode("utf-8")


def _xml_term(term: object) -> str:
    from xml.sax.saxutils import escape, quoteattr

    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, ox.Triple):
        parts = [("subject", term.subject), ("predicate", term.predicate), ("object", term.object)]
        return "<triple>" + "".join(f"<{k}>{_xml_term(v)}</{k}>" for k, v in parts) + "</triple>"
    literal = _literal(term)
    text = escape(literal.value)
    if literal.language:
        attributes = f"xml:lang={quoteattr(literal.language)}"
        if literal.direction is not None:
            attributes += (
                f' its:dir="{literal.direction.value}"'
                ' xmlns:its="http://www.w3.org/2005/11/its" its:version="2.0"'
            )
        return f"<literal {attributes}>{text}</literal>"
    if literal.datatype.value != _PLAIN:
        return f"<literal datatype={quoteattr(literal.datatype.value)}>{text}</literal>"
    return f"<literal>{text}</literal>"


def _delimited(names, table, write, separator: str, mark: str) -> bytes:  # type: ignore[no-untyped-def]
    lines = [separator.join(mark + n for n in names)]
    for row in table:
        lines.append(separator.join("" if v is None else write(v) for v in row))
    return (
        ("\r\n".join(lines) + "\r\n").encode("utf-8")
        if separator == ","
        else ("\n".join(lines) + "\n").encode("utf-8")
    )


def _csv_field(term: object) -> str:
    value = _csv_value(term)
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return value


def _csv_value(term: object) -> str:
    """CSV keeps the value only: an IRI, ``_:label``, a literal's lexical form."""
    if isinstance(term, ox.BlankNode):
        return "_:" + term.value
    if isinstance(term, ox.Triple):
        return " ".join(_csv_value(t) for t in (term.subject, term.predicate, term.object))
    if isinstance(term, ox.NamedNode):
        return term.value
    return _literal(term).value


#: Lexical forms TSV may write bare, as Turtle would read them back with the same datatype.
_BARE = {
    XSD + "integer": re.compile(r"[+-]?[0-9]+"),
    XSD + "decimal": re.compile(r"[+-]?[0-9]*\.[0-9]+"),
    XSD + "double": re.compile(r"[+-]?(?:[0-9]+\.[0-9]*|\.?[0-9]+)[eE][+-]?[0-9]+"),
    XSD + "boolean": re.compile(r"true|false"),
}


def _tsv_term(term: object) -> str:
    """TSV writes terms as Turtle (N-Triples escapes; numbers and booleans bare)."""
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, ox.Triple):
        inner = " ".join(_tsv_term(t) for t in (term.subject, term.predicate, term.object))
        return f"<<( {inner} )>>"
    literal = _literal(term)
    bare = _BARE.get(literal.datatype.value)
    if bare is not None and bare.fullmatch(literal.value):
        return literal.value
    return str(literal)  # N-Triples: escaped, with its language tag or datatype
