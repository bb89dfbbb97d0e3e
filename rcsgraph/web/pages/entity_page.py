"""The HTML page of an entity: heading, facts, links out, mentions, evidence, "cite this"."""

from collections.abc import Iterable
from html import escape
from urllib.parse import quote, urlencode

from rcsgraph import __version__
from rcsgraph.publish.describe import LICENSE
from rcsgraph.publish.entity import EntityView, Fact, Unresolved, Value
from rcsgraph.publish.evidence_view import Article, Evidence
from rcsgraph.publish.iris import EXTERNAL, Iris
from rcsgraph.publish.rdfdoc import NAMES, RDF_DOCUMENT_TYPES

STYLE = """<style>
.kind { color: var(--muted); margin: 0; }
.iri { font: 0.85rem ui-monospace, monospace; word-break: break-all; color: var(--muted); }
.facts th[scope=row], .mentions th[scope=row] { width: 32%; }
.facts td a, .mentions td a { word-break: normal; }
.facts td, .mentions td, h1 { overflow-wrap: anywhere; }
.text { white-space: pre-line; background: #fafafa; padding: 0.5rem 0.75rem; }
.external { white-space: nowrap; }
.external::after { content: " \\2197"; }
.badge { font-size: 0.75rem; border: 1px solid var(--muted); border-radius: 3px;
         padding: 0 0.3rem; color: var(--muted); margin-left: 0.3rem; }
.unresolved, .note { border-left: 4px solid #b45309; background: #fff7e6; padding: 0.5rem 1rem; }
.evidence figure { margin: 0 0 1rem; border-left: 4px solid var(--accent); padding: 0.25rem 0.75rem;
                   background: #fafafa; }
.evidence blockquote { margin: 0.25rem 0; white-space: pre-line; overflow-wrap: anywhere; }
.evidence figcaption { font-size: 0.9rem; color: var(--muted); }
.evidence h3 { font-size: 1rem; }
ul.values { margin: 0; padding-left: 1.1rem; }
mark { background: #ffe58a; color: inherit; padding: 0 0.1em; }
.cite { background: #f6f6f6; padding: 0.5rem 0.75rem; overflow-wrap: anywhere; }
sup a { text-decoration: none; }
</style>"""


def head(path: str) -> str:
    """Alternate links and the page's styles, for the document head."""
    alternates = "".join(
        f'\n<link rel="alternate" type="{media}" href="{escape(path)}.{suffix}">'
        for suffix, media in RDF_DOCUMENT_TYPES.items()
    )
    return alternates + "\n" + STYLE


def entity_html(view: EntityView, path: str, iris: Iris) -> str:
    """The body of the page of ``view``; ``path`` is the local path of its document."""
    kinds = ", ".join(_value(k) for k in view.kinds) or "thing"
    also = f"<p>Also called: {escape(', '.join(view.also_called))}</p>" if view.also_called else ""
    parts = [
        f'<h1>{escape(view.label)}</h1><p class="kind">{kinds}</p>',
        f'<p class="iri">{escape(str(view.iri))}</p>{also}',
        _unresolved(view.unresolved) if view.unresolved else "",
        _facts("Facts", view.facts, "facts"),
        _links_out(view.links_out),
        _facts("Mentioned as", view.mentions, "mentions", incoming=True),
        _left_out(view),
        _citing(view),
        _article_text(view.text),
        _evidence(view.evidence, iris),
        _cite(view),
        _formats(path),
    ]
    return "\n".join(p for p in parts if p)


def _value(value: Value) -> str:
    text = escape(value.text)
    if value.dataset:
        return (
            f'<a class="external" rel="external" href="{escape(str(value.term))}">{text}</a>'
            f'<span class="badge">{escape(value.dataset)}, external</span>'
        )
    if value.href:
        return f'<a href="{escape(value.href)}">{text}</a>'
    return text


def _refs(numbers: Iterable[int]) -> str:
    return "".join(f'<sup><a href="#evidence-{n}">[{n}]</a></sup>' for n in numbers)


def _facts(title: str, facts: tuple[Fact, ...], css: str, incoming: bool = False) -> str:
    """A table of facts, one row per property; incoming links read "<thing> <property> this"."""
    if not facts:
        return ""
    grouped: dict[str, list[Fact]] = {}
    for fact in facts:
        grouped.setdefault(fact.label, []).append(fact)
    rows = "".join(
        f'<tr><th scope="row">{escape(label)}</th><td>{_values(group)}</td></tr>'
        for label, group in grouped.items()
    )
    intro = (
        "<p>Other things link here: each row reads “<em>thing</em> <em>property</em> this”.</p>"
        if incoming
        else ""
    )
    return (
        f'<section aria-labelledby="{css}"><h2 id="{css}">{title}</h2>{intro}'
        f'<table class="{css}"><tbody>{rows}</tbody></table></section>'
    )


#: Longer lists of values are folded (the society's page lists dozens of things).
FOLD_AFTER = 6


def _values(facts: list[Fact]) -> str:
    items = [f"{_value(f.value)}{_refs(f.evidence)}" for f in facts]
    if len(items) == 1:
        return items[0]
    listed = '<ul class="values">' + "".join(f"<li>{item}</li>" for item in items) + "</ul>"
    if len(items) <= FOLD_AFTER:
        return listed
    return f"<details><summary>{len(items)} things</summary>{listed}</details>"


def _links_out(facts: tuple[Fact, ...]) -> str:
    if not facts:
        return ""
    items = "".join(f"<li>{escape(f.label)}: {_value(f.value)}</li>" for f in facts)
    homes = ", ".join(f'<a href="{home}">{name}</a>' for name, home in EXTERNAL.values())
    return (
        '<section aria-labelledby="elsewhere"><h2 id="elsewhere">Elsewhere</h2>'
        f"<ul>{items}</ul><p><small>Links out to other datasets ({homes}); they are "
        "not part of this graph.</small></p></section>"
    )


def _unresolved(unresolved: Unresolved) -> str:
    candidates = " or ".join(_value(c) for c in unresolved.candidates) or "unknown"
    return (
        '<aside class="unresolved" aria-label="unresolved mention"><strong>Unresolved '
        f"mention.</strong> The article says “{escape(unresolved.mention)}”, which may be "
        f"{candidates}. {escape(unresolved.note)}</aside>"
    )


def _left_out(view: EntityView) -> str:
    """What the page leaves out of a much-linked thing, and the query that lists it all."""
    if not view.left_out:
        return ""
    query = f"SELECT ?thing ?property WHERE {{\n  ?thing ?property <{view.iri}>\n}}"
    href = "/sparql#" + urlencode({"query": query}, quote_via=quote)
    return (
        f'<p class="note">{escape(view.left_out)} '
        f'<a href="{escape(href)}">Every link to it, in the SPARQL editor</a>.</p>'
    )


def _citing(view: EntityView) -> str:
    if not view.claims_citing:
        return ""
    return f"<p>{view.claims_citing} claims of the graph quote this as their source.</p>"


def _article_text(text: str | None) -> str:
    if text is None:
        return ""
    return (
        '<section aria-labelledby="text"><h2 id="text">The article</h2>'
        f'<details><summary>Its whole text</summary><div class="text">{escape(text)}</div>'
        "</details></section>"
    )


def _evidence(items: tuple[Evidence, ...], iris: Iris) -> str:
    """The quotes, grouped by article: each inside its paragraph, the quote marked."""
    if not items:
        return ""
    by_article: dict[str, list[Evidence]] = {}
    for item in items:
        by_article.setdefault(str(item.article.iri) if item.article else "", []).append(item)
    groups = "".join(
        f"<h3>From {_source(group[0].article, iris)}</h3>"
        + "".join(_figure(e, iris) for e in group)
        for group in by_article.values()
    )
    return (
        '<section class="evidence" aria-labelledby="evidence"><h2 id="evidence">Evidence</h2>'
        f"<p>Each numbered fact above, in the words of the article.</p>{groups}</section>"
    )


def _figure(item: Evidence, iris: Iris) -> str:
    subject, prop, value = (escape(s) for s in item.says)
    if item.passage is not None:
        p = item.passage
        quote = (
            f'{escape(p.before)}<mark data-start="{p.start}" data-end="{p.end}">'
            f"{escape(p.quote)}</mark>{escape(p.after)}"
        )
    else:
        quote = (
            f"<mark>{escape(item.exact)}</mark> <small>(the article's text is not at hand)</small>"
        )
    where = f"characters {item.start} to {item.end} · " if item.start is not None else ""
    claim = escape(iris.href(item.claim) or str(item.claim))
    return (
        f'<figure id="evidence-{item.number}"><figcaption><strong>[{item.number}]</strong> '
        f"{subject} · <em>{prop}</em> · {value}</figcaption><blockquote>{quote}</blockquote>"
        f'<figcaption>{where}<a href="{claim}">the claim</a></figcaption></figure>'
    )


def _source(article: Article | None, iris: Iris) -> str:
    if article is None:
        return "an unknown source"
    href = escape(iris.href(article.iri) or str(article.iri))
    published = f"published {article.published}" if article.published else ""
    details = ", ".join(
        x for x in (published, article.dateline and f"dateline {article.dateline}") if x
    )
    return f'<a href="{href}">{escape(article.label or "the article")}</a> ({escape(details)})'


def _cite(view: EntityView) -> str:
    articles = {e.article.iri: e.article for e in view.evidence if e.article}
    source = "; ".join(
        f"{a.label}, {a.published}{', ' + a.dateline if a.dateline else ''}"
        for a in articles.values()
    )
    tail = f" Evidence: {escape(source)}." if source else ""
    return (
        '<section aria-labelledby="cite"><h2 id="cite">Cite this</h2><p class="cite">'
        f"“{escape(view.label)}”. rcsgraph {escape(__version__)}, "
        f"<code>{escape(str(view.iri))}</code>.{tail}</p></section>"
    )


def _formats(path: str) -> str:
    links = " · ".join(
        f'<a href="{escape(path)}.{suffix}" type="{media}">{NAMES[suffix]}</a>'
        for suffix, media in RDF_DOCUMENT_TYPES.items()
    )
    licence = f'<a rel="license" href="{LICENSE}">CC BY 4.0</a>'
    return f"<p>This description as {links}; licence {licence}.</p>"
