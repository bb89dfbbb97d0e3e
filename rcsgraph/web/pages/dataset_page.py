"""The HTML page of the dataset description: figures, partitions, linksets, dumps, endpoint."""

from collections.abc import Mapping
from html import escape

from rdflib import URIRef

from rcsgraph.publish.articles import Articles, in_brief
from rcsgraph.publish.describe import LICENSE
from rcsgraph.publish.dumps import TITLES, Dump
from rcsgraph.publish.iris import EXTERNAL, Iris
from rcsgraph.publish.rdfdoc import NAMES, RDF_DOCUMENT_TYPES
from rcsgraph.publish.void import Figures, Where


def dataset_html(
    figures: Figures,
    dumps: tuple[Dump, ...],
    where: Where,
    labels: Mapping[URIRef, str],
    articles: Articles | None = None,
) -> str:
    """The body of ``/dataset`` (a dataset made of ``articles``, when known)."""
    iris = Iris(where.base)
    formats = " · ".join(
        f'<a href="/dataset.{suffix}">{NAMES[suffix]}</a>' for suffix in RDF_DOCUMENT_TYPES
    )
    return "\n".join(
        [
            "<h1>The rcsgraph dataset</h1>",
            f"<p>The facts of {escape(in_brief(articles))}, each with the quote it comes from, "
            "and links to Wikidata and GeoNames. Licence: "
            f'<a rel="license" href="{LICENSE}">CC BY 4.0</a>. '
            'Query it at the <a href="/sparql">SPARQL endpoint</a>.</p>',
            _figures(figures),
            _dumps(dumps),
            _linksets(figures),
            _partition("Classes", "instances", figures.classes, labels, iris),
            _partition("Properties", "triples", figures.predicates, labels, iris),
            _partition("Named graphs", "triples", figures.graphs, labels, iris),
            f"<p>This description (VoID and DCAT) as {formats}; also at "
            '<a href="/.well-known/void">/.well-known/void</a>.</p>',
        ]
    )


def _figures(figures: Figures) -> str:
    rows = "".join(
        f'<tr><th scope="row">{name}</th><td>{value:,}</td></tr>'
        for name, value in (
            ("triples", figures.triples),
            ("things (under the id/ space)", figures.entities),
            ("distinct subjects", figures.subjects),
            ("properties", figures.properties),
            ("distinct objects", figures.objects),
            ("classes", len(figures.classes)),
        )
    )
    return f"<h2>In figures</h2><table><tbody>{rows}</tbody></table>"


def _dumps(dumps: tuple[Dump, ...]) -> str:
    rows = "".join(
        f'<tr><td><a href="/dumps/{d.name}">{d.name}</a></td><td>{TITLES[d.format]}</td>'
        f'<td>{d.size:,}</td><td><code style="overflow-wrap:anywhere">{d.sha256}</code></td></tr>'
        for d in dumps
    )
    return (
        '<h2>Dumps</h2><table><thead><tr><th scope="col">file</th><th scope="col">format</th>'
        '<th scope="col">bytes</th><th scope="col">SHA-256</th></tr></thead>'
        f'<tbody>{rows}</tbody></table><p><a href="/dumps/SHA256SUMS">SHA256SUMS</a> · '
        'JSON-LD context: <a href="/context.jsonld">/context.jsonld</a></p>'
    )


def _linksets(figures: Figures) -> str:
    rows = "".join(
        f"<tr><td>{escape(EXTERNAL[space][0])}</td><td><code>{escape(str(p))}</code></td>"
        f"<td>{n:,}</td></tr>"
        for (space, p), n in sorted(figures.links.items())
    )
    return (
        '<h2>Links out</h2><table><thead><tr><th scope="col">to</th><th scope="col">by</th>'
        f'<th scope="col">links</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def _partition(
    title: str, unit: str, counts: Mapping[URIRef, int], labels: Mapping[URIRef, str], iris: Iris
) -> str:
    rows = "".join(
        f"<tr><td>{_term(term, labels, iris)}</td><td>{n:,}</td></tr>" for term, n in counts.items()
    )
    return (
        f"<details><summary><strong>{title}</strong> ({len(counts)})</summary><table><thead><tr>"
        f'<th scope="col">{title.lower()[:-1]}</th><th scope="col">{unit}</th></tr></thead>'
        f"<tbody>{rows}</tbody></table></details>"
    )


def _term(term: URIRef, labels: Mapping[URIRef, str], iris: Iris) -> str:
    code = f"<code>{escape(str(term))}</code>"
    href = iris.href(str(term))
    label = labels.get(term)
    if href:
        return f'<a href="{escape(href)}">{escape(label or str(term))}</a> {code}'
    return f"{escape(label)} {code}" if label else code
