"""Small locator maps drawn on the server as SVG from the Natural Earth shapes that ship with the site.

No tiles and no network: the same TopoJSON as the site's interactive maps, in a plain equirectangular
projection (x = longitude, y = −latitude), cropped around the places of one practice.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ccx.cities.world import clip_ring, country_shapes

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
        clip_ring(ring, box)
        for country in country_shapes()
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
