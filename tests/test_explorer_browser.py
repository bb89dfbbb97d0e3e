"""The explorer in a real browser (Playwright driving Debian's Chromium) against a live server
bound to 127.0.0.1: the home page's map and timeline, a catalogue form, the SPARQL editor
(typed into CodeMirror, by keyboard, and without JavaScript), and no request to another host.
Screenshots of the home page, an entity page and the editor go to ``var/screenshots/``.

Skips when ``/usr/bin/chromium`` is absent; the map assertions need the world-atlas build.
"""

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

import pytest
from browser import SCREENSHOTS, Logged, chromium
from endpoint_server import serving
from playwright.sync_api import Browser, Page, expect
from test_explorer import geometries_or_skip
from test_real_clients import LONG_ACCEPT

FACILITIES = (
    "PREFIX rcs: <https://w3id.org/rcsgraph/ontology#>\n"
    "SELECT ?facility ?country WHERE { ?facility a rcs:Facility ; rcs:locatedIn ?country }\n"
    "ORDER BY ?facility"
)


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    with serving(workers=1, threads=4) as endpoint:
        yield endpoint.url.removesuffix("/sparql")


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    with chromium() as found:
        yield found


@pytest.fixture()
def logged(browser: Browser) -> Iterator[Logged]:
    context = Logged(browser)
    yield context
    context.close()


@pytest.fixture()
def page(logged: Logged) -> Page:
    return logged.context.new_page()


def type_query(page: Page, query: str) -> None:
    """Replace the editor's text by typing ``query`` into CodeMirror, key by key."""
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    for line in query.split("\n"):
        page.keyboard.type(line)
        page.keyboard.press("Enter")


def test_the_home_page_maps_the_thirteen_facility_countries(page: Page, base: str) -> None:
    geometries_or_skip()
    page.goto(base + "/")
    facilities = page.locator("svg.worldmap a[data-roles~=facility]")
    expect(facilities).to_have_count(13)
    congo = page.locator("svg.worldmap a.ambiguous")
    expect(congo).to_have_attribute("href", "/doc/country/congo")
    expect(congo.locator("path")).to_have_count(2)  # both candidates, hatched
    meeting = page.locator("svg.worldmap a[data-role=meeting]")
    expect(meeting).to_have_attribute("href", "/doc/country/irq")
    assert page.locator("svg.worldmap a[data-roles~=mission]").count() >= 5
    page.screenshot(path=_screenshot("home.png"))


def test_the_home_page_shows_figures_and_the_timeline(page: Page, base: str) -> None:
    page.goto(base + "/")
    years = page.locator(".timeline time").all_text_contents()
    assert years[0] == "1922" and "2005" in years
    assert years[-2:] == ["2022-09-17", "2022-09-18"]
    figures = dict(
        zip(
            page.locator(".figures dt").all_text_contents(),
            page.locator(".figures dd").all_text_contents(),
            strict=True,
        )
    )
    assert figures["facilities"] == "13" and figures["claims"] == "158"
    links = page.locator(".entry a").evaluate_all("links => links.map(a => a.pathname)")
    assert {"/queries", "/sparql", "/dumps/", "/ontology"} <= set(links)


def test_running_a_catalogue_form_shows_its_rows_and_map(page: Page, base: str) -> None:
    geometries_or_skip()
    page.goto(base + "/queries/facility-countries")
    society = page.get_by_label("society")
    options = page.locator("#society-suggestions option")
    expect(options).to_have_count(2)
    society.fill(options.first.get_attribute("value") or "")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**/queries/facility-countries?society=*")
    expect(page.locator("section[aria-label=results] tbody tr")).to_have_count(13)
    expect(page.locator("svg.worldmap a.mark")).to_have_count(13)
    expect(page.locator("section[aria-label=results] tbody a").first).not_to_have_text("https://")


def test_a_catalogue_enum_is_chosen_from_a_select(page: Page, base: str) -> None:
    page.goto(base + "/queries/countries-in-region")
    page.get_by_label("region").select_option("Asia")
    page.get_by_role("button", name="Run").click()
    page.wait_for_url("**region=Asia")
    expect(page.get_by_label("region")).to_have_value("Asia")
    assert page.locator("section[aria-label=results] tbody tr").count() > 0


def test_the_editor_highlights_and_runs_a_typed_query(page: Page, base: str) -> None:
    page.goto(base + "/sparql")
    type_query(page, FACILITIES)
    expect(page.locator(".CodeMirror .cm-keyword").first).to_be_visible()  # highlighted
    expect(page.locator(".CodeMirror .cm-variable-2").first).to_have_text("?facility")
    page.get_by_role("button", name="Run").click()
    rows = page.locator("#result-table tbody tr")
    expect(rows).to_have_count(13)
    expect(page.locator("#status")).to_have_text("13 rows")
    first = page.locator("#result-table tbody a").first
    assert (first.get_attribute("href") or "").startswith("/doc/facility/")
    assert not first.inner_text().startswith(("https:", "id:"))  # a label, not an IRI
    expect(page.locator("#downloads a")).to_have_text(["json", "csv", "tsv", "xml"])
    # the results name countries: a map of them, linked to their pages
    expect(page.locator("#result-map svg.worldmap a.mark")).to_have_count(13)
    page.screenshot(path=_screenshot("editor.png"), full_page=True)
    share = page.locator("#share-link").get_attribute("href") or ""
    page.goto("about:blank")  # else only the fragment would change: no new page load
    page.goto(base + share)  # the shareable URL runs the query again
    expect(rows).to_have_count(13)
    assert "rcs:Facility" in page.locator(".CodeMirror").inner_text()


def test_the_editor_runs_by_keyboard_and_tab_leaves_it(page: Page, base: str) -> None:
    page.goto(base + "/sparql")
    page.get_by_label("Examples").select_option("timeline")
    expect(page.locator(".CodeMirror")).to_contain_text("rcs:AwardConferral")
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")
    expect(page.locator("#result-table tbody tr")).to_have_count(5)
    expect(page.locator("#result-table")).to_contain_text("1922")
    page.locator(".CodeMirror").click()
    page.keyboard.press("Tab")  # no trap: focus moves on to the Run button
    expect(page.get_by_role("button", name="Run")).to_be_focused()


def test_the_editor_form_works_without_javascript(browser: Browser, base: str) -> None:
    plain = Logged(browser, javascript=False)
    try:
        page = plain.context.new_page()
        page.goto(base + "/sparql")
        page.get_by_label("Query").fill("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
        with page.expect_navigation():
            page.get_by_role("button", name="Run").click()
        answer = json.loads(page.locator("body").inner_text())
        assert answer["head"]["vars"] == ["n"]
    finally:
        plain.close()


def test_an_entity_page_screenshot(page: Page, base: str) -> None:
    page.goto(base + "/doc/society/iranian-red-crescent-society")
    expect(page.locator("h1")).to_contain_text("Iranian Red Crescent Society")
    page.screenshot(path=_screenshot("entity.png"))


def test_no_request_leaves_the_server(logged: Logged, page: Page, base: str) -> None:
    for path in ("/", "/queries/facility-countries", "/doc/country/congo", "/sparql"):
        page.goto(base + path)
    type_query(page, FACILITIES)
    page.get_by_role("button", name="Run").click()
    expect(page.locator("#result-table tbody tr")).to_have_count(13)
    expect(page.locator("#result-map svg")).to_have_count(1)
    own = urlsplit(base).netloc
    assert base + "/static/vendor/codemirror/lib/codemirror.js" in logged.requested
    assert any(u.startswith(base + "/sparql?query=") for u in logged.requested)  # the fetch
    assert any(u.startswith(base + "/map?country=") for u in logged.requested)
    foreign = [u for u in logged.requested if urlsplit(u).netloc != own]
    assert foreign == []


#: A script on another origin reads a description as an RDF library does: a long Accept (a
#: preflight, since it is over 128 bytes) and Cache-Control, then the headers it needs.
CROSS_ORIGIN_SCRIPT = """
async (target) => {
  const response = await fetch(target.url, {
    headers: {Accept: target.accept, "Cache-Control": "no-cache", "X-Requested-With": "fetch"},
  });
  return {
    status: response.status,
    type: response.headers.get("Content-Type"),
    location: response.headers.get("Content-Location"),
    link: response.headers.get("Link"),
    body: await response.text(),
  };
}
"""


@contextmanager
def other_origin() -> Iterator[str]:
    """A second server, on another port of 127.0.0.1 (another origin), serving one blank page."""

    class Blank(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            body = b"<!doctype html><title>another origin</title><p>a client page</p>"
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Blank)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_a_page_on_another_origin_fetches_a_document_with_a_long_accept(
    page: Page, base: str
) -> None:
    """Issue 16, item 3: the browser preflights the request (its Accept is 203 bytes, it adds
    headers), the server allows it, and the script reads the document and its headers."""
    assert len(LONG_ACCEPT) > 128
    seen: list[str] = []
    page.on("request", lambda r: seen.append(f"{r.method} {r.url}"))
    with other_origin() as origin:
        page.goto(origin + "/")
        target = {"url": base + "/doc/society/iranian-red-crescent-society", "accept": LONG_ACCEPT}
        found = page.evaluate(CROSS_ORIGIN_SCRIPT, target)
    assert urlsplit(origin).netloc != urlsplit(base).netloc
    assert found["status"] == 200, found
    assert found["type"].startswith("application/n-quads")
    assert found["location"] == "/doc/society/iranian-red-crescent-society.nq"
    assert 'rel="license"' in found["link"]
    assert "<https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society>" in found["body"]
    assert any(r.startswith("GET " + target["url"]) for r in seen)


def _screenshot(name: str) -> str:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return str(SCREENSHOTS / name)
