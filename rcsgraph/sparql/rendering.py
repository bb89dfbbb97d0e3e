"""Engine-neutral ``Results`` written out: the SPARQL result formats, RDF, or a text table.

The bytes of the four SPARQL formats come from the same writers the endpoint uses
(``rcsgraph.sparql.results``), so the CLI and HTTP give identical answers.
"""

import pyoxigraph as ox
from rdflib import URIRef

from rcsgraph.errors import InputError
from rcsgraph.namespaces import PREFIXES
from rcsgraph.sparql.conneg import RDF_TYPES, RESULT_TYPES
from rcsgraph.sparql.results import GRAPH_FORMATS, Answer, write_solutions
from rcsgraph.store.base import Results, Term
from rcsgraph.store.terms import to_oxigraph

#: Short format names of the CLI and of file suffixes -> media type.
FORMATS = {
    **RESULT_TYPES,
    **{k: RDF_TYPES[k] for k in ("ttl", "nt", "jsonld")},
    "table": "text/plain",
}


def render(results: Results, fmt: str) -> bytes:
    """``results`` in format ``fmt`` (a key of ``FORMATS``)."""
    media = FORMATS.get(fmt)
    graph_answer = results.kind == "graph"
    if media is None or (fmt != "table" and (media in RDF_TYPES.values()) != graph_answer):
        kinds = "ttl, nt, jsonld" if graph_answer else "table, json, xml, csv, tsv"
        raise InputError(f"format {fmt!r} does not fit this answer (use one of {kinds})")
    if graph_answer:
        if fmt == "table":
            return table(Results("select", ("subject", "predicate", "object"), results.triples))
        triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in results.triples]  # type: ignore[arg-type]
        return ox.serialize(triples, format=GRAPH_FORMATS[media]) or b""
    if fmt == "table":
        return table(results)
    if results.kind == "ask":
        return boolean(bool(results.boolean), media)
    rows = [
        {
            n: (None if v is None else to_oxigraph(v))
            for n, v in zip(results.variables, row, strict=True)
        }
        for row in results.rows
    ]
    return write_solutions(results.variables, rows, media)  # type: ignore[arg-type]


def write_results(
    results: Results, media: str, cap: int, columns: tuple[str, ...] | None = None
) -> Answer:
    """Engine-neutral results as an ``Answer`` in ``media``: at most ``cap`` rows or triples,
    only ``columns`` when given, and marked when the cap cut them."""
    if results.kind == "ask":
        return Answer(media, boolean(bool(results.boolean), media))
    if results.kind == "graph":
        kept = Results("graph", triples=results.triples[:cap])
        triples = [ox.Triple(*(to_oxigraph(t) for t in triple)) for triple in kept.triples]  # type: ignore[arg-type]
        body = ox.serialize(triples, format=GRAPH_FORMATS[media]) or b""
        return Answer(media, body, len(kept.triples), len(results.triples) > cap)
    names = columns or results.variables
    index = [results.variables.index(n) for n in names]
    rows = [
        {n: _ox(row[i]) for n, i in zip(names, index, strict=True)} for row in results.rows[:cap]
    ]
    body = write_solutions(names, rows, media)  # type: ignore[arg-type]
    return Answer(media, body, len(rows), len(results.rows) > cap)


def _ox(term: Term | None) -> object:
    return None if term is None else to_oxigraph(term)


def table(results: Results) -> bytes:
    """An aligned text table, IRIs shortened with the project's prefixes."""
    if results.kind == "ask":
        return f"{'yes' if results.boolean else 'no'}\n".encode()
    header = list(results.variables)
    cells = [[short(v) for v in row] for row in results.rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(header)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
    lines.append(f"({len(cells)} row{'s' if len(cells) != 1 else ''})")
    return ("\n".join(lines) + "\n").encode("utf-8")


def short(term: Term | None) -> str:
    """A readable form of a term: a prefixed name where one fits, else the value."""
    if term is None:
        return ""
    text = str(term)
    if isinstance(term, URIRef):
        for prefix, namespace in PREFIXES.items():
            if text.startswith(namespace):
                return f"{prefix}:{text[len(namespace) :]}"
    return text


def boolean(value: bool, media: str) -> bytes:
    """An ASK answer in one of the four SPARQL result formats."""
    word = "true" if value else "false"
    if media == RESULT_TYPES["json"]:
        return f'{{"head":{{}},"boolean":{word}}}'.encode()
    if media == RESULT_TYPES["xml"]:
        return (
            '<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'
            f"<head/><boolean>{word}</boolean></sparql>\n"
        ).encode()
    return f"{word}\n".encode()
