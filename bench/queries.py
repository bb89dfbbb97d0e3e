"""The representative queries of the store benchmark, run through ``rcsgraph.store`` backends.

Each is a kind of query the project serves: look up one node, join, aggregate, page through
results, follow a property path, search text. ``?node`` is bound to a society of the data.
"""

PREFIXES = """\
PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX oa: <http://www.w3.org/ns/oa#>
"""

#: name -> (what it exercises, SPARQL). ``?node`` (in the point lookup only) is pre-bound.
QUERIES: dict[str, tuple[str, str]] = {
    "point": (
        "point lookup: every triple of one society, bound by IRI",
        "SELECT ?node ?p ?o WHERE { ?node ?p ?o }",
    ),
    "join": (
        "3-way join with FILTER: facilities in another region than their society's country",
        """SELECT ?facility ?society ?country WHERE {
  ?facility a rcs:Facility ; rcs:operatedBy ?society ; rcs:locatedIn ?country .
  ?society rcs:country ?home .
  ?country rcs:m49Region ?region .
  ?home rcs:m49Region ?homeRegion .
  FILTER (?region != ?homeRegion)
}""",
    ),
    "group": (
        "GROUP BY + COUNT: claims per property",
        """SELECT ?property (COUNT(?claim) AS ?claims) WHERE {
  ?claim a rcs:Claim ; rdf:predicate ?property .
} GROUP BY ?property ORDER BY DESC(?claims) ?property""",
    ),
    "optional": (
        "OPTIONAL + ORDER BY + LIMIT: the ten latest articles, with desk initials if any",
        """SELECT ?article ?published ?desk WHERE {
  ?article a rcs:Article ; rcs:published ?published .
  OPTIONAL { ?article rcs:deskInitials ?desk }
} ORDER BY DESC(?published) ?article LIMIT 10""",
    ),
    "path": (
        "property path: everything that is an organization, through rdfs:subClassOf*",
        """SELECT (COUNT(DISTINCT ?x) AS ?organizations) WHERE {
  ?x rdf:type/rdfs:subClassOf* rcs:Organization .
}""",
    ),
    "contains": (
        "text FILTER with CONTAINS: labels mentioning the Red Crescent",
        """SELECT ?entity ?label WHERE {
  ?entity rdfs:label ?label .
  FILTER (CONTAINS(LCASE(STR(?label)), "red crescent"))
} ORDER BY ?entity LIMIT 50""",
    ),
    "regex": (
        "text FILTER with REGEX: quotes that are a year",
        """SELECT (COUNT(*) AS ?years) WHERE {
  ?quote oa:exact ?exact .
  FILTER (REGEX(?exact, "^[0-9]{4}$"))
}""",
    ),
}


def sparql(name: str) -> str:
    """The full text of query ``name``."""
    return PREFIXES + QUERIES[name][1]
