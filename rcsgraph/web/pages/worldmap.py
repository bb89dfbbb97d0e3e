"""A world map as inline SVG, drawn on the server from the world-atlas TopoJSON (no tiles).

``make`` copies ``countries-110m.json`` of the npm package ``world-atlas`` into
``static/vendor/`` (see ``rcsgraph.web.assets``); countries are keyed by their ISO 3166-1
numeric code, zero-padded to three digits as ``rcs:iso3166Numeric`` is. The projection is
equirectangular, cropped to latitudes 85°N to 58°S (Antarctica is left out).
"""

import itertools
import json
from collections.abc import Iterable
from functools import cache
from html import escape
from pathlib import Path
from typing import Any

from rcsgraph.publish.explorer import Mark

#: Where the build step puts the geometries.
GEOMETRIES = (
    Path(__file__).parent.parent / "static" / "vendor" / "world-atlas" / "countries-110m.json"
)
WIDTH, NORTH, SOUTH = 960.0, 85.0, -58.0
SCALE = WIDTH / 360.0
HEIGHT = round((NORTH - SOUTH) * SCALE, 1)
ANTARCTICA = "010"

Point = tuple[float, float]
Tenths = tuple[int, int]  # x, y on the map in tenths of a pixel


def _decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs as absolute longitude/latitude points (undoing delta encoding)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    """One closed ring from arc indexes (``~i``, that is ``-i - 1``, walks arc ``i`` backwards)."""
    points: list[Point] = []
    for index in indexes:
        arc = arcs[index] if index >= 0 else arcs[~index][::-1]
        points.extend(arc[1:] if points else arc)
    return points


def _unwrapped(ring: list[Point]) -> list[Point]:
    """The ring without jumps across the antimeridian (Fiji, Chukotka): what lies beyond 180°
    falls outside the view box instead of drawing a line across the world."""
    points: list[Point] = []
    shift = 0.0
    for lon, lat in ring:
        if points:
            step = lon + shift - points[-1][0]
            shift -= 360.0 * round(step / 360.0)
        points.append((lon + shift, lat))
    return points


def _tenths(value: float) -> int:
    """``value`` rounded to 0.1, in whole tenths: the rounding ``f"{value:.1f}"`` makes (both
    are correctly rounded), so each vertex lands where the absolute path data put it."""
    return round(round(value, 1) * 10)


def _project(point: Point) -> Tenths:
    lon, lat = point
    return _tenths((lon + 180.0) * SCALE), _tenths((NORTH - lat) * SCALE)


def _outline(ring: list[Point]) -> list[Tenths]:
    """The ring's vertices as drawn at 0.1 px: none repeated (a zero-length segment draws
    nothing), the closing one left to ``z``."""
    drawn: list[Tenths] = []
    for point in _unwrapped(ring):
        xy = _project(point)
        if not drawn or drawn[-1] != xy:
            drawn.append(xy)
    if len(drawn) > 1 and drawn[0] == drawn[-1]:
        drawn.pop()
    return drawn


def _number(tenths: int) -> str:
    """The shortest decimal of a number of tenths: 9553 → ``955.3``, 40 → ``4``, -3 → ``-.3``."""
    sign = "-" if tenths < 0 else ""
    whole, tenth = divmod(abs(tenths), 10)
    if not tenth:
        return f"{sign}{whole}"
    return f"{sign}{whole or ''}.{tenth}"


def _numbers(values: Iterable[int]) -> str:
    """Numbers with only the separators the path grammar needs: none before a minus sign, nor
    before a ``.`` that follows a number already holding one (``1.5.3`` is 1.5 then .3)."""
    parts: list[str] = []
    for value in values:
        number = _number(value)
        if parts and number[0] != "-" and not (number[0] == "." and "." in parts[-1]):
            parts.append(" ")
        parts.append(number)
    return "".join(parts)


def _path_data(rings: list[list[Tenths]]) -> str:
    """SVG path data of closed rings, relative after the first point: each step is the
    difference of two rounded vertices, so no error accumulates along a ring. A ring after the
    first starts with ``m`` from where ``z`` left the pen, the previous ring's start; the pairs
    after an ``l`` or ``m`` need no letter. The 1:110 m countries take 62.8 KB so (6.5 characters
    a vertex), 113.5 KB as absolute ``M955.0,273.3L955.7,272.9``: every visit of ``/`` has it."""
    parts = []
    pen: Tenths | None = None
    for ring in rings:
        steps = [d for (x0, y0), (x1, y1) in itertools.pairwise(ring) for d in (x1 - x0, y1 - y0)]
        x, y = ring[0]
        if pen is None:
            parts.append(f"M{_numbers((x, y))}l{_numbers(steps)}z")
        else:
            parts.append(f"m{_numbers((x - pen[0], y - pen[1], *steps))}z")
        pen = x, y
    return "".join(parts)


def _path(polygons: list[list[list[int]]], arcs: list[list[Point]]) -> str:
    outlines = (_outline(_ring(indexes, arcs)) for polygon in polygons for indexes in polygon)
    return _path_data([outline for outline in outlines if len(outline) > 2])


def shapes_from(topology: dict[str, Any]) -> dict[str, tuple[str, str]]:
    """Numeric code → (name, SVG path data) for each country of a world-atlas topology."""
    arcs = _decode_arcs(topology)
    found = {}
    for number, geometry in enumerate(topology["objects"]["countries"]["geometries"]):
        code = geometry.get("id") or f"x{number}"  # a few disputed areas carry no code
        if code == ANTARCTICA or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        name = str(geometry.get("properties", {}).get("name", code))
        found[str(code)] = (name, _path(polygons, arcs))
    return found


@cache
def shapes() -> dict[str, tuple[str, str]] | None:
    """The countries of the built geometry file, or None when the build step has not run."""
    if not GEOMETRIES.is_file():
        return None
    return shapes_from(json.loads(GEOMETRIES.read_text(encoding="utf-8")))


def svg(marks: list[Mark], drawn: dict[str, tuple[str, str]]) -> str:
    """The map: every country in grey, each mark coloured by its first role and linked."""
    marked = {code for mark in marks for code in mark.codes}
    background = "".join(
        f'<path d="{d}"><title>{escape(name)}</title></path>'
        for code, (name, d) in drawn.items()
        if code not in marked
    )
    highlighted = "".join(_mark(mark, drawn) for mark in marks)
    return (
        f'<svg class="worldmap" viewBox="0 0 {WIDTH:g} {HEIGHT:g}" role="img" '
        'aria-labelledby="map-title" xmlns="http://www.w3.org/2000/svg">'
        '<title id="map-title">World map of the countries the article names, by role</title>'
        '<defs><pattern id="hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)"><rect width="6" height="6" fill="#f2b8c0"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#b3001b" stroke-width="3"/></pattern></defs>'
        f'<g class="land">{background}</g>{highlighted}</svg>'
    )


def _mark(mark: Mark, drawn: dict[str, tuple[str, str]]) -> str:
    paths = "".join(f'<path d="{drawn[c][1]}"/>' for c in mark.codes if c in drawn)
    if not paths:
        return ""
    roles = " ".join(mark.roles)
    kind = "ambiguous" if mark.ambiguous else mark.roles[0]
    note = " (ambiguous: either candidate)" if mark.ambiguous else ""
    return (
        f'<a href="{escape(mark.href)}" class="mark {kind}" data-roles="{roles}" '
        f'data-role="{mark.roles[0]}"><title>{escape(mark.label)}: {roles}{note}</title>'
        f"{paths}</a>"
    )


def missing(marks: list[Mark], drawn: dict[str, tuple[str, str]]) -> list[Mark]:
    """Marks the map cannot show: no code, or too small for the 1:110 m geometries."""
    return [mark for mark in marks if not any(code in drawn for code in mark.codes)]
