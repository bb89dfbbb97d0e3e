"""The home page's data, asked of the graph through the endpoint's workers: key figures, the
countries of the Iranian society's facilities and missions and of the meeting, the timeline."""

from dataclasses import dataclass

from rdflib import Literal, URIRef

from rcsgraph.graph.summary import FIGURES
from rcsgraph.queries import load_catalogue
from rcsgraph.sparql.endpoint import Endpoint

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
#: Every country of the graph with what identifies it in results: ISO codes and, for an
#: ambiguous mention, its candidates' numeric codes.
ALL_COUNTRIES = (
    PREFIXES
    + """SELECT ?country ?label ?alpha2 ?alpha3 ?numeric WHERE {
  ?country a rcs:Country ; skos:prefLabel ?label .
  OPTIONAL { ?country rcs:iso3166Alpha2 ?alpha2 }
  OPTIONAL { ?country rcs:iso3166Alpha3 ?alpha3 }
  OPTIONAL { ?country rcs:iso3166Numeric ?numeric }
}"""
)
CANDIDATES = (
    PREFIXES
    + """SELECT ?mention ?numeric WHERE {
  ?mention a rcs:Country ; skos:closeMatch ?candidate .
  ?candidate rcs:iso3166Numeric ?numeric .
} ORDER BY ?numeric"""
)


@dataclass(frozen=True)
class Mark:
    """A country to highlight: its numeric codes (two or more for an ambiguous mention), the
    page it links to, what it is called and the roles it plays (the first gives its colour)."""

    codes: tuple[str, ...]
    href: str
    label: str
    roles: tuple[str, ...]
    ambiguous: bool = False


@dataclass(frozen=True)
class Country:
    """A country of the graph: its IRI, label, ISO codes and the numeric codes it covers on the
    map (two or more for an ambiguous mention)."""

    iri: str
    label: str
    codes: tuple[str, ...]
    keys: tuple[str, ...]  # what names it in a result: its IRI, alpha-2 and alpha-3 codes

    @property
    def ambiguous(self) -> bool:
        return len(self.codes) > 1


@dataclass(frozen=True)
class Event:
    """One dated event of the timeline."""

    date: str
    iri: str
    label: str


def figures(served: Endpoint) -> dict[str, int]:
    """The key figures of ``rcsgraph.graph.summary.FIGURES``, counted by the endpoint."""
    counts = {}
    for name, pattern in FIGURES:
        found = served.query(f"{PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        value = found.rows[0][0] if found.rows else None
        counts[name] = int(value.toPython()) if isinstance(value, Literal) else 0
    return counts


def countries(served: Endpoint, society: str = SOCIETY) -> list[Mark]:
    """The society's countries as map marks, an ambiguous mention covering its candidates."""
    candidates = _candidates(served)
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


def all_countries(served: Endpoint) -> list[Country]:
    """Every country of the graph, by label."""
    candidates = _candidates(served)
    found = []
    for row in served.query(ALL_COUNTRIES).dicts():
        iri = str(row["country"])
        numeric = str(row["numeric"]) if "numeric" in row else None
        codes = (numeric,) if numeric else tuple(candidates.get(iri, ()))
        keys = (iri, *(str(row[k]).upper() for k in ("alpha2", "alpha3") if k in row))
        found.append(Country(iri, str(row["label"]), codes, keys))
    return sorted(found, key=lambda c: c.label)


def _candidates(served: Endpoint) -> dict[str, list[str]]:
    candidates: dict[str, list[str]] = {}
    for row in served.query(CANDIDATES).dicts():
        candidates.setdefault(str(row["mention"]), []).append(str(row["numeric"]))
    return candidates


def marks_for(served: Endpoint, values: list[str], role: str = "result") -> list[Mark]:
    """The countries that ``values`` name (country IRIs of the graph, ISO 3166-1 alpha-2 or
    alpha-3 codes), as map marks in one ``role``; other values are ignored."""
    wanted = {value.strip() for value in values}
    wanted |= {v.upper() for v in wanted if len(v) in (2, 3) and v.isascii() and v.isalpha()}
    return [
        Mark(c.codes, c.iri, c.label, (role,), ambiguous=c.ambiguous)
        for c in all_countries(served)
        if wanted.intersection(c.keys)
    ]


#: Columns that carry a result row's date, its label and its subject, in order of preference.
DATE_COLUMNS = ("date", "year", "founded")


def events_from(columns: tuple[str, ...], bindings: list[dict[str, dict[str, str]]]) -> list[Event]:
    """Timeline events from SPARQL JSON result rows: the first date-like column, the first label
    column (``label`` or ``…Label``), the first IRI; rows without a date are left out."""
    date = next((c for c in DATE_COLUMNS if c in columns), None)
    labels = [c for c in columns if c == "label" or c.endswith("Label")]
    events = []
    for row in bindings if date else []:
        when = row.get(date or "")
        subject = next((row[c] for c in columns if row.get(c, {}).get("type") == "uri"), None)
        if when is None or subject is None:
            continue
        label = next((row[c]["value"] for c in labels if c in row), subject["value"])
        events.append(Event(when["value"], subject["value"], label))
    return events
