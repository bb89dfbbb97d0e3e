"""The home page's data, asked of the graph through the endpoint's workers: key figures, the
countries of the Iranian society's facilities and missions and of the meeting, the timeline."""

from dataclasses import dataclass

from rdflib import Literal, URIRef

from rcsgraph.endpoint import Endpoint
from rcsgraph.queries import load_catalogue
from rcsgraph.summary import FIGURES
from rcsgraph.web.worldmap import Mark

PREFIXES = """PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SOCIETY = "https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society"
#: Roles on the map, in the order that picks a country's colour when it has several.
ROLES = ("meeting", "facility", "mission", "home")

#: The society's countries by role; ``?society`` is bound by the engine.
COUNTRIES = (
    PREFIXES
    + """SELECT DISTINCT ?country ?label ?numeric ?role WHERE {
  {
    ?facility a rcs:Facility ; rcs:operatedBy ?society ; rcs:locatedIn ?country .
    BIND ("facility" AS ?role)
  } UNION {
    ?mission a rcs:Mission ; rcs:conductedBy ?society ; rcs:helped/rcs:locatedIn* ?country .
    BIND ("mission" AS ?role)
  } UNION {
    ?meeting a rcs:Meeting ; rcs:participant?/rcs:location/rcs:locatedIn* ?country .
    BIND ("meeting" AS ?role)
  } UNION {
    ?society rcs:country ?country .
    BIND ("home" AS ?role)
  }
  ?country a rcs:Country ; skos:prefLabel ?label .
  OPTIONAL { ?country rcs:iso3166Numeric ?numeric }
}"""
)
#: Candidates of ambiguous country mentions (such as "Congo"), with their numeric codes.
CANDIDATES = (
    PREFIXES
    + """SELECT ?mention ?numeric WHERE {
  ?mention a rcs:Country ; skos:closeMatch ?candidate .
  ?candidate rcs:iso3166Numeric ?numeric .
} ORDER BY ?numeric"""
)


@dataclass(frozen=True)
class Event:
    """One dated event of the timeline."""

    date: str
    iri: str
    label: str


def figures(served: Endpoint) -> dict[str, int]:
    """The key figures of ``rcsgraph.summary.FIGURES``, counted by the endpoint."""
    counts = {}
    for name, pattern in FIGURES:
        found = served.query(f"{PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        value = found.rows[0][0] if found.rows else None
        counts[name] = int(value.toPython()) if isinstance(value, Literal) else 0
    return counts


def countries(served: Endpoint, society: str = SOCIETY) -> list[Mark]:
    """The society's countries as map marks, an ambiguous mention covering its candidates."""
    candidates: dict[str, list[str]] = {}
    for row in served.query(CANDIDATES).dicts():
        candidates.setdefault(str(row["mention"]), []).append(str(row["numeric"]))
    found: dict[str, tuple[str, str | None, set[str]]] = {}
    for row in served.query(COUNTRIES, {"society": URIRef(society)}).dicts():
        iri = str(row["country"])
        numeric = str(row["numeric"]) if "numeric" in row else None
        found.setdefault(iri, (str(row["label"]), numeric, set()))[2].add(str(row["role"]))
    marks = []
    for iri, (label, numeric, roles) in sorted(found.items(), key=lambda item: item[1][0]):
        codes = (numeric,) if numeric else tuple(candidates.get(iri, ()))
        ordered = tuple(role for role in ROLES if role in roles)
        marks.append(Mark(codes, iri, label, ordered, ambiguous=not numeric and len(codes) > 1))
    return marks


def timeline(served: Endpoint) -> list[Event]:
    """The catalogue's ``timeline`` query: foundings, awards, the meeting, the article."""
    query = load_catalogue()["timeline"]
    return [
        Event(str(row["date"]), str(row["event"]), str(row["label"]))
        for row in served.query(query.text).dicts()
    ]
