"""The articles the graph holds, in brief: how many, the span of their publication dates, and
the article itself when there is just one (its label, date and dateline).

Asked of the graph once per generation (``rcsgraph.publish.derive``), so that what the pages and
the VoID description say the dataset is stays true however many articles are added, without a
whole-graph query while a request waits. ``in_brief`` makes the words they share.
"""

from dataclasses import asdict, dataclass
from typing import Any

from rcsgraph.publish.describe import Source

PREFIXES = """PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
#: How many articles, and their first and last publication dates.
SPAN = (
    PREFIXES
    + """SELECT (COUNT(DISTINCT ?article) AS ?n) (MIN(?published) AS ?first)
  (MAX(?published) AS ?last) WHERE {
  ?article a rcs:Article OPTIONAL { ?article rcs:published ?published }
}"""
)
#: The one article: what it is called, when it was published, the place of its dateline.
ONLY = (
    PREFIXES
    + """SELECT ?article ?label ?published ?dateline WHERE {
  ?article a rcs:Article
  OPTIONAL { ?article rdfs:label ?label }
  OPTIONAL { ?article rcs:published ?published }
  OPTIONAL { ?article rcs:dateline/skos:prefLabel ?dateline }
} ORDER BY ?article ?label ?published ?dateline LIMIT 1"""
)


@dataclass(frozen=True)
class Article:
    """One article: its IRI, label, publication date and the place of its dateline."""

    iri: str
    label: str | None
    published: str | None
    dateline: str | None


@dataclass(frozen=True)
class Articles:
    """How many articles the graph holds, their first and last publication dates, and the
    article itself when there is exactly one."""

    count: int
    first: str | None = None
    last: str | None = None
    only: Article | None = None


def of(served: Source) -> Articles:
    """The articles ``served`` holds, in brief (two small queries)."""
    rows = served.query(SPAN).dicts()
    row = _text(rows[0] if rows else {})
    count = int(row.get("n") or 0)
    only = None
    if count == 1:
        found = _text(served.query(ONLY).dicts()[0])
        only = Article(
            found["article"], found.get("label"), found.get("published"), found.get("dateline")
        )
    return Articles(count, row.get("first"), row.get("last"), only)


def _text(row: dict[str, Any]) -> dict[str, str]:
    """The bound values of ``row`` as text."""
    return {k: str(v) for k, v in row.items() if v is not None}


def to_json(articles: Articles) -> dict[str, Any]:
    """``articles`` as JSON values (``from_json`` reads them back)."""
    return asdict(articles)


def from_json(found: dict[str, Any]) -> Articles:
    """The ``Articles`` that ``to_json`` wrote."""
    only = found.get("only")
    return Articles(
        found["count"], found.get("first"), found.get("last"), Article(**only) if only else None
    )


def in_brief(articles: Articles | None) -> str:
    """What the graph is made from, as words that follow "of" or "from": "one news article
    (2022-09-18, dateline Tehran)", "2,252 news articles (2005-01-01 to 2022-10-18)", or
    "news articles" when that is not known (or there are none yet)."""
    if articles is None or articles.count == 0:
        return "news articles"
    if articles.only is not None:
        one = articles.only
        said = [one.published or "", f"dateline {one.dateline}" if one.dateline else ""]
        return "one news article" + _within(", ".join(s for s in said if s))
    span = articles.first or ""
    if articles.last and articles.last != articles.first:
        span = f"{span} to {articles.last}" if span else articles.last
    return f"{articles.count:,} news articles" + _within(span)


def _within(text: str) -> str:
    return f" ({text})" if text else ""
