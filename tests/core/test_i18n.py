from django.utils import translation

from ccx.core.i18n import normalise_language, pick


def test_pick_prefers_the_wanted_language_then_the_original() -> None:
    versions = {"en": "City", "fr": "Ville"}
    assert (pick(versions, "fr").text, pick(versions, "fr").is_fallback) == ("Ville", False)
    fallback = pick(versions, "zh-hans")
    assert (fallback.text, fallback.language, fallback.is_fallback) == ("City", "en", True)
    assert pick({"fr": "Ville"}, "en", original="fr").text == "Ville"
    assert pick({}, "en").text == ""


def test_language_codes_are_normalised() -> None:
    assert [normalise_language(code) for code in ("zh", "zh-CN", "zh_Hans", "fr-CA", "EN")] == [
        "zh-hans",
        "zh-hans",
        "zh-hans",
        "fr",
        "en",
    ]


def test_fallback_language_name_is_in_the_interface_language() -> None:
    with translation.override("fr"):
        assert pick({"en": "x"}, "fr").language_name == "anglais"
    # a language as the search identifies it in text ("zh") is named as the site names it
    assert pick({"zh": "x"}, "en").language_name == "Simplified Chinese"
    assert pick({"ar": "x"}, "en").direction == "rtl"
