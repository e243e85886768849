"""Text processing shared by indexing, querying and snippets: cleaning, tokenisation and passages.

Everything here is deterministic and depends only on its arguments (plus an optional, explicitly passed
``Boilerplate`` set), so per-document artefacts can be computed once, stored, and reused.

Tokeniser (the same for every language, documents and queries alike):
- HTML tags are dropped, text is NFKC-normalised (full-width forms → ASCII), case-folded, and "light"
  accent folding removes the combining accents (U+0300-U+036F) of Latin letters only: ``é → e``,
  ``ñ → n``, while Cyrillic ``й``, Devanagari vowel signs, Arabic letters or Hangul are left intact.
- words are Unicode ``\\w+`` runs; runs of scripts written without spaces (Han, kana, Thai, Lao, Khmer,
  Myanmar) become overlapping character bigrams (a lone character stays a unigram);
- a small stop-word list (English, French, Spanish function words) is dropped whatever the language (queries
  also drop the function words of their own language, see :mod:`ccx.search.language`);
- optional light plural folding: a Latin-script word of 4+ letters ending in ``s`` (not ``ss``, ``us``,
  ``is``) loses the ``s`` — the same rule for en/fr/es/pt/…; it never touches other scripts.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache

from ccx.core.words import NOSPACE_CHARS, WORD_UNIT

_TAG = re.compile(r"<[^>]{0,200}>")
_COMBINING_LATIN = re.compile("(?<=[A-Za-z])[\u0300-\u036f]+")
# \w misses the combining vowel signs of Indic and South-East Asian scripts and Arabic/Hebrew points:
# count them as word characters so that "हिन्दी" stays one word
_MARKS = (
    "\u0591-\u05c7\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed"  # Hebrew points, Arabic marks
    "\u0900-\u0963\u0966-\u0dff\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff"  # Indic, Thai, Lao, Myanmar, Khmer
)
_WORD = re.compile(f"[\\w{_MARKS}]+")
# scripts written without spaces between words (see ccx.core.words)
_NOSPACE_CHARS = NOSPACE_CHARS
_NOSPACE_RUN = re.compile(f"[{_NOSPACE_CHARS}]+")
_HAS_NOSPACE = re.compile(f"[{_NOSPACE_CHARS}]")
_WS = re.compile(r"\s+")
# passage units are words as the platform counts them: one or two characters of a no-space script, or a
# whitespace-delimited chunk
_UNIT = WORD_UNIT

_ENGLISH_STOP = (
    "a an and are as at be by for from has have in is it its of on or that the this to was were will with"
    " we our us they their which who what how not can been also into than"
)
_STOP = (
    _ENGLISH_STOP
    + " au aux ce ces dans de des du en est et il la le les leur leurs par pas pour qui que sa se ses son"  # fr
    " sur un une nous vous ou d l"
    " al como con del el ella ellos es esta este las lo los mas para pero por se su sus una uno y"  # es
)
# dropped from every text at indexing (the index's own list, whatever the language; see language.py for the
# per-language lists that queries use on top of it)
STOP_WORDS = frozenset(_STOP.split())
ENGLISH_STOP_WORDS = frozenset(_ENGLISH_STOP.split())


def fold(text: str) -> str:
    """Case-fold and lightly accent-fold ``text`` (see the module docstring)."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    text = _COMBINING_LATIN.sub("", text)
    return unicodedata.normalize("NFC", text).casefold()


def _plural(word: str) -> str:
    if len(word) > 3 and word[-1] == "s" and word[-2] not in "sui" and word.isascii() and word.isalpha():
        return word[:-1]
    return word


def tokenize(text: str, *, stem: bool = False, stop: frozenset[str] = STOP_WORDS) -> list[str]:
    """Index terms of ``text`` in order (repeated terms are repeated), without the ``stop`` terms."""
    text = fold(_TAG.sub(" ", text))
    out: list[str] = []
    for word in _WORD.findall(text):
        if word.isascii() or not _HAS_NOSPACE.search(word):
            if word in stop:
                continue
            out.append(_plural(word) if stem else word)
            continue
        position = 0
        for run in _NOSPACE_RUN.finditer(word):
            if run.start() > position:  # letters of another script glued to the run, e.g. "2030年"
                out.append(word[position : run.start()])
            chars = run.group()
            if len(chars) == 1:
                out.append(chars)
            else:
                out.extend(b for b in (chars[i : i + 2] for i in range(len(chars) - 1)) if b not in stop)
            position = run.end()
        if position < len(word):
            out.append(word[position:])
    return out


def strip_words(text: str, words: frozenset[str]) -> str:
    """``text`` without the words (index terms) in ``words``, other words kept as written, spaces collapsed.
    Scripts without spaces are left whole (their terms are character bigrams, not words)."""
    kept = [m.group() for m in _WORD.finditer(text) if _HAS_NOSPACE.search(m.group()) or fold(m.group()) not in words]
    return " ".join(kept)


def tokenize_all(text: str) -> list[str]:
    """Every term of ``text``, function words included."""
    return tokenize(text, stop=frozenset())


def term_counts(text: str, *, stem: bool = False) -> Counter[str]:
    return Counter(tokenize(text, stem=stem))


# ---------------------------------------------------------------- cleaning and boilerplate


def _line_key(line: str) -> str:
    return hashlib.blake2b(_WS.sub(" ", line).strip().lower().encode(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Boilerplate:
    """Lines repeated verbatim across many records (form templates: "Please provide a name for …").

    Learned once from a corpus with :meth:`learn` and then applied unchanged to every document and query,
    so artefacts stay deterministic; store ``keys`` with the artefacts and relearn only on full rebuilds.
    """

    keys: frozenset[str] = frozenset()

    @classmethod
    def learn(cls, texts: Iterable[str], *, min_share: float = 0.01, min_docs: int = 20) -> Boilerplate:
        """Lines found in at least ``max(min_docs, min_share x number of texts)`` distinct texts."""
        counts: Counter[str] = Counter()
        n = 0
        for text in texts:
            n += 1
            counts.update({_line_key(line) for line in _TAG.sub("\n", text).split("\n") if line.strip()})
        threshold = max(min_docs, int(min_share * n))
        return cls(frozenset(key for key, count in counts.items() if count >= threshold))

    def clean(self, text: str) -> str:
        """Drop HTML tags and boilerplate lines, collapse blank lines."""
        lines = [line.strip() for line in _TAG.sub("\n", text).split("\n")]
        kept = [line for line in lines if line and (not self.keys or _line_key(line) not in self.keys)]
        return "\n".join(kept)


NO_BOILERPLATE = Boilerplate()


# ---------------------------------------------------------------- passages


@dataclass(frozen=True)
class PassageSettings:
    """How a document is cut into passages for the encoder.

    ``head_words``: the "head" passage is the title plus the first ``head_words`` units of the body.
    The rest of the body is cut into windows of ``window_words`` units overlapping by ``overlap_words``.
    ``max_passages`` caps head + windows: when a body would need more windows, the windows are widened
    (not dropped) so that the whole text is still covered — long documents get coarser passages, no text is
    ever silently discarded.  A unit is a whitespace-delimited word, or 2 characters of a no-space script.
    """

    head_words: int = 100
    window_words: int = 150
    overlap_words: int = 25
    max_passages: int = 8

    def key(self) -> str:
        return f"h{self.head_words}-w{self.window_words}-o{self.overlap_words}-m{self.max_passages}"


def passages(title: str, body: str, settings: PassageSettings) -> list[str]:
    """Passages of one (already cleaned) document: the head first, then the body windows."""
    spans = [(m.start(), m.end()) for m in _UNIT.finditer(body)]
    n = len(spans)
    head_n = min(n, settings.head_words)
    head_body = body[: spans[head_n - 1][1]] if head_n else ""
    head = f"{title.strip()}\n{head_body}".strip() if title.strip() else head_body
    result = [head] if head else []
    if n <= head_n:
        return result or [title]
    overlap = settings.overlap_words
    start = max(0, head_n - overlap)
    remaining = n - start
    slots = max(1, settings.max_passages - 1)
    window = settings.window_words
    stride = window - overlap
    needed = 1 if remaining <= window else 1 + -(-(remaining - window) // stride)
    if needed > slots:  # widen the windows so that `slots` of them cover everything
        window = -(-(remaining + overlap * (slots - 1)) // slots)
        stride = window - overlap
    position = start
    while position < n:
        end = min(n, position + window)
        if end - position < overlap and len(result) > 1:  # a tiny tail is already inside the previous window
            break
        result.append(body[spans[position][0] : spans[end - 1][1]])
        if end == n:
            break
        position += stride
    return result


# ---------------------------------------------------------------- snippets


def snippet(
    text: str,
    query: str,
    *,
    words: int = 30,
    weight: Callable[[str], float] | None = None,
    stem: bool = False,
    stop: frozenset[str] = STOP_WORDS,
) -> tuple[str, tuple[str, ...]]:
    """The best ~``words``-unit passage of ``text`` for ``query`` and the surface words in it that match.

    Windows of ``words`` units slide by a third of their size; a window scores the summed ``weight`` (e.g.
    idf; 1 by default) of the distinct query terms it contains plus 0.1 per matching word, the earliest best
    window wins.  Matching uses :func:`tokenize`, so accents, case and CJK bigrams behave as in the index;
    the returned surface forms are what to wrap in ``<mark>`` (each listed once, in reading order).
    """
    query_terms = set(tokenize(query, stem=stem, stop=stop))
    clean = _WS.sub(" ", _TAG.sub(" ", text)).strip()
    units = list(_UNIT.finditer(clean))
    if not units:
        return "", ()
    if clean.isascii() and not stem:
        matches = _ascii_matches(clean, units, query_terms)
    elif not _HAS_NOSPACE.search(clean):
        matches = _spaced_matches(clean, units, query_terms, stem)
    else:
        matches = _matches(clean, units, query_terms, stem)
    weigh = weight or (lambda _term: 1.0)
    size = max(1, min(words, len(units)))
    stride = max(1, size // 3)
    best_start, best_score = 0, -1.0
    # windows start every `stride` units; one without a match scores 0, so only those holding one are scored
    # (and the first window, the answer when nothing matches)
    starts = {0}
    last = max(1, len(units) - size + stride) - 1
    for unit in (i for i, found in enumerate(matches) if found):
        first = max(0, -(-(unit - size + 1) // stride)) * stride
        starts.update(range(first, min(unit, last) + 1, stride))
    for start in sorted(starts):
        window = matches[start : start + size]
        terms = {term for found in window for term, _ in found}
        score = sum(weigh(term) for term in terms) + 0.1 * sum(len(found) for found in window)
        if score > best_score:
            best_start, best_score = start, score
    hits = [i for i in range(best_start, min(len(units), best_start + size)) if matches[i]]
    if hits:  # centre the window on its matches
        best_start = max(0, (hits[0] + hits[-1]) // 2 - size // 2)
    end = min(len(units), best_start + size)
    best_start = max(0, end - size)
    passage = clean[units[best_start].start() : units[end - 1].end()]
    if best_start > 0:
        passage = "… " + passage
    if end < len(units):
        passage += " …"
    surfaces: dict[str, None] = {}
    run_start = run_end = -1  # a run of matching no-space characters, [run_start, run_end)
    for found, m in zip(matches[best_start:end], units[best_start:end], strict=True):
        nospace = bool(_HAS_NOSPACE.match(m.group()))
        for _, surface in found:
            if not nospace:
                surfaces.setdefault(surface, None)
                continue
            position = int(surface)
            if position != run_end:
                if run_end > run_start:
                    surfaces.setdefault(clean[run_start:run_end], None)
                run_start = position
            run_end = position + 1
    if run_end > run_start:
        surfaces.setdefault(clean[run_start:run_end], None)
    return passage, tuple(surfaces)


def _matches(clean: str, units: list[re.Match[str]], query_terms: set[str], stem: bool) -> list[list[tuple[str, str]]]:
    """Per unit of ``clean``: its (query term, surface word or no-space character position) matches."""
    matches: list[list[tuple[str, str]]] = []
    for m in units:
        found: list[tuple[str, str]] = []
        chunk = m.group()
        if query_terms and _HAS_NOSPACE.match(chunk):
            # characters of a no-space script: a character matches if a query bigram (or a lone query
            # character) covers it; the surface is the run of matching characters
            marked = []
            for position in range(m.start(), m.end()):
                for term in (clean[position - 1 : position + 1] if position else "", clean[position : position + 2]):
                    if len(term) == 2 and term in query_terms:
                        marked.append((term, str(position)))
                        break
                else:
                    if clean[position] in query_terms:
                        marked.append((clean[position], str(position)))
            found.extend(marked)
        elif query_terms:
            for word in _WORD.finditer(chunk):
                surface = word.group()
                found.extend((term, surface) for term in _word_terms(surface, stem) if term in query_terms)
        matches.append(found)
    return matches


@lru_cache(maxsize=200_000)
def _word_terms(word: str, stem: bool) -> tuple[str, ...]:
    """The index terms of one word of a text (memoised: the same words recur across texts and requests)."""
    return tuple(tokenize(word, stem=stem))


def _spaced_matches(
    clean: str, units: list[re.Match[str]], query_terms: set[str], stem: bool
) -> list[list[tuple[str, str]]]:
    """:func:`_matches` for a text of scripts written with spaces (any accents): each distinct word is
    tokenized once, then one regular expression finds the matching words instead of a loop over every unit."""
    matches: list[list[tuple[str, str]]] = [[] for _ in units]
    if not query_terms:
        return matches
    matching: dict[str, list[str]] = {}
    for surface in set(_WORD.findall(clean)):
        if terms := [term for term in _word_terms(surface, stem) if term in query_terms]:
            matching[surface] = terms
    if not matching:
        return matches
    surfaces = sorted(matching, key=len, reverse=True)
    pattern = re.compile(f"(?<![\\w{_MARKS}])(?:" + "|".join(map(re.escape, surfaces)) + f")(?![\\w{_MARKS}])")
    starts = [unit.start() for unit in units]
    for found in pattern.finditer(clean):
        surface = found.group()
        matches[bisect_right(starts, found.start()) - 1].extend((term, surface) for term in matching[surface])
    return matches


def _ascii_matches(clean: str, units: list[re.Match[str]], query_terms: set[str]) -> list[list[tuple[str, str]]]:
    """:func:`_matches` for an ASCII text without stemming, where a word's index term is the word in lower case:
    one regular expression finds the query's words instead of tokenizing every word of a long text."""
    matches: list[list[tuple[str, str]]] = [[] for _ in units]
    # as in _matches, where tokenize drops them, a function word of STOP_WORDS never matches
    terms = sorted((t for t in query_terms if t.isascii() and t not in STOP_WORDS), key=len, reverse=True)
    if not terms:
        return matches
    pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, terms)) + r")(?!\w)", re.IGNORECASE | re.ASCII)
    starts = [unit.start() for unit in units]
    for found in pattern.finditer(clean):
        surface = found.group()
        matches[bisect_right(starts, found.start()) - 1].append((surface.lower(), surface))
    return matches
