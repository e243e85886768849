"""How the platform counts words, in every script (plain Python: the search engine's text analysis uses it too).

A word is a whitespace-delimited chunk, or, in a script written without spaces between words (Chinese,
Japanese, Thai, Lao, Myanmar, Khmer), one or two characters: about what an English word carries. Counting by
spaces alone takes a Chinese paragraph for a single word, so a "150 words at most" rule would never apply to
it and "a few words at least" would refuse every Chinese sentence.
"""

import re

# scripts written without spaces between words: CJK ideographs, kana, Thai, Lao, Myanmar, Khmer
NOSPACE_CHARS = (
    "\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
)
# one word: one or two characters of a script without spaces, or a whitespace-delimited chunk
WORD_UNIT = re.compile(f"[{NOSPACE_CHARS}]{{1,2}}|[^\\s{NOSPACE_CHARS}]+")


def word_count(text: str) -> int:
    """The number of words of ``text`` (see the module's docstring)."""
    return len(WORD_UNIT.findall(text))
