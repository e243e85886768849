"""The Natural Earth country shapes that ship with the site, read on the server.

The same TopoJSON as the interactive maps (world-atlas 2.0.2, 1:110m). Used for the server-drawn locator maps
and to check that a member's point lies in its country. Rings that cross the antimeridian (Russia's Chukotka,
Fiji) are split there, so that no shape is drawn as a strip across the whole world.
"""

import csv
import itertools
import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

WORLD = Path(__file__).resolve().parent.parent / "static" / "ccx" / "vendor" / "world-atlas" / "countries-110m.json"
COUNTRY_CODES = Path(__file__).resolve().parent.parent / "data" / "countries.csv"  # alpha_2 → ISO numeric
ANTARCTICA = "010"
EARTH_RADIUS_KM = 6371.0

Point = tuple[float, float]  # longitude, latitude
Ring = tuple[Point, ...]


@dataclass(frozen=True)
class CountryShape:
    numeric: str  # ISO 3166-1 numeric code, as world-atlas names its shapes ("" for Kosovo and a few others)
    name: str
    bbox: tuple[float, float, float, float]  # west, south, east, north
    polygons: tuple[tuple[Ring, ...], ...]  # each polygon: its outer ring, then its holes

    @property
    def rings(self) -> tuple[Ring, ...]:
        return tuple(ring for polygon in self.polygons for ring in polygon)

    def contains(self, longitude: float, latitude: float) -> bool:
        for outer, *holes in self.polygons:
            if _inside(outer, longitude, latitude) and not any(_inside(hole, longitude, latitude) for hole in holes):
                return True
        return False

    def distance_km(self, longitude: float, latitude: float) -> float:
        """How far the point lies from the shape (0 inside it)."""
        if self.contains(longitude, latitude):
            return 0.0
        scale = math.cos(math.radians(latitude))
        nearest = min(
            _segment_distance((longitude, latitude), a, b, scale)
            for ring in self.rings
            for a, b in zip(ring, ring[1:] + ring[:1], strict=True)
        )
        return math.radians(nearest) * EARTH_RADIUS_KM


def _decode_arcs(topology: dict[str, object]) -> list[list[Point]]:
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


def _ring(indexes: list[int], arcs: list[list[Point]]) -> list[Point]:
    ring: list[Point] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else list(reversed(arcs[~index]))
        ring.extend(points if not ring else points[1:])
    return ring


def split_at_antimeridian(ring: list[Point]) -> list[list[Point]]:
    """The ring as one or more rings that each stay on one side of the ±180° meridian.

    A ring that jumps from +180° to −180° is first made continuous (longitudes beyond ±180°), then cut at the
    meridian, and the part beyond it moved back by 360°. The same rule as `splitAtAntimeridian` in map.js.
    """
    if not any(abs(a[0] - b[0]) > 180 for a, b in itertools.pairwise(ring)):
        return [ring]
    unwrapped = [ring[0]]
    shift = 0.0
    for previous, point in itertools.pairwise(ring):
        if point[0] - previous[0] > 180:
            shift -= 360
        elif point[0] - previous[0] < -180:
            shift += 360
        unwrapped.append((point[0] + shift, point[1]))
    west = min(point[0] for point in unwrapped)
    east = max(point[0] for point in unwrapped)
    pieces = []
    for low, high, move in ((-540.0, -180.0, 360.0), (-180.0, 180.0, 0.0), (180.0, 540.0, -360.0)):
        if east <= low or west >= high:
            continue
        piece = clip_ring(unwrapped, (low, -90.0, high, 90.0))
        if len(piece) > 2 and max(x for x, _ in piece) - min(x for x, _ in piece) > 1e-6:
            pieces.append([(x + move, y) for x, y in piece])
    return pieces


def clip_ring(ring: list[Point] | Ring, box: tuple[float, float, float, float]) -> list[Point]:
    """The ring cut to the box (Sutherland–Hodgman against each side)."""
    west, south, east, north = box
    points = list(ring)
    for axis, limit, keep_above in ((0, west, True), (0, east, False), (1, south, True), (1, north, False)):
        if not points:
            break
        clipped = []
        previous = points[-1]
        for point in points:
            if _keeps(point, axis, limit, keep_above):
                if not _keeps(previous, axis, limit, keep_above):
                    clipped.append(_cross(previous, point, axis, limit))
                clipped.append(point)
            elif _keeps(previous, axis, limit, keep_above):
                clipped.append(_cross(previous, point, axis, limit))
            previous = point
        points = clipped
    return points


def _keeps(point: Point, axis: int, limit: float, above: bool) -> bool:
    return point[axis] >= limit if above else point[axis] <= limit


def _cross(a: Point, b: Point, axis: int, limit: float) -> Point:
    if axis == 0:
        return (limit, a[1] + (b[1] - a[1]) * (limit - a[0]) / (b[0] - a[0]))
    return (a[0] + (b[0] - a[0]) * (limit - a[1]) / (b[1] - a[1]), limit)


def _inside(ring: Ring, x: float, y: float) -> bool:
    """Even–odd rule: does a ray from the point to the east cross the ring an odd number of times?"""
    inside = False
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _segment_distance(point: Point, a: Point, b: Point, scale: float) -> float:
    """Distance in degrees of latitude, with longitudes shrunk by cos(latitude) (good enough below 1,000 km)."""
    px, py = point[0] * scale, point[1]
    ax, ay, bx, by = a[0] * scale, a[1], b[0] * scale, b[1]
    dx, dy = bx - ax, by - ay
    length = dx * dx + dy * dy
    t = 0.0 if length == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


@lru_cache(maxsize=1)
def country_shapes() -> tuple[CountryShape, ...]:
    """Every country of the world file except Antarctica, with rings split at the antimeridian."""
    topology = json.loads(WORLD.read_text(encoding="utf-8"))
    arcs = _decode_arcs(topology)
    shapes = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA:  # only adds a white band at the bottom of a map
            continue
        polygons = geometry.get("arcs", [])
        if geometry["type"] == "Polygon":
            polygons = [polygons]
        kept: list[tuple[Ring, ...]] = []
        for polygon in polygons:
            outer, *holes = [_ring(ring, arcs) for ring in polygon]
            pieces = split_at_antimeridian(outer)
            kept_holes = tuple(tuple(hole) for hole in holes if len(hole) > 2) if len(pieces) == 1 else ()
            kept += [(tuple(piece), *kept_holes) for piece in pieces if len(piece) > 2]
        points = [point for polygon in kept for ring in polygon for point in ring]
        if not points:
            continue
        longitudes = [point[0] for point in points]
        latitudes = [point[1] for point in points]
        shapes.append(
            CountryShape(
                numeric=str(geometry.get("id", "")),
                name=str(geometry.get("properties", {}).get("name", "")),
                bbox=(min(longitudes), min(latitudes), max(longitudes), max(latitudes)),
                polygons=tuple(kept),
            )
        )
    return tuple(shapes)


def shapes_by_numeric_code() -> dict[str, CountryShape]:
    return {shape.numeric: shape for shape in country_shapes() if shape.numeric}


@lru_cache(maxsize=1)
def numeric_codes() -> dict[str, str]:
    """ISO 3166-1 alpha-2 code → numeric code, from the bundled countries file."""
    with COUNTRY_CODES.open(encoding="utf-8", newline="") as handle:
        return {row["alpha_2"]: row["numeric"] for row in csv.DictReader(handle)}


def shape_of_country(alpha_2: str) -> CountryShape | None:
    return shapes_by_numeric_code().get(numeric_codes().get(alpha_2, ""))


def main_bbox(shape: CountryShape) -> tuple[float, float, float, float]:
    """The box (west, south, east, north) of the country's largest piece of land: France without Guiana,
    the United States without Alaska, so a map framed on it shows the country and not half the world."""

    def box(ring: Ring) -> tuple[float, float, float, float]:
        longitudes, latitudes = [p[0] for p in ring], [p[1] for p in ring]
        return min(longitudes), min(latitudes), max(longitudes), max(latitudes)

    boxes = [box(polygon[0]) for polygon in shape.polygons]
    return max(boxes, key=lambda b: (b[2] - b[0]) * (b[3] - b[1]))
