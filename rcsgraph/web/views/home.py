"""``/``: what the graph is and where it comes from, its figures, map and timeline, then every
thing by kind."""

from html import escape
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, request

from rcsgraph.publish import explorer
from rcsgraph.publish.artefacts import Publication
from rcsgraph.publish.describe import Listed
from rcsgraph.publish.iris import Iris
from rcsgraph.web.negotiation import answer
from rcsgraph.web.pages.explorer_page import (
    STYLE,
    entry_points_html,
    figure_html,
    figures_html,
    intro_html,
    map_html,
    timeline_html,
)
from rcsgraph.web.pages.shell import page
from rcsgraph.web.service import held_articles, publication
from rcsgraph.web.views.linked_data import iris

blueprint = Blueprint("home", __name__)

#: Kinds listed last and folded away: the machinery of evidence, not things people look up.
FOLDED = {"claim"}
#: Most things of one kind listed on the home page; beyond, the page says how many there are
#: and links to the query that lists them all (200 made the page of a 1M-triple graph 458 KB).
SHOWN = 50


@blueprint.route("/")
def home() -> Response:
    """What the graph is, its figures, map and timeline, then every thing by kind."""
    names = iris()
    published = publication()
    listing, home, articles = published.listing(), published.home(), published.articles()
    groups = "".join(
        _group(kind, listing.listed(kind, SHOWN), total, kind in FOLDED, names)
        for kind, total in sorted(listing.kinds.items(), key=lambda k: (k[0] in FOLDED, k[0]))
    )
    more = ""
    if home.events_total > len(home.events):
        more = (
            f"<p>The first {len(home.events):,} of {home.events_total:,} dated events; the "
            '<a href="/queries/timeline">timeline query</a> has them all.</p>'
        )
    body = (
        "<h1>rcsgraph</h1>"
        + intro_html(articles, names)
        + entry_points_html(_featured(published, names))
        + figures_html(home.figures)
        + map_html(home.marks, names, home.meeting)
        + timeline_html(home.events, names)
        + more
        + f'<section aria-labelledby="kinds"><h2 id="kinds">Everything, by kind</h2>{groups}'
        "</section>"
    )
    return answer(page("Home", body, head=STYLE, articles=held_articles()), "text/html")


def _featured(published: Publication, names: Iris) -> tuple[str, str] | None:
    """The Iranian Red Crescent Society's page, the article's centre, when the graph holds it
    (a store of other articles may not)."""
    label = published.labels([explorer.SOCIETY]).get(explorer.SOCIETY)
    return (names.href(explorer.SOCIETY) or explorer.SOCIETY, label) if label else None


def _group(kind: str, items: list[Listed], total: int, folded: bool, names: Iris) -> str:
    links = "".join(
        f'<li><a href="{escape(names.href(item.iri) or item.iri)}">{escape(item.label)}</a></li>'
        for item in items
    )
    if total > len(items):
        query = (
            "PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
            "SELECT DISTINCT ?thing ?label WHERE {\n  ?thing a ?kind\n"
            f'  FILTER (STRSTARTS(STR(?thing), "{names.id_space}{kind}/")'
            ' && !CONTAINS(STR(?thing), "#"))\n'
            "  OPTIONAL { ?thing rdfs:label ?label }\n}\nORDER BY ?label ?thing"
        )
        href = "/sparql#" + urlencode({"query": query}, quote_via=quote)
        links += (
            f'<li>… and {total - len(items):,} more: <a href="{escape(href)}">every one, in the '
            "SPARQL editor</a></li>"
        )
    title = f"{escape(kind)} ({total:,})"
    if folded:
        return f"<details><summary><strong>{title}</strong></summary><ul>{links}</ul></details>"
    return f"<h3>{title}</h3><ul>{links}</ul>"


@blueprint.route("/map")
def result_map() -> Response:
    """A map of the countries named by ``country`` values (IRIs of the graph, ISO 3166-1 alpha-2
    or alpha-3 codes), as an HTML fragment: the SPARQL editor shows its results' countries so."""
    marks = explorer.marks_for(publication().countries(), request.args.getlist("country"))
    if not marks:
        return answer('<p id="map-empty">No country of the graph is named.</p>', "text/html")
    return answer(figure_html(marks, iris()), "text/html")
