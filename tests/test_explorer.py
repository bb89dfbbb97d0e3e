"""The explorer without a browser: the map drawing, countries named by results, timelines
from results, the result map route and the catalogue forms (tests/test_explorer_browser.py
checks the same pages in Chromium).

The map assertions skip when the world-atlas geometries have not been built (``make`` builds
them), except in CI, where that is a failure.
"""

import json
import os
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from rcsgraph.publish import explorer
from rcsgraph.publish.explorer import Mark
from rcsgraph.web import create_app
from rcsgraph.web.pages import worldmap

CLAIM = "https://w3id.org/rcsgraph/id/claim/article-2022-09-18-tehran-iran-iraq-red-crescent.published.2022-09-18"
COUNTRY = "https://w3id.org/rcsgraph/id/country/"


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
    # the corners (0, 0), (10, 0), (10, 10), (0, 10) at 480,226.7 506.7,226.7 506.7,200 480,200
    assert shapes["004"] == ("A", "M480 226.7l26.7 0 0-26.7-26.7 0z")


Vertex = tuple[int, int]
NUMBER = r"-?(?:\d+(?:\.\d*)?|\.\d+)"


def decoded(data: str) -> list[list[Vertex]]:
    """Path data of moves, lines and closes (absolute or relative) back to its rings of absolute
    vertices, in tenths of a pixel."""
    assert re.fullmatch(rf"(?:[MmLlZz, ]|{NUMBER})*", data), data
    rings: list[list[Vertex]] = []
    pending: list[int] = []  # the first number of a pair
    command, pen, start = "M", (0, 0), (0, 0)
    for token in re.findall(rf"[MmLlZz]|{NUMBER}", data):
        if token in ("Z", "z"):
            pen = start
        if token.isalpha():
            command = token
            continue
        tenths = Decimal(token) * 10
        assert tenths == int(tenths), token  # no finer than 0.1 px
        pending.append(int(tenths))
        if len(pending) < 2:
            continue
        x, y = pending
        pending = []
        pen = (pen[0] + x, pen[1] + y) if command.islower() else (x, y)
        if command in ("M", "m"):
            rings.append([pen])
            start, command = pen, "l" if command == "m" else "L"  # then implicit lines
        else:
            rings[-1].append(pen)
    assert not pending and command in ("Z", "z"), data
    return rings


def absolute_path(polygons: list[list[list[int]]], arcs: list[list[worldmap.Point]]) -> str:
    """``worldmap._path`` as it was before the path data was made compact: absolute points at
    0.1 px, ``M955.0,273.3L955.7,272.9…Z``."""
    parts = []
    for polygon in polygons:
        for indexes in polygon:
            projected: list[str] = []
            for lon, lat in worldmap._unwrapped(worldmap._ring(indexes, arcs)):
                x, y = (lon + 180.0) * worldmap.SCALE, (worldmap.NORTH - lat) * worldmap.SCALE
                xy = f"{x:.1f},{y:.1f}"
                if not projected or projected[-1] != xy:
                    projected.append(xy)
            if len(projected) > 1 and projected[0] == projected[-1]:
                projected.pop()
            if len(projected) > 2:
                parts.append("M" + "L".join(projected) + "Z")
    return "".join(parts)


def test_path_data_is_relative_in_the_shortest_numbers() -> None:
    rings = [[(9550, 2733), (9555, 2730), (9570, 2733)], [(5, 2700), (15, 2695), (10, 2700)]]
    data = worldmap._path_data(rings)
    # the second ring moves from the first one's start, where "z" leaves the pen
    assert data == "M955 273.3l.5-.3 1.5.3zm-954.5-3.3 1-.5-.5.5z"
    assert decoded(data) == rings


def test_every_country_is_drawn_where_absolute_path_data_drew_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    drawn = geometries_or_skip()
    monkeypatch.setattr(worldmap, "_path", absolute_path)
    before = worldmap.shapes_from(json.loads(worldmap.GEOMETRIES.read_text(encoding="utf-8")))
    assert list(drawn) == list(before)
    for code, (name, data) in drawn.items():
        assert (name, decoded(data)) == (before[code][0], decoded(before[code][1])), code
    fiji = decoded(drawn["242"][1])
    assert min(x for ring in fiji for x, _ in ring) < 0  # beyond 180°, off the map's left edge
    # measured: 62,768 characters of path data for 176 countries, 113,450 written absolute
    compact, absolute = (sum(len(d) for _, d in shapes.values()) for shapes in (drawn, before))
    assert compact < 66_000 and compact < 0.6 * absolute


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


# -- countries and dates in results, the result map, the catalogue forms --------------------------


@pytest.fixture(scope="module")
def app() -> Iterator[Flask]:
    app = create_app({"workers": 1})
    yield app
    app.extensions["rcsgraph"].pool.close()


@pytest.fixture()
def client(app: Flask) -> FlaskClient:
    return app.test_client()


def html(client: FlaskClient, path: str) -> str:
    reply = client.get(path, headers={"Accept": "text/html"})
    assert reply.status_code == 200, reply.get_data(as_text=True)
    return reply.get_data(as_text=True)


def test_results_name_countries_by_iri_or_iso_code(app: Flask) -> None:
    values = [COUNTRY + "irn", "IQ", "afg", COUNTRY + "congo", "Iran", "in a sentence", "x"]
    marks = explorer.marks_for(app.extensions["rcsgraph.publication"].countries(), values)
    found = {m.label: (m.codes, m.ambiguous, m.roles) for m in marks}
    assert found == {
        "Afghanistan": (("004",), False, ("result",)),
        "Congo": (("178", "180"), True, ("result",)),  # both candidates
        "Iran": (("364",), False, ("result",)),
        "Iraq": (("368",), False, ("result",)),
    }


def test_a_timeline_from_result_rows() -> None:
    uri = {"type": "uri", "value": "https://w3id.org/rcsgraph/id/conferral/a"}
    rows: list[dict[str, dict[str, str]]] = [
        {"conferral": uri, "awardLabel": {"type": "literal", "value": "An award"},
         "year": {"type": "literal", "value": "2005"}},
        {"conferral": uri},  # no date: left out
    ]  # fmt: skip
    events = explorer.events_from(("conferral", "awardLabel", "year"), rows)
    assert events == [explorer.Event("2005", uri["value"], "An award")]
    assert explorer.events_from(("conferral",), rows) == []


def test_the_result_map_route(client: FlaskClient) -> None:
    geometries_or_skip()
    page = html(client, f"/map?country={COUNTRY}irn&country=IQ&country=nowhere")
    assert re.findall(r'<a href="(/doc/country/\w+)" class="mark result"', page) == [
        "/doc/country/irn",
        "/doc/country/irq",
    ]
    assert 'id="map-empty"' in html(client, "/map?country=nowhere")


def test_a_catalogue_page_shows_its_declared_view(client: FlaskClient) -> None:
    geometries_or_skip()
    page = html(client, "/queries/facility-countries")
    assert page.count('class="mark result"') + page.count('class="mark ambiguous"') == 13
    assert page.count('class="mark ambiguous"') == 1  # Congo
    timeline = html(client, "/queries/awards")
    assert re.findall(r'<time datetime="(\d+)">', timeline) == ["2005", "2005"]
    assert "<svg" not in html(client, "/queries/societies")  # a table view


def test_an_iri_parameter_suggests_the_things_of_its_kind(client: FlaskClient) -> None:
    page = html(client, "/queries/facility-countries")
    assert 'list="society-suggestions"' in page
    suggested = re.search(r'<datalist id="society-suggestions">(.*?)</datalist>', page)
    assert suggested is not None
    assert re.findall(r'value="([^"]+)"', suggested.group(1)) == [
        "https://w3id.org/rcsgraph/id/society/iranian-red-crescent-society",
        "https://w3id.org/rcsgraph/id/society/iraqi-red-crescent-society",
    ]
    # an IRI parameter named after no kind suggests every labelled thing (claims left out)
    evidence = html(client, "/queries/evidence")
    assert "Fill in the form" in evidence and " required" in evidence
    assert f'value="{COUNTRY}irn"' in evidence and "/id/claim/" not in evidence


def test_an_enum_parameter_is_a_select(client: FlaskClient) -> None:
    page = html(client, "/queries/countries-in-region?region=Asia")
    assert '<select id="region" name="region">' in page
    assert "<option selected>Asia</option>" in page


def test_the_editor_page_carries_labels_and_countries(client: FlaskClient) -> None:
    page = html(client, "/sparql")
    assert '<script src="/static/vendor/codemirror/lib/codemirror.js"></script>' in page
    assert '<textarea id="query" name="query"' in page  # the form without JavaScript
    found = re.search(r'<script type="application/json" id="editor-data">(.*?)</script>', page)
    assert found is not None
    data: dict[str, Any] = json.loads(found.group(1))
    assert data["countries"]["IR"] == data["countries"]["IRN"] == COUNTRY + "irn"
    labels = client.get(
        data["labelsUrl"], query_string=[("iri", COUNTRY + "irq"), ("iri", CLAIM)]
    ).get_json()
    assert labels == {COUNTRY + "irq": "Iraq"}  # claims have no label in the index
