"""Validation results and the three ways of showing them: text for people, JSON, Turtle.

The text form names each focus node by its label, groups results by severity and then by
message, and ends with one summary line.
"""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF

from rcsgraph.namespaces import PREFIXES, SH

SEVERITIES = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class Result:
    """One finding: what is wrong (or worth noting), where, and which rule said so."""

    severity: str  # one of SEVERITIES
    focus: str  # IRI or blank-node id of the focus node
    focus_label: str
    message: str
    shape: str
    component: str
    path: str | None = None
    value: str | None = None


@dataclass
class Report:
    """The outcome of validating a graph; it conforms when no result is a violation."""

    results: list[Result] = field(default_factory=list)

    @property
    def conforms(self) -> bool:
        return not any(r.severity == "Violation" for r in self.results)

    def count(self, severity: str) -> int:
        return sum(1 for r in self.results if r.severity == severity)


def to_text(report: Report) -> str:
    """A report a person can read: grouped by severity, then by message."""
    lines: list[str] = []
    for severity in SEVERITIES:
        results = [r for r in report.results if r.severity == severity]
        if not results:
            continue
        lines.append(f"{severity.upper()} ({len(results)})")
        for message, group in _by_message(results):
            lines.append(f"  {message}")
            for r in group:
                where = f" [{_short(r.path)}]" if r.path else ""
                lines.append(f"    - {r.focus_label}{where}  ({_short(r.shape)})")
        lines.append("")
    lines.append(summary_line(report))
    return "\n".join(lines) + "\n"


def summary_line(report: Report) -> str:
    """``conforms: yes`` or ``no``, with the count per severity."""
    counts = ", ".join(f"{report.count(s)} {s.lower()}" for s in SEVERITIES)
    return f"conforms: {'yes' if report.conforms else 'no'} ({counts})"


def to_json(report: Report) -> str:
    """The report as a JSON document: ``conforms`` and a list of results."""
    body = {"conforms": report.conforms, "results": [asdict(r) for r in report.results]}
    return json.dumps(body, indent=2, ensure_ascii=False) + "\n"


def to_graph(report: Report) -> Graph:
    """The report as a SHACL ``sh:ValidationReport`` graph."""
    graph = Graph()
    for prefix in ("sh", "rcsh", "rcs", "id"):
        graph.bind(prefix, PREFIXES[prefix])
    node = BNode()
    graph.add((node, RDF.type, SH.ValidationReport))
    graph.add((node, SH.conforms, Literal(report.conforms)))
    for r in report.results:
        result = BNode()
        graph.add((node, SH.result, result))
        graph.add((result, RDF.type, SH.ValidationResult))
        graph.add((result, SH.resultSeverity, SH[r.severity]))
        graph.add((result, SH.focusNode, _term(r.focus)))
        graph.add((result, SH.resultMessage, Literal(r.message)))
        graph.add((result, SH.sourceShape, _term(r.shape)))
        graph.add((result, SH.sourceConstraintComponent, _term(r.component)))
        if r.path:
            graph.add((result, SH.resultPath, _term(r.path)))
        if r.value is not None:
            graph.add((result, SH.value, Literal(r.value)))
    return graph


def to_turtle(report: Report) -> str:
    return to_graph(report).serialize(format="turtle")


def _by_message(results: Iterable[Result]) -> list[tuple[str, list[Result]]]:
    groups: dict[str, list[Result]] = {}
    for r in results:
        groups.setdefault(r.message, []).append(r)
    return sorted(groups.items(), key=lambda item: (-len(item[1]), item[0]))


def _term(value: str) -> URIRef | BNode:
    return BNode(value[2:]) if value.startswith("_:") else URIRef(value)


def _short(iri: str) -> str:
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and prefix != "id":
            return f"{prefix}:{iri[len(namespace) :]}"
    return iri
