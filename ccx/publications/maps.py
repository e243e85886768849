"""Small locator maps drawn on the server as SVG from the Natural Earth shapes that ship with the site.

No tiles and no network: the same TopoJSON as the site's interactive maps, in a plain equirectangular
projection (x = longitude, y = −latitude), cropped around the places of one practice.
"""

from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

from ccx.cities.world import CountryShape, clip_ring, country_shapes, main_bbox

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


def _view(places: list[Place], min_width: float = MIN_WIDTH) -> tuple[float, float, float, float]:
    """west, north (as −latitude), width, height of the window around the places."""
    west = min(place.longitude for place in places)
    east = max(place.longitude for place in places)
    south = min(place.latitude for place in places)
    north = max(place.latitude for place in places)
    width = max(min_width, (east - west) * 1.3, (north - south) * 1.3 * ASPECT)
    width = min(width, 360.0)
    height = min(width / ASPECT, 170.0)
    centre_x, centre_y = (west + east) / 2, (south + north) / 2
    left = min(max(centre_x - width / 2, -180.0), 180.0 - width)
    top = min(max(-(centre_y + height / 2), -85.0), 85.0 - height)
    return left, top, width, height


def _tint(colour: str, share: float) -> str:
    """`colour` (#rrggbb) mixed with white: `share` of the colour, the rest white."""
    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return "#" + "".join(f"{round(255 - (255 - part) * share):02x}" for part in (red, green, blue))


def country_map(country: CountryShape, title: str, colour: str = POINT) -> str:
    """An SVG document framing one country, tinted in `colour`: the picture of an initiative known only by its
    country (no city, no point)."""
    west, south, east, north = main_bbox(country)
    corners = [Place("", south, west), Place("", north, east)]
    return locator_map([], title, colour, min_width=8, labels=False, highlight=country, frame=corners)


def locator_map(
    places: list[Place],
    title: str,
    colour: str = POINT,
    *,
    min_width: float = MIN_WIDTH,
    labels: bool = True,
    highlight: CountryShape | None = None,
    frame: list[Place] | None = None,
) -> str:
    """An SVG document showing `places` as labelled dots on the countries around them ("" without places).

    The dots take `colour` (an exhibition card uses its creative field's), and so, lightly, do the countries
    they lie in (and the `highlight` country). A card's picture shows a closer view (`min_width` degrees) and
    leaves the names to its text. `frame`: points the view must include besides the places.
    """
    if not places and highlight is None:
        return ""
    left, top, width, height = _view(places + (frame or []), min_width)
    right, bottom = left + width, top + height
    stroke = width / 500
    radius = width / (90 if labels else 40)
    font_size = width / 38
    margin = width / 50
    box = (left - margin, -bottom - margin, right + margin, -top + margin)  # west, south, east, north
    shown = [
        country
        for country in country_shapes()
        if country.bbox[0] <= box[2]
        and country.bbox[2] >= box[0]
        and country.bbox[1] <= box[3]
        and country.bbox[3] >= box[1]
    ]
    home = [
        country == highlight or any(country.contains(place.longitude, place.latitude) for place in places)
        for country in shown
    ]
    paths = []
    for tinted, fill in ((False, LAND), (True, _tint(colour, 0.6 if highlight else 0.35))):
        rings = [
            clip_ring(ring, box)
            for country, is_home in zip(shown, home, strict=True)
            if is_home == tinted
            for ring in country.rings
        ]
        path = _path([ring for ring in rings if len(ring) > 2], width / 400)
        if path:
            outline = f'stroke="{BORDER}" stroke-width="{stroke:.3f}" stroke-linejoin="round"'
            paths.append(f'<path d="{path}" fill="{fill}" {outline}/>')
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
            f'<circle cx="{x:.2f}" cy="{y:.2f}" r="{radius:.2f}" fill="{colour}" stroke="#ffffff" '
            f'stroke-width="{stroke * 2:.3f}"/>'
        )
        if labels:
            halo = f'fill="#ffffff" stroke="#ffffff" stroke-width="{stroke * 3:.3f}"'
            dots.append(f"<text {label} {halo}>{escape(place.name)}</text>")
            dots.append(f'<text {label} fill="#1c2430">{escape(place.name)}</text>')
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" version="1.1" '
        f'viewBox="{left:.2f} {top:.2f} {width:.2f} {height:.2f}" width="480" height="{480 / ASPECT:.0f}" '
        f'role="img" aria-label={quoteattr(title)}>'
        f"<title>{escape(title)}</title>"
        f'<rect x="{left:.2f}" y="{top:.2f}" width="{width:.2f}" height="{height:.2f}" fill="{SEA}"/>'
        + "".join(paths)
        + "".join(dots)
        + "</svg>"
    )
