"""Small server-rendered SVG charts (no JavaScript, no inline style: colours come from CSS classes)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    css_class: str
    url: str
    width: float
    y: int

    @property
    def text_y(self) -> int:
        return self.y + 17

    @property
    def value_x(self) -> float:
        return LABEL_WIDTH + self.width + 8


BAR_HEIGHT = 26
LABEL_WIDTH = 190
BAR_SPACE = 340


def bar_rows(rows: list[tuple[str, int, str, str]], sort: bool = True) -> dict[str, object]:
    """Lay out horizontal bars: label, value, CSS class (for the colour) and link, longest first."""
    ordered = sorted(rows, key=lambda row: -row[1]) if sort else rows
    largest = max((row[1] for row in ordered), default=0) or 1
    bars = [
        Bar(label, value, css_class, url, round(BAR_SPACE * value / largest, 1), index * BAR_HEIGHT)
        for index, (label, value, css_class, url) in enumerate(ordered)
    ]
    return {"bars": bars, "height": len(bars) * BAR_HEIGHT, "label_width": LABEL_WIDTH}


@dataclass(frozen=True)
class Point:
    label: str
    value: str
    x: float
    y: float


LINE_WIDTH = 320
LINE_HEIGHT = 120
LINE_MARGIN = 28


def line_points(series: list[tuple[str, float, str]]) -> dict[str, object]:
    """Lay out a small line chart of (label, value, value as shown), in order, from zero or the lowest value."""
    values = [value for _label, value, _shown in series]
    low = min([0.0, *values])
    high = max(values, default=1.0)
    span = (high - low) or 1.0
    step = (LINE_WIDTH - 2 * LINE_MARGIN) / max(len(series) - 1, 1)
    points = [
        Point(
            label,
            shown,
            round(LINE_MARGIN + index * step, 1),
            round(LINE_HEIGHT - LINE_MARGIN - (value - low) / span * (LINE_HEIGHT - 2 * LINE_MARGIN), 1),
        )
        for index, (label, value, shown) in enumerate(series)
    ]
    return {
        "points": points,
        "path": " ".join(f"{point.x},{point.y}" for point in points),
        "width": LINE_WIDTH,
        "height": LINE_HEIGHT,
        "baseline": LINE_HEIGHT - LINE_MARGIN,
    }
