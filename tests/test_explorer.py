"""The explorer: home page (figures, world map, timeline), catalogue forms and the SPARQL editor,
checked in a real headless Chromium against a live server; the map drawing without a browser.

The browser tests skip when Chromium is absent; the map assertions skip when the world-atlas
geometries have not been built (``make`` builds them), except in CI, where that is a failure.
"""

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

import pytest
import waitress
from browser import Chromium, chromium_or_skip

from rcsgraph.web import create_app, worldmap
from rcsgraph.web.worldmap import Mark

WAIT_S = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def geometries_or_skip() -> dict[str, tuple[str, str]]:
    drawn = worldmap.shapes()
    if drawn is None:
        message = f"{worldmap.GEOMETRIES} is absent: run make (npm ci + rcsgraph.web.assets)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    return drawn


# -- the map drawing, without a browser ----------------------------------------------------------

TOPOLOGY: dict[str, Any] = {
    "type": "Topology",
    "transform": {"scale": [1, 1], "translate": [0, 0]},
    "arcs": [[[0, 0], [10, 0], [0, 10]], [[10, 10], [-10, 0], [0, -10]]],
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "id": "004", "properties": {"name": "A"}},
                {"type": "Polygon", "arcs": [[~1, ~0]], "id": "010"},
            ],
        }
    },
}


def test_topojson_arcs_are_decoded_and_projected() -> None:
    shapes = worldmap.shapes_from(TOPOLOGY)
    assert list(shapes) == ["004"]  # Antarctica is left out
    name, path = shapes["004"]
    scale = worldmap.SCALE
    corners = [(0, 0), (10, 0), (10, 10), (0, 10)]
    expected = "L".join(
        f"{(x + 180) * scale:.1f},{(worldmap.NORTH - y) * scale:.1f}" for x, y in corners
    )
    assert (name, path) == ("A", f"M{expected}Z")


def test_the_svg_marks_links_and_hatches_an_ambiguous_mention() -> None:
    drawn = {"178": ("Congo", "M0,0Z"), "180": ("DR Congo", "M1,1Z"), "004": ("Afg", "M2,2Z")}
    marks = [
        Mark(("178", "180"), "/doc/country/congo", "Congo", ("facility",), ambiguous=True),
        Mark(("004",), "/doc/country/afg", "Afghanistan", ("facility", "mission")),
        Mark(("999",), "/doc/country/tiny", "Tiny", ("mission",)),
    ]
    svg = worldmap.svg(marks, drawn)
    assert svg.count('data-roles="facility') == 2
    assert '<a href="/doc/country/congo" class="mark ambiguous"' in svg
    assert worldmap.missing(marks, drawn) == [marks[2]]


def test_the_home_page_says_when_the_map_is_unavailable(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(worldmap, "shapes", lambda: None)
    app = create_app({"workers": 1})
    try:
        page = app.test_client().get("/", headers={"Accept": "text/html"}).get_data(as_text=True)
    finally:
        app.extensions["rcsgraph"].pool.close()
    assert 'id="map-unavailable"' in page and "<svg" not in page
    assert "Congo</a>: facility (ambiguous mention)" in page  # the list still says where


# -- in a real browser ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    app = create_app({"workers": 1})
    port = free_port()
    server = waitress.create_server(app, host="127.0.0.1", port=port, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{port}"
    server.close()
    app.extensions["rcsgraph"].pool.close()


class Page:
    """One Chromium tab: load, evaluate, wait; every URL it requested is kept."""

    def __init__(self, browser: Chromium) -> None:
        self.browser = browser
        self.requested: list[str] = []

    def _collect(self) -> None:
        self.requested += [
            e["params"]["request"]["url"]
            for e in self.browser.events
            if e.get("method") == "Network.requestWillBeSent"
        ]
        self.browser.events.clear()

    def load(self, url: str) -> None:
        self._collect()
        self.browser.visit(url)

    def js(self, expression: str) -> Any:
        found = self.browser.send(
            "Runtime.evaluate",
            session=self.browser.session,
            expression=expression,
            returnByValue=True,
            awaitPromise=True,
        )
        if "exceptionDetails" in found:
            raise AssertionError(found["exceptionDetails"])
        self._collect()
        return found["result"].get("value")

    def wait(self, expression: str) -> Any:
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            value = self.js(expression)
            if value:
                return value
            time.sleep(0.1)
        raise TimeoutError(expression)

    def navigate_by(self, expression: str) -> None:
        """Run ``expression`` (a click that leaves the page) and wait for the next page."""
        self._collect()
        self.js(expression)
        self.browser.wait_for("Page.loadEventFired")


@pytest.fixture(scope="module")
def tab(base: str) -> Iterator[Page]:
    binary = chromium_or_skip()
    with Chromium(binary, width=1200) as browser:
        yield Page(browser)


def test_the_home_page_maps_the_thirteen_facility_countries(tab: Page, base: str) -> None:
    geometries_or_skip()
    tab.load(base + "/")
    facilities = tab.js("document.querySelectorAll('svg.worldmap a[data-roles~=facility]').length")
    assert facilities == 13
    congo = tab.js(
        "[...document.querySelectorAll('svg.worldmap a.ambiguous')]"
        ".map(a => [a.getAttribute('href'), a.querySelectorAll('path').length])"
    )
    assert congo == [["/doc/country/congo", 2]]  # both candidates, hatched
    meeting = tab.js(
        "document.querySelector('svg.worldmap a[data-role=meeting]').getAttribute('href')"
    )
    assert meeting == "/doc/country/irq"
    assert tab.js("document.querySelectorAll('svg.worldmap a[data-roles~=mission]').length") >= 5


def test_the_home_page_shows_figures_and_the_timeline(tab: Page, base: str) -> None:
    tab.load(base + "/")
    years = tab.js("[...document.querySelectorAll('.timeline time')].map(t => t.textContent)")
    assert years[0] == "1922" and "2005" in years and years[-2:] == ["2022-09-17", "2022-09-18"]
    figures = tab.js(
        "Object.fromEntries([...document.querySelectorAll('.figures div')]"
        ".map(d => [d.querySelector('dt').textContent, d.querySelector('dd').textContent]))"
    )
    assert figures["facilities"] == "13" and figures["claims"] == "158"
    links = tab.js("[...document.querySelectorAll('nav.entry a, .entry a')].map(a => a.pathname)")
    assert {"/queries", "/sparql", "/dumps/", "/ontology"} <= set(links)


def test_running_a_catalogue_form_shows_its_rows(tab: Page, base: str) -> None:
    tab.load(base + "/queries/facility-countries")
    tab.navigate_by("document.querySelector('main form button[type=submit]').click()")
    assert tab.js("location.search").startswith("?society=")
    rows = tab.wait("document.querySelectorAll('section[aria-label=results] tbody tr').length")
    assert rows == 13


def test_the_editor_runs_a_typed_query(tab: Page, base: str) -> None:
    tab.load(base + "/sparql")
    tab.js("document.getElementById('query').focus(); document.getElementById('query').select()")
    query = (
        "PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>\n"
        "SELECT ?facility WHERE { ?facility a rcs:Facility } ORDER BY ?facility"
    )
    tab.browser.send("Input.insertText", session=tab.browser.session, text=query)
    tab.js("document.querySelector('#editor button[type=submit]').click()")
    rows = tab.wait("document.querySelectorAll('#result-table tbody tr').length")
    assert rows == 13
    assert tab.js("document.getElementById('status').textContent") == "13 rows"
    first = tab.js("document.querySelector('#result-table tbody a').getAttribute('href')")
    assert first.startswith("/doc/facility/")
    downloads = tab.js("[...document.querySelectorAll('#downloads a')].map(a => a.textContent)")
    assert downloads == ["json", "csv", "tsv", "xml"]
    share = tab.js("document.getElementById('share-link').getAttribute('href')")
    tab.load("about:blank")  # else only the fragment would change: no new page load
    tab.load(base + share)  # the shareable URL runs the query again
    assert tab.wait("document.querySelectorAll('#result-table tbody tr').length") == 13


def test_the_editor_offers_the_catalogue_as_examples(tab: Page, base: str) -> None:
    tab.load(base + "/sparql")
    tab.js(
        "const s = document.getElementById('examples'); s.value = 'timeline';"
        "s.dispatchEvent(new Event('change'))"
    )
    assert "rcs:AwardConferral" in tab.js("document.getElementById('query').value")
    tab.js("document.querySelector('#editor button[type=submit]').click()")
    assert tab.wait("document.querySelectorAll('#result-table tbody tr').length") == 5
    text = tab.js("document.getElementById('result-table').textContent")
    assert json.dumps("1922")[1:-1] in text


def test_no_request_leaves_the_server(tab: Page, base: str) -> None:
    page = Page(tab.browser)  # a fresh log
    page.load(base + "/")
    page.load(base + "/queries/facility-countries")
    page.load(base + "/sparql")
    page.js("document.querySelector('#editor button[type=submit]').click()")
    page.wait("document.querySelectorAll('#result-table tbody tr').length")
    page.load("about:blank")
    own = urlsplit(base).netloc
    assert base + "/static/editor.js" in page.requested
    assert any(u.startswith(base + "/sparql?query=") for u in page.requested)  # the fetch
    foreign = [u for u in page.requested if urlsplit(u).netloc != own and u != "about:blank"]
    assert foreign == []
