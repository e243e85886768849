"""Rebuild the bundled font subsets from Debian's fonts-noto-cjk (run once; the results ship in this folder).

    apt-get install fonts-noto-cjk && python -m ccx.publications.fonts.make_subset

Keeps the Simplified Chinese face of Noto Sans CJK, limited to the 6,763 hanzi of GB 2312 plus Latin, Greek,
Cyrillic and punctuation, so that the PDF needs no system font and the repository stays small.
"""

from pathlib import Path

from fontTools import subset  # type: ignore[import-untyped]
from fontTools.ttLib import TTCollection  # type: ignore[import-untyped]

SOURCE_DIR = Path("/usr/share/fonts/opentype/noto")
TARGET_DIR = Path(__file__).resolve().parent
SIMPLIFIED_CHINESE_INDEX = 2  # JP, KR, SC, TC, HK, then the monospaced faces
RANGES = [
    (0x0020, 0x024F),  # Basic Latin, Latin-1, Latin Extended-A and -B
    (0x0370, 0x03FF),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x1E00, 0x1EFF),  # Latin Extended Additional (Vietnamese)
    (0x2000, 0x206F),  # General Punctuation
    (0x20A0, 0x20CF),  # Currency symbols
    (0x2100, 0x218F),  # Letterlike symbols, number forms
    (0x2190, 0x21FF),  # Arrows
    (0x2200, 0x22FF),  # Mathematical operators
    (0x2460, 0x24FF),  # Enclosed alphanumerics
    (0x25A0, 0x25FF),  # Geometric shapes
    (0x3000, 0x303F),  # CJK Symbols and Punctuation
    (0xFF00, 0xFFEF),  # Halfwidth and Fullwidth Forms
]


def gb2312_hanzi() -> set[int]:
    characters = set()
    for high in range(0xB0, 0xF8):
        for low in range(0xA1, 0xFF):
            try:
                characters.add(ord(bytes([high, low]).decode("gb2312")))
            except UnicodeDecodeError:
                continue
    return characters


def code_points() -> set[int]:
    points = gb2312_hanzi()
    for first, last in RANGES:
        points.update(range(first, last + 1))
    return points


def make(weight: str) -> Path:
    font = TTCollection(str(SOURCE_DIR / f"NotoSansCJK-{weight}.ttc")).fonts[SIMPLIFIED_CHINESE_INDEX]
    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_legacy = True
    options.name_languages = ["*"]
    options.notdef_outline = True
    options.glyph_names = False
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=code_points())
    subsetter.subset(font)
    target = TARGET_DIR / f"NotoSansSC-{weight}-subset.otf"
    font.save(str(target))
    return target


if __name__ == "__main__":
    for weight in ("Regular", "Bold"):
        make(weight)
