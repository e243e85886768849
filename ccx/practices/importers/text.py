"""Cleaning the text of source records: form answers to Markdown, summaries, names to compare, keyword rules."""

import html
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import ftfy

from ccx.core.words import WORD_UNIT, word_count
from ccx.practices.validation import MAX_SUMMARY_WORDS

# Keyword rules onto the controlled vocabularies of ccx/practices/reference.py, matched case-insensitively.
THEME_RULES = [
    ("tourism", r"\btouris"),
    ("heritage", r"\bheritage"),
    ("mobility", r"\bmobility|\btransport"),
    ("environment", r"\bclimate|\benvironment|\bwaste|\bgreen\b|\bbiodiversity|\bpollution|\brecycl"),
    ("health", r"\bhealth"),
    ("education", r"\beducat|\bschool|\blearning\b"),
    ("governance", r"\bparticipat|\bgovernance|\bpolicy|\bpolicies|\blocal government"),
    ("inclusion", r"\binclusi|\bgender|\byouth|\bmigra|\bwomen\b|\bdisabilit|\baccessib"),
    ("digital-services", r"\bdigital|\bapps?\b|\bplatforms?\b|\bdata\b"),
    ("water", r"\bwater"),
    ("energy", r"\benerg"),
    ("food", r"\bfood|\bagricultur|\bgastronom"),
    ("housing", r"\bhousing|\bpublic spaces?\b"),
    ("safety", r"\bdisaster|\bresilien|\bsafety"),
    ("culture", r"\bcultur|\bcreativ|\barts?\b|\bmuseum"),
    ("economy", r"\beconom|\bemployment|\bjobs?\b|\bentrepreneur|\blivelihood"),
]
TECHNOLOGY_RULES = [
    ("artificial-intelligence", r"\bai\b|\bartificial intelligence|\bmachine learning"),
    ("big-data", r"\bbig data"),
    ("open-data", r"\bopen data"),
    ("blockchain", r"\bblockchain"),
    ("iot", r"\biot\b|\binternet of things|\bsensors?\b"),
    ("mobile-apps", r"\bapps?\b|\bmobile application"),
    ("gis", r"\bgis\b|\bmaps?\b|\bmapping\b"),
    ("drones", r"\bdrones?\b"),
    ("digital-platforms", r"\bplatforms?\b"),
    ("digital-twins", r"\bdigital twins?\b"),
    ("cloud-computing", r"\bcloud\b"),
    ("virtual-reality", r"\bvr\b|\bar\b|\bvirtual reality|\baugmented reality|\bimmersive|\bmetaverse"),
]
COVID = re.compile(r"covid|coronavirus|pandemi", re.IGNORECASE)


# ftfy undoes mojibake (UTF-8 read as Mac Roman or Windows-1252, as in "Bogot√°") and nothing
# else: quotes stay curly, full-width CJK punctuation stays full-width, line breaks stay.
MOJIBAKE_FIX = ftfy.TextFixerConfig(
    uncurl_quotes=False,
    fix_character_width=False,
    fix_line_breaks=False,
    fix_latin_ligatures=False,
    normalization="NFC",
    explain=False,
)
# Marks that begin a listed item in a title: "(1) ", "1. ", "- ", "• ", and check marks anywhere.
TITLE_LIST_MARKER = re.compile(r"^\s*(?:\(\d{1,2}\)|\d{1,2}[.)](?!\d)|[-*•·▪►])\s*")
CHECK_MARKS = re.compile(r"\s*[✓✔☑✅✗✘]\s*")


NON_ASCII_RUN = re.compile(r"[^\x00-\x7f]{2,}")


def repair_text(text: str) -> str:
    """The text with mojibake undone. ftfy decides from the whole text; a lone pair it leaves ("Bogot√°" in an
    otherwise clean answer) is undone when it is exactly UTF-8 read as Mac Roman."""
    if not text:
        return text
    return NON_ASCII_RUN.sub(_mac_roman_pair, ftfy.fix_text(text, MOJIBAKE_FIX))


def _mac_roman_pair(match: re.Match[str]) -> str:
    try:
        return match.group().encode("mac_roman").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return match.group()


def repaired(value: Any) -> Any:
    """A source record with every string repaired (keys and nesting kept)."""
    if isinstance(value, str):
        return repair_text(value)
    if isinstance(value, list):
        return [repaired(item) for item in value]
    if isinstance(value, dict):
        return {key: repaired(item) for key, item in value.items()}
    return value


def clean_title(title: str) -> str:
    """A title as a reader expects it: no list number or bullet in front, no check marks, one sentence case start.

    "(1) Stationary in newly opened schools" and "✓Art work … ✓ selling rice" were items of a form's list.
    """
    text = " ".join(html.unescape(title).split())
    text = CHECK_MARKS.sub(" ", f" {text} ").strip()
    text = TITLE_LIST_MARKER.sub("", text).strip()
    text = re.sub(r"([.!?]) ([a-z])", lambda match: f"{match.group(1)} {match.group(2).upper()}", text)
    return text[:1].upper() + text[1:]


FORM_HEADING = re.compile(r"^\s*(#{1,6}(\s.*)?|\*{4,})\s*$")
FORM_INSTRUCTION = re.compile(r"^\s*\*\*.*\*\*\s*$")
TAG = re.compile(r"\[\[[^\]]*\]\]")
SENTENCE_END = re.compile(r"[.!?…。！？؟][\"'”’)\]」』]*$")


def clean_text(text: str) -> str:
    """Plain Markdown from a form answer: entities decoded, the form's headings and their instructions removed.

    The UNDP forms leak their section headings ("## Design") followed by a bold instruction ("**Explain the
    design…**") into answers and bodies; a bold line that follows anything else is kept.
    """
    text = html.unescape(text).replace("\xa0", " ").replace("\r\n", "\n").replace("\r", "\n")
    lines: list[str] = []
    after_heading = False
    for line in TAG.sub("", text).split("\n"):
        if FORM_HEADING.match(line):
            after_heading = True
        elif after_heading and FORM_INSTRUCTION.match(line):
            after_heading = False
        else:
            after_heading = after_heading and not line.strip()  # blank lines may separate the two
            lines.append(line.rstrip())
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def summarize(text: str, limit: int = MAX_SUMMARY_WORDS) -> str:
    """At most `limit` words, as the practice validator counts them (ccx.core.words: a Chinese text is not one
    word), on one paragraph; a shortened text ends at a sentence or word, with "…"."""
    flat = " ".join(re.sub(r"(?m)^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", text).split())
    words = list(WORD_UNIT.finditer(flat))
    if len(words) <= limit:
        return flat
    sentence_ends = [index for index in range(limit - 1) if SENTENCE_END.search(words[index].group())]
    if sentence_ends and sentence_ends[-1] >= limit * 2 // 3:
        return flat[: words[sentence_ends[-1]].end()] + " …"
    for last in (limit - 1, limit - 2):  # "…" right after a Chinese character is a word of its own
        shortened = flat[: words[last].end()].rstrip(",;:–—-，、；：") + "…"
        if word_count(shortened) <= limit:
            break
    return shortened


def plain(text: str) -> str:
    """The text without accents, with straight apostrophes and single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.replace("’", "'").replace("‘", "'"))
    return " ".join("".join(char for char in decomposed if not unicodedata.combining(char)).split())


def fold(text: str) -> str:
    """Lower case without accents, apostrophes or extra spaces, to compare names."""
    return plain(text).lower()


def matches(rules: list[tuple[str, str]], texts: Iterable[str]) -> list[str]:
    joined = "\n".join(texts)
    return [slug for slug, pattern in rules if re.search(pattern, joined, re.IGNORECASE)]


# Places ------------------------------------------------------------------------------------------------------
