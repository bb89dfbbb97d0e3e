"""The home page's data, asked of the graph through the endpoint's workers: key figures, the
countries of the Iranian society's facilities and missions and of the meetings (and the meeting
itself when there is one), the timeline."""

from dataclasses import dataclass
from typing import Any

from rdflib import Literal, URIRef

from rcsgraph.graph.summary import FIGURES
from rcsgraph.publish.describe import Source
from rcsgraph.queries import load_catalogue
from rcsgraph.store.binding import values

PREFIXES = """PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SOCIETY = "https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society"
#: Roles on the map, in the order that picks a country's colour when it has several.
ROLES = ("meeting", "facility", "mission", "home")

#: The society's countries by role, one query per role (joined in Python: Oxigraph took 321 s
#: over their UNION joined with the countries' labels at 1M triples, under 0.1 s over each);
#: ``?society`` is bound by the engine.
ROLE_PATTERNS = {
    "facility": "?x a rcs:Facility ; rcs:operatedBy ?society ; rcs:locatedIn ?country .",
    "mission": "?x a rcs:Mission ; rcs:conductedBy ?society ; rcs:helped/rcs:locatedIn* ?country .",
    "meeting": "?x a rcs:Meeting ; rcs:participant?/rcs:location/rcs:locatedIn* ?country .",
    "home": "?society rcs:country ?country .",
}
COUNTRY_LABELS = (
    PREFIXES
    + """SELECT ?country ?label ?numeric WHERE {
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
#: The first two meetings, with the date and the place of each: the map's legend names the
#: meeting when the graph holds just one.
MEETINGS = (
    PREFIXES
    + """SELECT ?meeting ?date ?place WHERE {
  { SELECT DISTINCT ?meeting WHERE { ?meeting a rcs:Meeting } ORDER BY ?meeting LIMIT 2 }
  OPTIONAL { ?meeting rcs:date ?date }
  OPTIONAL { ?meeting rcs:location/skos:prefLabel ?place }
} ORDER BY ?meeting ?date ?place"""
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


@dataclass(frozen=True)
class Meeting:
    """A meeting: its IRI, its date and the name of its place."""

    iri: str
    date: str | None
    place: str | None


def figures(served: Source) -> dict[str, int]:
    """The key figures of ``rcsgraph.graph.summary.FIGURES``, counted by the endpoint."""
    counts = {}
    for name, pattern in FIGURES:
        found = served.query(f"{PREFIXES}SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ {pattern} }}")
        value = found.rows[0][0] if found.rows else None
        counts[name] = int(value.toPython()) if isinstance(value, Literal) else 0
    return counts


def countries(served: Source, society: str = SOCIETY) -> list[Mark]:
    """The society's countries as map marks, an ambiguous mention covering its candidates."""
    candidates = _candidates(served)
    named = {
        str(row["country"]): (str(row["label"]), str(row["numeric"]) if "numeric" in row else None)
        for row in served.query(COUNTRY_LABELS).dicts()
    }
    roles: dict[str, set[str]] = {}
    for role, pattern in ROLE_PATTERNS.items():
        query = f"{PREFIXES}SELECT DISTINCT ?country WHERE {{ {pattern} }}"
        for row in served.query(query, {"society": URIRef(society)}).dicts():
            if str(row["country"]) in named:
                roles.setdefault(str(row["country"]), set()).add(role)
    marks = []
    for iri in sorted(roles, key=lambda i: (named[i][0], i)):
        label, numeric = named[iri]
        codes = (numeric,) if numeric else tuple(candidates.get(iri, ()))
        ordered = tuple(role for role in ROLES if role in roles[iri])
        marks.append(Mark(codes, iri, label, ordered, ambiguous=not numeric and len(codes) > 1))
    return marks


def timeline(served: Source) -> list[Event]:
    """The catalogue's ``timeline`` query: foundings, awards, the meeting, the article."""
    query = load_catalogue()["timeline"]
    return [
        Event(str(row["date"]), str(row["event"]), str(row["label"]))
        for row in served.query(query.text).dicts()
    ]


def only_meeting(served: Source) -> Meeting | None:
    """The meeting of the graph when it holds exactly one, else None."""
    rows = served.query(MEETINGS).dicts()
    if len({str(row["meeting"]) for row in rows}) != 1:
        return None
    date, place = (str(rows[0][k]) if k in rows[0] else None for k in ("date", "place"))
    return Meeting(str(rows[0]["meeting"]), date, place)


def all_countries(served: Source) -> list[Country]:
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


def _candidates(served: Source) -> dict[str, list[str]]:
    candidates: dict[str, list[str]] = {}
    for row in served.query(CANDIDATES).dicts():
        candidates.setdefault(str(row["mention"]), []).append(str(row["numeric"]))
    return candidates


def marks_for(countries: list[Country], values: list[str], role: str = "result") -> list[Mark]:
    """The ``countries`` that ``values`` name (country IRIs of the graph, ISO 3166-1 alpha-2
    or alpha-3 codes), as map marks in one ``role``; other values are ignored."""
    wanted = {value.strip() for value in values}
    wanted |= {v.upper() for v in wanted if len(v) in (2, 3) and v.isascii() and v.isalpha()}
    return [
        Mark(c.codes, c.iri, c.label, (role,), ambiguous=c.ambiguous)
        for c in countries
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


#: Every typed thing under ``?space``, with any label (one row per type and label).
TYPED = """PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?thing ?label WHERE {
  ?thing a ?type . FILTER (isIRI(?thing) && STRSTARTS(STR(?thing), ?space))
  OPTIONAL { ?thing rdfs:label ?label }
}"""


def listing(served: Source, id_space: str, limit: int, most: int | None = None) -> dict[str, Any]:
    """The things under ``id_space`` by kind (``society`` for ``id/society/…``): how many of
    each, and the first ``limit`` of each by label, as ``[IRI, label]`` pairs; of at most
    ``most`` typed things when given (a bounded listing, for a live endpoint)."""
    query = TYPED + (f" LIMIT {int(most)}" if most is not None else "")
    found = _by_kind(served.query(query, {"space": Literal(id_space)}).dicts(), id_space)
    return {
        "kinds": {kind: len(things) for kind, things in sorted(found.items())},
        "things": {kind: first_by_label(things, limit) for kind, things in sorted(found.items())},
    }


def listing_of(served: Source, iris: list[str], id_space: str) -> dict[str, dict[str, str]]:
    """The kind and label of each of ``iris`` that is a typed thing under ``id_space``."""
    bound = TYPED.replace("WHERE {\n", "WHERE {\n  " + values("thing", map(URIRef, iris)) + "\n", 1)
    return _by_kind(served.query(bound, {"space": Literal(id_space)}).dicts(), id_space)


def first_by_label(things: dict[str, str], limit: int) -> list[tuple[str, str]]:
    """The first ``limit`` (IRI, label) pairs in order of label."""
    return sorted(things.items(), key=lambda t: (t[1].lower(), t[0]))[:limit]


def _by_kind(rows: list[dict[str, Any]], id_space: str) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for row in rows:
        iri = str(row["thing"])
        kind, _, slug = iri[len(id_space) :].partition("/")
        if not slug or "#" in iri:
            continue
        label = " ".join(str(row.get("label") or "").split())
        things = found.setdefault(kind, {})
        if label or iri not in things:
            things[iri] = min(label, things.get(iri) or label) or iri.rsplit("/", 1)[-1]
    return found
