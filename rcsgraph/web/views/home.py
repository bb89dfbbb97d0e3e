"""``/``: what the graph is and where it comes from, its figures, map and timeline, then every
thing by kind."""

from html import escape

from flask import Blueprint, Response, request

from rcsgraph.publish import explorer
from rcsgraph.publish.describe import Listed, things
from rcsgraph.publish.iris import Iris
from rcsgraph.web.negotiation import answer
from rcsgraph.web.pages.explorer_page import (
    STYLE,
    entry_points_html,
    figure_html,
    figures_html,
    map_html,
    timeline_html,
)
from rcsgraph.web.pages.shell import page
from rcsgraph.web.views.linked_data import iris
from rcsgraph.web.views.sparql import endpoint

blueprint = Blueprint("home", __name__)

#: Kinds listed last and folded away: the machinery of evidence, not things people look up.
FOLDED = {"claim"}
#: Most things listed on the home page; beyond, the page says how many more there are.
LIMIT = 2000


@blueprint.route("/")
def home() -> Response:
    """What the graph is, its figures, map and timeline, then every thing by kind."""
    names = iris()
    listed = things(endpoint(), names.id_space, limit=LIMIT)
    kinds: dict[str, list[Listed]] = {}
    for item in listed:
        rest = names.rest(item.iri)
        if rest is not None and "#" not in item.iri:
            kinds.setdefault(rest.split("/", 1)[0], []).append(item)
    groups = "".join(
        _group(kind, sorted(items, key=lambda i: i.label.lower()), kind in FOLDED, names)
        for kind, items in sorted(kinds.items(), key=lambda k: (k[0] in FOLDED, k[0]))
    )
    more = f"<p>Only the first {LIMIT} things are listed.</p>" if len(listed) >= LIMIT else ""
    served = endpoint()
    body = (
        "<h1>rcsgraph</h1><p>A knowledge graph of one news article (2022-09-18, dateline "
        "Tehran) on the Red Crescent societies of Iran and Iraq: the Iranian society's "
        "founding, facilities abroad, missions and awards, and the meeting of the two "
        "societies' presidents in Najaf. Every fact shows the sentence of the article it "
        "comes from.</p>"
        + entry_points_html()
        + figures_html(explorer.figures(served))
        + map_html(explorer.countries(served), names)
        + timeline_html(explorer.timeline(served), names)
        + f'<section aria-labelledby="kinds"><h2 id="kinds">Everything, by kind</h2>{groups}'
        f"{more}</section>"
    )
    return answer(page("Home", body, head=STYLE), "text/html")


def _group(kind: str, items: list[Listed], folded: bool, names: Iris) -> str:
    links = "".join(
        f'<li><a href="{escape(names.href(item.iri) or item.iri)}">{escape(item.label)}</a></li>'
        for item in items
    )
    title = f"{escape(kind)} ({len(items)})"
    if folded:
        return f"<details><summary><strong>{title}</strong></summary><ul>{links}</ul></details>"
    return f"<h3>{title}</h3><ul>{links}</ul>"


@blueprint.route("/map")
def result_map() -> Response:
    """A map of the countries named by ``country`` values (IRIs of the graph, ISO 3166-1 alpha-2
    or alpha-3 codes), as an HTML fragment: the SPARQL editor shows its results' countries so."""
    marks = explorer.marks_for(endpoint(), request.args.getlist("country"))
    if not marks:
        return answer('<p id="map-empty">No country of the graph is named.</p>', "text/html")
    return answer(figure_html(marks, iris()), "text/html")
