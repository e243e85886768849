"""All 1,748 bundled practices read as a reader expects: no form headings, no mojibake, clean titles."""

import gzip
import json
import re

import pytest

from ccx.practices.importers import BUNDLED_REINHERIT, BUNDLED_UNDP, import_practices
from ccx.practices.importers.text import clean_title, repair_text
from ccx.practices.importers.undp_form import category_values, links_and_rest
from ccx.practices.models import Practice

pytestmark = pytest.mark.django_db

# UTF-8 read as Windows-1252, Latin-1 or Mac Roman, as it appears in real exports (and in the UNDP file).
MOJIBAKE = [
    "‚Äú",  # opening double quote read as Mac Roman
    "‚Äù",  # closing double quote
    "‚Äô",  # apostrophe
    "‚Äì",  # en dash
    "‚Äî",  # em dash
    "‚Ä¶",  # ellipsis
    "√°",  # á
    "√©",  # é
    "√ß",  # ç
    "√º",  # ü
    "√£",  # ã
    "√â",  # É
    "â€™",  # apostrophe read as Windows-1252
    "â€œ",  # opening double quote
    "â€",  # the start of any quote, dash or ellipsis
    "Ã©",  # é read as Latin-1
    "Ã¡",  # á
    "Ã³",  # ó
    "Ã±",  # ñ
    "Â ",  # no-break space
    "ï»¿",  # byte order mark
    "\ufffd",  # replacement character: bytes lost for good
]
TEXT_FIELDS = (
    "title",
    "tagline",
    "summary",
    "description",
    "results",
    "obstacles",
    "transferability",
    "lessons",
    "resources_needed",
    "place_name",
)


def form_questions() -> set[str]:
    """Every question of the bundled UNDP forms that could read as a heading (more than two words)."""
    questions = set()
    with gzip.open(BUNDLED_UNDP, "rt", encoding="utf-8") as lines:
        for line in lines:
            for section in json.loads(line).get("sections") or []:
                question = " ".join(str(section.get("question") or "").split())
                if len(question.split()) > 2:
                    questions.add(question.lower())
    return questions


def test_no_imported_practice_shows_a_form_heading_a_mojibake_sequence_or_a_list_marker_in_its_title() -> None:
    import_practices(BUNDLED_UNDP, "undp")
    import_practices(BUNDLED_REINHERIT, "reinherit")
    practices = list(Practice.objects.values("slug", *TEXT_FIELDS))
    assert len(practices) == 1748
    questions = form_questions()
    assert "title of the solution" in questions
    assert "other notes" not in questions  # two words: checked as a heading below
    headings = []
    mojibake = []
    titles = []
    for practice in practices:
        for name in TEXT_FIELDS:
            text = practice[name] or ""
            lines = {line.strip().lstrip("#").strip().lower() for line in text.split("\n")}
            found = sorted(lines & (questions | {"other notes", "type of measure", "affected sector"}))
            headings += [(practice["slug"], name, question) for question in found]
            mojibake += [(practice["slug"], name, pattern) for pattern in MOJIBAKE if pattern in text]
        if re.match(r"^\s*(\(\d+\)|\d{1,2}[.)]\s|[-*•✓✔])", practice["title"]) or re.search("[✓✔☑]", practice["title"]):
            titles.append(practice["title"])
    assert headings == []
    assert mojibake == []
    assert titles == []
    fifteen = Practice.objects.get(title="15-minute city")
    assert "the “15-Minute City” is an urban model" in fifteen.description
    assert "Bogotá" in fifteen.description


@pytest.mark.parametrize(
    ("broken", "repaired"),
    [
        ("the ‚Äú15-Minute City‚Äù is", "the “15-Minute City” is"),
        ("in Barcelona, Bogot√°, Chengdu", "in Barcelona, Bogotá, Chengdu"),
        ("the city‚Äôs streets", "the city’s streets"),
        ("Caf\u00c3\u00a9 au lait", "Café au lait"),
        ("donâ€™t", "don’t"),
        ("城市，“你好”。", "城市，“你好”。"),  # full-width punctuation and curly quotes stay as they are
        ("Düsseldorf – Zürich", "Düsseldorf – Zürich"),
    ],
)
def test_mojibake_is_repaired_and_clean_text_is_left_alone(broken: str, repaired: str) -> None:
    assert repair_text(broken) == repaired


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("(1) Stationary in newly opened tertiary schools", "Stationary in newly opened tertiary schools"),
        (
            "✓Art work which includes drawing and painting. ✓ selling rice and potatoes.",
            "Art work which includes drawing and painting. Selling rice and potatoes.",
        ),
        ("1.\xa0\xa0 Exploratory discussions", "Exploratory discussions"),
        ("100% Renewable Energy", "100% Renewable Energy"),
        ("2.5 million trees", "2.5 million trees"),
    ],
)
def test_titles_lose_list_markers_and_check_marks(title: str, expected: str) -> None:
    assert clean_title(title) == expected


def test_form_categories_and_notes_are_read_as_values_and_links() -> None:
    assert category_values("- 5. (none)") == []
    assert category_values("- 3. mitigation measures") == ["mitigation measures"]
    assert links_and_rest("United Nations Climate Change - https://eciu.net/netzerotracker") == (
        ["https://eciu.net/netzerotracker"],
        "",  # it only introduced the address
    )
    note = "Adopted in Paris and Ottawa.\n\nFor more information, see https://example.org/15min"
    assert links_and_rest(note) == (["https://example.org/15min"], "Adopted in Paris and Ottawa.")
    assert links_and_rest("[https://www.airvision.kz/](https://www.airvision.kz/)") == (
        ["https://www.airvision.kz/"],
        "",
    )
