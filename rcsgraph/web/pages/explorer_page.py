"""The home page's explorer sections as HTML: key figures, the world map, the timeline."""

from html import escape

from rcsgraph.publish.articles import Articles, in_brief
from rcsgraph.publish.explorer import Event, Mark, Meeting
from rcsgraph.publish.iris import Iris
from rcsgraph.web.pages import worldmap

#: What each role means on the map, in legend order (``legend_of`` names the meeting when the
#: graph holds just one).
LEGEND = {
    "facility": "a facility of the Iranian Red Crescent Society",
    "mission": "helped by one of its international missions",
    "meeting": "place of a meeting",
    "home": "the society's home country",
    "ambiguous": 'a facility in "Congo": the article does not say which, so both candidates '
    "(Republic of the Congo, Democratic Republic of the Congo) are hatched",
}
#: The legend of a map of query results.
RESULT_LEGEND = {
    "result": "a country in the results",
    "ambiguous": 'an ambiguous mention (such as "Congo"): every candidate is hatched',
}

STYLE = """<style>
.figures { display: grid; grid-template-columns: repeat(auto-fill, minmax(8rem, 1fr));
           gap: 0.5rem; padding: 0; margin: 1rem 0; }
.figures div { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem; }
.figures dt { color: var(--muted); font-size: 0.9rem; }
.figures dd { margin: 0; font-size: 1.6rem; font-weight: 700; }
figure { margin: 0; }
.worldmap { width: 100%; height: auto; background: #eef4fa; border-radius: 6px; }
.worldmap .land path { fill: #d4d4d4; stroke: #fff; stroke-width: 0.4; }
.worldmap .mark path { stroke: #1d1d1f; stroke-width: 0.6; }
.worldmap .mark:hover path, .worldmap .mark:focus path { stroke-width: 2; }
.facility path, .swatch.facility { fill: #b3001b; background: #b3001b; }
.mission path, .swatch.mission { fill: #0b57a4; background: #0b57a4; }
.meeting path, .swatch.meeting { fill: #1a7f37; background: #1a7f37; }
.home path, .swatch.home { fill: #e0a100; background: #e0a100; }
.result path, .swatch.result { fill: #6a1b9a; background: #6a1b9a; }
.ambiguous path { fill: url(#hatch); }
.swatch.ambiguous { background: repeating-linear-gradient(45deg, #b3001b 0 3px, #f2b8c0 3px 6px); }
.swatch { display: inline-block; width: 1rem; height: 1rem; vertical-align: middle;
          border: 1px solid #1d1d1f; margin-right: 0.4rem; }
.legend { list-style: none; padding: 0; }
.timeline { list-style: none; padding: 0 0 0 1rem; border-left: 3px solid var(--accent); }
.timeline li { margin: 0 0 0.75rem; position: relative; }
.timeline li::before { content: ""; position: absolute; left: -1.45rem; top: 0.45rem;
                       width: 0.7rem; height: 0.7rem; border-radius: 50%;
                       background: var(--accent); }
.timeline time { font-weight: 700; display: block; }
.entry { display: flex; flex-wrap: wrap; gap: 0.5rem; padding: 0; list-style: none; }
.entry a { display: inline-block; border: 1px solid var(--line); border-radius: 6px;
           padding: 0.4rem 0.8rem; }
</style>"""


def intro_html(articles: Articles | None, names: Iris) -> str:
    """What the graph is made from: how many articles, of which dates; the article's date,
    dateline and title (a link to its page) when there is one."""
    if articles is not None and articles.count == 0:
        return "<p>A knowledge graph of news articles: it holds none yet.</p>"
    said = f"A knowledge graph of {escape(in_brief(articles))}"
    only = articles.only if articles is not None else None
    if only is not None and only.label:
        href = names.href(only.iri) or only.iri
        said += f', “<a href="{escape(href)}">{escape(only.label)}</a>”'
    return f"<p>{said}. Every fact shows the sentence of the article it comes from.</p>"


def figures_html(counts: dict[str, int]) -> str:
    """The key figures as a description list."""
    names = {"awards": "recognitions (awards)"}
    items = "".join(
        f"<div><dt>{escape(names.get(name, name))}</dt><dd>{value}</dd></div>"
        for name, value in counts.items()
    )
    return f'<dl class="figures" aria-label="key figures">{items}</dl>'


def map_html(marks: list[Mark], names: Iris, meeting: Meeting | None = None) -> str:
    """The home page's map (or a notice that it is unavailable), its legend, and the same as a
    list."""
    return (
        '<section aria-labelledby="map-heading"><h2 id="map-heading">Where</h2>'
        + figure_html(marks, names, legend_of(meeting))
        + "</section>"
    )


def legend_of(meeting: Meeting | None) -> dict[str, str]:
    """The home page map's legend: ``LEGEND``, naming the ``meeting`` (the graph's only one)."""
    if meeting is None:
        return LEGEND
    when = f"{meeting.date} " if meeting.date else ""
    where = f" ({meeting.place})" if meeting.place else ""
    return {**LEGEND, "meeting": f"place of the {when}meeting{where}"}


def figure_html(marks: list[Mark], names: Iris, legend: dict[str, str] = RESULT_LEGEND) -> str:
    """A map of ``marks`` with its legend, then the countries as a list (links to their pages)."""
    local = [
        Mark(m.codes, names.href(m.href) or m.href, m.label, m.roles, m.ambiguous) for m in marks
    ]
    drawn = worldmap.shapes()
    if drawn is None:
        picture = (
            '<p class="notice" id="map-unavailable">The map is unavailable: the country '
            "geometries have not been built (<code>make</code> runs <code>npm ci</code> and "
            "<code>python -m rcsgraph.web.assets</code>). The countries are listed below.</p>"
        )
    else:
        picture = worldmap.svg(local, drawn)
        absent = worldmap.missing(local, drawn)
        if absent:
            picture += (
                "<p>Not drawn at this scale: "
                + ", ".join(escape(m.label) for m in absent)
                + ".</p>"
            )
    used = {"ambiguous" if m.ambiguous else m.roles[0] for m in local}
    keys = "".join(
        f'<li><span class="swatch {role}"></span>{escape(text)}</li>'
        for role, text in legend.items()
        if role in used
    )
    several = (
        "A country with several roles takes the colour of the first of: meeting, facility, mission."
        if "meeting" in legend
        else ""
    )
    listing = "".join(
        f'<li><a href="{escape(m.href)}">{escape(m.label)}</a>'
        f"{': ' + ', '.join(m.roles) if m.roles != ('result',) else ''}"
        f"{' (ambiguous mention)' if m.ambiguous else ''}</li>"
        for m in local
    )
    return (
        f'<figure>{picture}<figcaption><ul class="legend">{keys}</ul>{several}</figcaption>'
        f"</figure><details><summary>The countries as a list</summary><ul>{listing}</ul>"
        "</details>"
    )


def timeline_html(events: list[Event], names: Iris) -> str:
    """The dated events, oldest first."""
    items = "".join(
        f'<li><time datetime="{escape(e.date)}">{escape(e.date)}</time>'
        f'<a href="{escape(names.href(e.iri) or e.iri)}">{escape(e.label)}</a></li>'
        for e in events
    )
    return (
        '<section aria-labelledby="timeline-heading"><h2 id="timeline-heading">When</h2>'
        f'<ol class="timeline">{items}</ol></section>'
    )


ENTRY_POINTS = (
    ("/queries", "Query catalogue"),
    ("/sparql", "SPARQL editor"),
    ("/dumps/", "Downloads (dumps)"),
    ("/ontology", "Ontology"),
    ("/dataset", "Dataset description"),
)


def entry_points_html(featured: tuple[str, str] | None = None) -> str:
    """The ways into the graph; ``featured`` (path, label), a thing to start from first, when
    the graph holds it."""
    points = ((escape(featured[0]), escape(featured[1])),) if featured else ()
    links = "".join(
        f'<li><a href="{href}">{text}</a></li>' for href, text in (*points, *ENTRY_POINTS)
    )
    return f'<nav aria-label="entry points"><ul class="entry">{links}</ul></nav>'
