"""Every page works offline: no script, style, font, image or frame from another host.

A crawler follows the local links of the whole site from ``/`` and checks each HTML page's
fetchable references (``src``, ``srcset``, ``<link href>``, ``<object data>``, CSS ``url()`` and
``@import``). Links people click (``<a href>``, to Wikidata, GeoNames, licences) are fine.
Then a real headless Chromium (when installed) loads pages at phone width (375 px), records
every request it makes, and measures that nothing is wider than the screen.
"""

import re
from collections import deque
from collections.abc import Iterator
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from browser import Logged, chromium
from endpoint_server import Endpoint, serving

#: Attributes that make a browser fetch something, by tag (``*``: any tag).
FETCHED = {
    "script": ("src",),
    "link": ("href",),
    "img": ("src", "srcset"),
    "source": ("src", "srcset"),
    "video": ("src", "poster"),
    "audio": ("src",),
    "track": ("src",),
    "iframe": ("src",),
    "frame": ("src",),
    "embed": ("src",),
    "object": ("data",),
    "input": ("src",),
    "image": ("href", "xlink:href"),
    "use": ("href", "xlink:href"),
}
CSS_URL = re.compile(r"""url\(\s*['"]?([^'")\s]+)|@import\s+['"]([^'"]+)""", re.I)
#: Not pages: data files the crawler need not open.
DATA_SUFFIXES = (".ttl", ".jsonld", ".nt", ".rdf", ".trig", ".csv", ".tsv", ".json", ".xml")


class References(HTMLParser):
    """Fetchable references and followable links of one HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.fetched: list[str] = []
        self.links: list[str] = []
        self.in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        for name in FETCHED.get(tag, ()):
            if values.get(name):
                self.fetched += [
                    part.split()[0] for part in values[name].split(",") if part.strip()
                ]
        if values.get("style"):
            self.fetched += _css_urls(values["style"])
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        self.in_style = tag == "style"

    def handle_endtag(self, tag: str) -> None:
        self.in_style = False

    def handle_data(self, data: str) -> None:
        if self.in_style:
            self.fetched += _css_urls(data)


def _css_urls(css: str) -> list[str]:
    return [a or b for a, b in CSS_URL.findall(css)]


def foreign(html: str, own: str) -> list[str]:
    """The references of ``html`` that a browser would fetch from a host other than ``own``."""
    parser = References()
    parser.feed(html)
    return [
        ref
        for ref in parser.fetched
        if urlsplit(urljoin(f"http://{own}/", ref)).netloc not in ("", own)
    ]


def test_the_checker_catches_every_kind_of_foreign_reference() -> None:
    page = """<html><head><script src="https://cdn.example/x.js"></script>
    <link rel="stylesheet" href="//fonts.example/css"><style>@import "https://x.example/a.css";
    body { background: url('http://img.example/bg.png') }</style></head><body>
    <img srcset="/local.png 1x, https://img.example/2x.png 2x"><iframe src="https://tiles.example/"></iframe>
    <div style="background:url(https://img.example/d.png)"></div>
    <a href="http://www.wikidata.org/entity/Q794">fine: a link people click</a>
    <img src="/static/ok.png"><script src="http://127.0.0.1:5000/own.js"></script></body></html>"""
    assert foreign(page, "127.0.0.1:5000") == [
        "https://cdn.example/x.js",
        "//fonts.example/css",
        "https://x.example/a.css",
        "http://img.example/bg.png",
        "https://img.example/2x.png",
        "https://tiles.example/",
        "https://img.example/d.png",
    ]


@pytest.fixture(scope="module")
def server() -> Iterator[Endpoint]:
    with serving(workers=1) as endpoint:
        yield endpoint


def crawl(server: Endpoint, start: list[str], limit: int = 800) -> dict[str, str]:
    """Every HTML page reachable from ``start`` by local links: path -> HTML."""
    seen, pages = set(start), {}
    queue = deque(start)
    while queue and len(pages) < limit:
        path = queue.popleft()
        reply = server.call("GET", path, headers={"Accept": "text/html"})
        if reply.media_type != "text/html":
            continue
        pages[path] = reply.text
        parser = References()
        parser.feed(reply.text)
        for href in parser.links:
            parts = urlsplit(urljoin("http://local" + path, href))
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            local = parts.netloc == "local" and not parts.path.endswith(DATA_SUFFIXES)
            if local and not parts.path.startswith("/dumps/rcsgraph") and target not in seen:
                seen.add(target)
                queue.append(target)
    return pages


def test_no_page_fetches_from_another_host(server: Endpoint) -> None:
    own = urlsplit(server.url).netloc
    start = ["/", "/queries", "/sparql", "/ontology", "/dataset", "/dumps/", "/doc/nothing/here"]
    pages = crawl(server, start)
    assert len(pages) > 250  # home, every entity and claim, queries, ontology, dataset, 404
    for kind in ("/doc/society/", "/doc/claim/", "/queries/", "/doc/nothing/here"):
        assert any(p.startswith(kind) for p in pages), kind
    offending = {path: found for path, html in pages.items() if (found := foreign(html, own))}
    assert offending == {}


PHONE_PAGES = [
    "/",
    "/doc/society/iranian-red-crescent-society",
    "/doc/country/congo",
    "/doc/country/irn",
    "/doc/article/2022-09-18-tehran-iran-iraq-red-crescent",
    "/doc/claim/society-iranian-red-crescent-society.founded.1922",
    "/doc/nothing/here",
    "/ontology",
    "/dataset",
    "/dumps/",
    "/sparql",
    "/queries/facility-countries",
]


def test_pages_in_a_real_browser_at_phone_width(server: Endpoint) -> None:
    """Chromium at 375 px: no request leaves the server, nothing is wider than the screen."""
    root = server.url.rsplit("/", 1)[0]
    own = urlsplit(root).netloc
    with chromium() as browser:
        phone = Logged(browser, width=375)
        try:
            page = phone.context.new_page()
            for path in PHONE_PAGES:
                phone.requested.clear()
                page.goto(root + path)
                requests = phone.requested
                assert requests and all(urlsplit(u).netloc == own for u in requests), (
                    path,
                    requests,
                )
                width = page.evaluate("document.documentElement.scrollWidth")
                assert width <= 375, (path, width)
        finally:
            phone.close()
