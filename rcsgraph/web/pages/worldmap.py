"""A world map as inline SVG, drawn on the server from the world-atlas TopoJSON (no tiles).

``make`` copies ``countries-110m.json`` of the npm package ``world-atlas`` into
``static/vendor/`` (see ``rcsgraph.web.assets``); countries are keyed by their ISO 3166-1
numeric code, zero-padded to three digits as ``rcs:iso3166Numeric`` is. The projection is
equirectangular, cropped to latitudes 85°N to 58°S (Antarctica is left out).
"""

import json
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


def _project(point: Point) -> str:
    lon, lat = point
    return f"{(lon + 180.0) * SCALE:.1f},{(NORTH - lat) * SCALE:.1f}"


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


def _path(polygons: list[list[list[int]]], arcs: list[list[Point]]) -> str:
    parts = []
    for polygon in polygons:
        for indexes in polygon:
            projected: list[str] = []
            for point in _unwrapped(_ring(indexes, arcs)):
                xy = _project(point)
                if not projected or projected[-1] != xy:
                    projected.append(xy)
            if len(projected) > 1 and projected[0] == projected[-1]:
                projected.pop()  # "Z" closes the ring
            if len(projected) > 2:
                parts.append("M" + "L".join(projected) + "Z")
    return "".join(parts)


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
