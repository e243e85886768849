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
