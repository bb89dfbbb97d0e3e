"""``/``: what the graph describes, by kind, and where to go from here."""

from html import escape

from flask import Blueprint, Response

from rcsgraph.describe import Listed, things
from rcsgraph.iris import Iris
from rcsgraph.web.linked_data import iris
from rcsgraph.web.negotiation import answer
from rcsgraph.web.pages import page
from rcsgraph.web.sparql import endpoint

blueprint = Blueprint("home", __name__)

#: Kinds listed last and folded away: the machinery of evidence, not things people look up.
FOLDED = {"claim"}
#: Most things listed on the home page; beyond, the page says how many more there are.
LIMIT = 2000


@blueprint.route("/")
def home() -> Response:
    """Every thing of the graph, grouped by the kind in its IRI."""
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
    body = (
        "<h1>rcsgraph</h1><p>A knowledge graph of one news article (2022-09-18, dateline "
        "Tehran) on the Red Crescent societies of Iran and Iraq. Every fact shows the sentence "
        'of the article it comes from. Start with the <a href="/doc/society/'
        'iranian-red-crescent-society">Iranian Red Crescent Society</a>, ask the '
        '<a href="/queries">query catalogue</a> or the <a href="/sparql">SPARQL endpoint</a>, '
        'read the <a href="/ontology">ontology</a>, or download the '
        f'<a href="/dataset">dataset</a>.</p>{groups}{more}'
    )
    return answer(page("Home", body), "text/html")


def _group(kind: str, items: list[Listed], folded: bool, names: Iris) -> str:
    links = "".join(
        f'<li><a href="{escape(names.href(item.iri) or item.iri)}">{escape(item.label)}</a></li>'
        for item in items
    )
    title = f"{escape(kind)} ({len(items)})"
    if folded:
        return f"<details><summary><strong>{title}</strong></summary><ul>{links}</ul></details>"
    return f"<h2>{title}</h2><ul>{links}</ul>"
