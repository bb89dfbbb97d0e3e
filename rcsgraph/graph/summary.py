"""Key figures of the knowledge graph, counted from the graph itself."""

from rdflib import Graph

from rcsgraph.namespaces import RCS

#: What is counted, in the order it is shown: (label, SPARQL pattern binding ?x).
FIGURES: list[tuple[str, str]] = [
    ("societies", "?x a rcs:Society"),
    ("facilities", "?x a rcs:Facility"),
    # countries the article names (a candidate for an ambiguous mention is not one of them)
    ("countries", "?x a rcs:Country . FILTER EXISTS { ?c rdf:subject|rdf:object ?x }"),
    ("missions", "?x a rcs:Mission"),
    ("awards", "?x a rcs:AwardConferral"),
    ("claims", "?x a rcs:Claim"),
]


def figures(graph: Graph) -> dict[str, int]:
    """Each figure of ``FIGURES`` counted in ``graph``, plus the number of triples."""
    counts = {"triples": len(graph)}
    for name, pattern in FIGURES:
        query = f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}"
        row = next(iter(graph.query(query, initNs={"rcs": RCS._NS})))
        counts[name] = int(row[0].toPython())  # type: ignore[index,union-attr]
    return counts


def to_text(counts: dict[str, int]) -> str:
    """One line per figure, aligned."""
    width = max(len(name) for name in counts)
    return "".join(f"{name:<{width}}  {value:>6}\n" for name, value in counts.items())
