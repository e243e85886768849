"""Content in several languages: pick the visitor's version of a text, or fall back visibly."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import get_language, get_language_info

FALLBACK_ORDER = ("en", "fr", "zh-hans", "es", "ar", "ru")
RIGHT_TO_LEFT = {"ar"}
LOWER_CASE_LANGUAGE_NAMES = {"fr", "es", "ru"}


@dataclass(frozen=True)
class LocalizedText:
    text: str
    language: str
    is_fallback: bool

    def __str__(self) -> str:
        return self.text

    @property
    def direction(self) -> str:
        return "rtl" if self.language in RIGHT_TO_LEFT else "ltr"

    @property
    def language_name(self) -> str:
        """The language's name in the interface language ("anglais" on a French page)."""
        try:
            # normalised: the search identifies Chinese as "zh", Django names "zh-hans"
            name = str(get_language_info(normalise_language(self.language))["name_translated"])
        except KeyError:
            return self.language
        # French, Spanish and Russian write language names in lower case inside a sentence.
        return name.lower() if current_language() in LOWER_CASE_LANGUAGE_NAMES else name


def current_language() -> str:
    return normalise_language(get_language() or settings.LANGUAGE_CODE)


def normalise_language(code: str) -> str:
    """Map zh, zh-cn and zh_Hans to the site's zh-hans; keep other codes as base languages."""
    lowered = code.replace("_", "-").lower()
    if lowered.startswith("zh"):
        return "zh-hans"
    return lowered.split("-")[0]


def pick(versions: dict[str, str], language: str | None = None, original: str = "en") -> LocalizedText:
    """The text in `language` if there is one, else in the original language, else in any language."""
    wanted = normalise_language(language or current_language())
    if versions.get(wanted):
        return LocalizedText(versions[wanted], wanted, is_fallback=False)
    for candidate in (original, *FALLBACK_ORDER, *versions):
        if versions.get(candidate):
            return LocalizedText(versions[candidate], candidate, is_fallback=True)
    return LocalizedText("", wanted, is_fallback=False)


class Translatable:
    """For a model whose texts are in their fields in `original_language` and, in other languages, in
    `translations` rows that have the same field names (override `text_versions` to keep them elsewhere)."""

    original_language: str

    def text_versions(self, field: str) -> dict[str, str]:
        """`field` by language, the original first."""
        versions = {self.original_language: getattr(self, field)}
        for translation in self.translations.all():  # type: ignore[attr-defined]
            if getattr(translation, field):
                versions.setdefault(translation.language, getattr(translation, field))
        return versions

    def localized(self, field: str, language: str | None = None) -> LocalizedText:
        return pick(self.text_versions(field), language, original=self.original_language)
