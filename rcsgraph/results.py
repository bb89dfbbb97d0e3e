"""SPARQL results as bytes, straight from pyoxigraph answers, with an announced row cap.

When a query's own top-level ``LIMIT`` keeps it under the cap, Oxigraph's serializers write the
bytes. Otherwise rows are read up to the cap and written here, so the answer can say it was cut
(``Answer.truncated``) instead of silently dropping rows.
"""

import io
import itertools
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from rcsgraph.conneg import RDF_TYPES, RESULT_TYPES

XSD = "http://www.w3.org/2001/XMLSchema#"
_PLAIN = XSD + "string"
_BARE_IN_TSV = {XSD + "integer", XSD + "decimal", XSD + "double", XSD + "boolean"}

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


def serialize(answer: object, media_type: str, cap: int, limit: int | None) -> Answer:
    """Serialize a pyoxigraph answer in ``media_type``, at most ``cap`` rows or triples."""
    if isinstance(answer, ox.QueryBoolean):
        return Answer(media_type, answer.serialize(format=RESULT_FORMATS[media_type]) or b"")
    if isinstance(answer, ox.QuerySolutions):
        if limit is not None and limit <= cap:  # the query cannot reach the cap: engine writes
            return Answer(media_type, answer.serialize(format=RESULT_FORMATS[media_type]) or b"")
        names = [v.value for v in answer.variables]
        rows = list(itertools.islice(answer, cap + 1))
        body = write_solutions(names, rows[:cap], media_type)
        return Answer(media_type, body, min(len(rows), cap), len(rows) > cap)
    triples = list(itertools.islice(answer, cap + 1))  # type: ignore[call-overload]
    body = ox.serialize(triples[:cap], format=GRAPH_FORMATS[media_type]) or b""
    return Answer(media_type, body, min(len(triples), cap), len(triples) > cap)


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


def _json_term(term: object) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    assert isinstance(term, ox.Literal)
    found = {"type": "literal", "value": term.value}
    if term.language:
        found["xml:lang"] = term.language
    elif term.datatype.value != _PLAIN:
        found["datatype"] = term.datatype.value
    return found


def _xml(names: Sequence[str], table: list[list[object]]) -> bytes:
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
    if isinstance(term, ox.NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, ox.BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    assert isinstance(term, ox.Literal)
    if term.language:
        return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
    if term.datatype.value != _PLAIN:
        return f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
    return f"<literal>{escape(term.value)}</literal>"


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
    value = term.value if not isinstance(term, ox.BlankNode) else "_:" + term.value  # type: ignore[attr-defined]
    if any(c in value for c in ',"\r\n'):
        return '"' + value.replace('"', '""') + '"'
    return str(value)


def _tsv_term(term: object) -> str:
    if isinstance(term, ox.NamedNode):
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    assert isinstance(term, ox.Literal)
    if term.datatype.value in _BARE_IN_TSV and not term.language:
        return term.value
    text = term.value.replace("\\", "\\\\").replace('"', '\\"')
    text = text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
    if term.language:
        return f'"{text}"@{term.language}'
    if term.datatype.value != _PLAIN:
        return f'"{text}"^^<{term.datatype.value}>'
    return f'"{text}"'
