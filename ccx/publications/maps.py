"""Small locator maps drawn on the server as SVG from the Natural Earth shapes that ship with the site.

No tiles and no network: the same TopoJSON as the site's interactive maps, in a plain equirectangular
projection (x = longitude, y = −latitude), cropped around the places of one practice.
"""

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

WORLD = Path(__file__).resolve().parent.parent / "static" / "ccx" / "vendor" / "world-atlas" / "countries-110m.json"
MIN_WIDTH = 40.0  # degrees of longitude shown at least, so one city still shows its region
ASPECT = 16 / 10
SEA = "#dcebf1"
LAND = "#fbfbf8"
BORDER = "#9aa8b1"
POINT = "#0b5e6b"


@dataclass(frozen=True)
class Place:
    name: str
    latitude: float
    longitude: float


@dataclass(frozen=True)
class Country:
    bbox: tuple[float, float, float, float]  # west, south, east, north
    rings: tuple[tuple[tuple[float, float], ...], ...]


def _decode_arcs(topology: dict[str, object]) -> list[list[tuple[float, float]]]:
    transform = topology["transform"]
    assert isinstance(transform, dict)
    (scale_x, scale_y), (shift_x, shift_y) = transform["scale"], transform["translate"]
    arcs = []
    for arc in topology["arcs"]:  # type: ignore[attr-defined]
        x = y = 0
        points = []
        for delta_x, delta_y in arc:
            x += delta_x
            y += delta_y
            points.append((x * scale_x + shift_x, y * scale_y + shift_y))
        arcs.append(points)
    return arcs


def _ring(indexes: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points if not ring else points[1:])
    return ring


@lru_cache(maxsize=1)
def countries() -> tuple[Country, ...]:
    topology = json.loads(WORLD.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == "010":  # Antarctica only adds a white band
            continue
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        rings = [_ring(ring, arcs) for polygon in polygons for ring in polygon]
        points = [point for ring in rings for point in ring]
        if not points:
            continue
        longitudes = [point[0] for point in points]
        latitudes = [point[1] for point in points]
        kept = tuple(tuple(ring) for ring in rings if len(ring) > 2)
        shapes.append(Country((min(longitudes), min(latitudes), max(longitudes), max(latitudes)), kept))
    return tuple(shapes)


def _clip(ring: tuple[tuple[float, float], ...], box: tuple[float, float, float, float]) -> list[tuple[float, float]]:
    """The ring cut to the box (Sutherland–Hodgman against each side), so maps carry only what they show."""
    west, south, east, north = box
    points = list(ring)
    for axis, limit, keep_above in ((0, west, True), (0, east, False), (1, south, True), (1, north, False)):
        if not points:
            break

        def inside(
            point: tuple[float, float], axis: int = axis, limit: float = limit, above: bool = keep_above
        ) -> bool:
            return point[axis] >= limit if above else point[axis] <= limit

        def cross(
            a: tuple[float, float], b: tuple[float, float], axis: int = axis, limit: float = limit
        ) -> tuple[float, float]:
            return _cross_x(a, b, limit) if axis == 0 else _cross_y(a, b, limit)

        clipped = []
        previous = points[-1]
        for point in points:
            if inside(point):
                if not inside(previous):
                    clipped.append(cross(previous, point))
                clipped.append(point)
            elif inside(previous):
                clipped.append(cross(previous, point))
            previous = point
        points = clipped
    return points


def _cross_x(a: tuple[float, float], b: tuple[float, float], x: float) -> tuple[float, float]:
    return (x, a[1] + (b[1] - a[1]) * (x - a[0]) / (b[0] - a[0]))


def _cross_y(a: tuple[float, float], b: tuple[float, float], y: float) -> tuple[float, float]:
    return (a[0] + (b[0] - a[0]) * (y - a[1]) / (b[1] - a[1]), y)


def _path(rings: list[list[tuple[float, float]]], step: float) -> str:
    """SVG path data, leaving out points closer than `step` to the previous one (invisible at this scale)."""
    parts = []
    for ring in rings:
        kept = [ring[0]]
        for point in ring[1:]:
            if abs(point[0] - kept[-1][0]) + abs(point[1] - kept[-1][1]) >= step:
                kept.append(point)
        if len(kept) > 2:
            parts.append("M" + "L".join(f"{x:.2f},{-y:.2f}" for x, y in kept) + "Z")
    return "".join(parts)


def _view(places: list[Place]) -> tuple[float, float, float, float]:
    """west, north (as −latitude), width, height of the window around the places."""
    west = min(place.longitude for place in places)
    east = max(place.longitude for place in places)
    south = min(place.latitude for place in places)
    north = max(place.latitude for place in places)
    width = max(MIN_WIDTH, (east - west) * 1.3, (north - south) * 1.3 * ASPECT)
    width = min(width, 360.0)
    height = min(width / ASPECT, 170.0)
    centre_x, centre_y = (west + east) / 2, (south + north) / 2
    left = min(max(centre_x - width / 2, -180.0), 180.0 - width)
    top = min(max(-(centre_y + height / 2), -85.0), 85.0 - height)
    return left, top, width, height


def locator_map(places: list[Place], title: str) -> str:
    """An SVG document showing `places` as labelled dots on the countries around them ("" without places)."""
    if not places:
        return ""
    left, top, width, height = _view(places)
    right, bottom = left + width, top + height
    stroke = width / 500
    radius = width / 90
    font_size = width / 38
    margin = width / 50
    box = (left - margin, -bottom - margin, right + margin, -top + margin)  # west, south, east, north
    rings = [
        _clip(ring, box)
        for country in countries()
        if country.bbox[0] <= box[2]
        and country.bbox[2] >= box[0]
        and country.bbox[1] <= box[3]
        and country.bbox[3] >= box[1]
        for ring in country.rings
    ]
    path = _path([ring for ring in rings if len(ring) > 2], width / 400)
    dots = []
    for place in places:
        x, y = place.longitude, -place.latitude
        flip = x > left + width * 0.7  # label on the left near the right edge, so it stays inside the map
        label_x = x - radius * 1.5 if flip else x + radius * 1.5
        anchor = "end" if flip else "start"
        label = (
            f'x="{label_x:.2f}" y="{y + font_size / 3:.2f}" font-size="{font_size:.2f}" text-anchor="{anchor}" '
            'font-family="sans-serif"'
        )
        dots.append(
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{radius:.2f}" fill="{POINT}" stroke="#ffffff" '
            f'stroke-width="{stroke * 2:.3f}"/>'
            f'<text {label} fill="#ffffff" stroke="#ffffff" stroke-width="{stroke * 3:.3f}">{escape(place.name)}</text>'
            f'<text {label} fill="#1c2430">{escape(place.name)}</text>'
        )
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'viewBox="{left:.2f} {top:.2f} {width:.2f} {height:.2f}" width="480" height="{480 / ASPECT:.0f}" '
        f'role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>"
        f'<rect x="{left:.2f}" y="{top:.2f}" width="{width:.2f}" height="{height:.2f}" fill="{SEA}"/>'
        f'<path d="{path}" fill="{LAND}" stroke="{BORDER}" stroke-width="{stroke:.3f}" '
        'stroke-linejoin="round"/>' + "".join(dots) + "</svg>"
    )
