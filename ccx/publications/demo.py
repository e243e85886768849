"""The demo publication and exhibition that `ccx setup` creates from the bundled practices (once)."""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Max

from ccx.practices.models import Licence, Practice
from ccx.publications.models import Chapter, ChapterPractice, Exhibition, ExhibitionItem, Publication

PUBLICATION_SLUG = "creative-cities-response-to-covid-19-demo"
EXHIBITION_SLUG = "living-heritage-demo"

# Chapters by theme: a practice goes into the first chapter that names one of its themes.
CHAPTERS = [
    (
        ("health", "safety", "water"),
        {"en": "Health and safety", "fr": "Santé et sécurité", "zh-hans": "健康与安全"},
        {
            "en": "How cities kept people safe and cared for during the pandemic.",
            "fr": "Comment les villes ont protégé et soigné leurs habitants pendant la pandémie.",
            "zh-hans": "城市如何在疫情期间保护和照顾居民。",
        },
    ),
    (
        ("economy", "food"),
        {"en": "Livelihoods and food", "fr": "Moyens de subsistance et alimentation", "zh-hans": "生计与食物"},
        {"en": "Keeping local businesses, markets and food supplies alive.", "fr": "", "zh-hans": ""},
    ),
    (
        ("inclusion", "education", "housing"),
        {"en": "Inclusion and learning", "fr": "Inclusion et apprentissage", "zh-hans": "包容与学习"},
        {"en": "Reaching the people the crisis hit hardest, and keeping learning going.", "fr": "", "zh-hans": ""},
    ),
    (
        ("digital-services", "governance", "mobility"),
        {
            "en": "Digital services and governance",
            "fr": "Services numériques et gouvernance",
            "zh-hans": "数字服务与治理",
        },
        {"en": "Public services and decisions that moved online.", "fr": "", "zh-hans": ""},
    ),
    (
        ("culture", "heritage", "tourism", "environment", "energy"),
        {
            "en": "Culture, heritage and environment",
            "fr": "Culture, patrimoine et environnement",
            "zh-hans": "文化、遗产与环境",
        },
        {"en": "Creative answers to closed venues and a changed city.", "fr": "", "zh-hans": ""},
    ),
    (
        (),
        {"en": "Other responses", "fr": "Autres réponses", "zh-hans": "其他应对措施"},
        {"en": "", "fr": "", "zh-hans": ""},
    ),
]


@dataclass
class DemoReport:
    publication_created: bool
    exhibition_created: bool
    practices_in_publication: int
    practices_in_exhibition: int


def _translations(texts: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    languages = {language for values in texts.values() for language in values if language != "en"}
    return {
        language: {field: values[language] for field, values in texts.items() if values.get(language)}
        for language in sorted(languages)
        if any(values.get(language) for values in texts.values())
    }


@transaction.atomic
def ensure_demo_content() -> DemoReport:
    """Create the demo publication and exhibition unless they exist; an edited demo is left as it is."""
    publication, publication_created = Publication.objects.get_or_create(
        slug=PUBLICATION_SLUG,
        defaults={
            "title": "Creative Cities Response to COVID-19 (demo)",
            "subtitle": "Good urban practices of cities facing the pandemic",
            "editors": "Secretariat of the network",
            "foreword": (
                "Cities answered the COVID-19 pandemic with creativity: they moved services online, kept "
                "markets and cultural life going, and reached the people the crisis hit hardest.\n\n"
                "This demo gathers the practices of the library tagged as responses to COVID-19, by theme."
            ),
            "licence": Licence.CC_BY_SA_3_IGO,
            "is_published": True,
            "translations": _translations(
                {
                    "title": {
                        "fr": "Les villes créatives face à la COVID-19 (démo)",
                        "zh-hans": "创意城市应对新冠肺炎疫情（演示）",
                    },
                    "subtitle": {
                        "fr": "Bonnes pratiques urbaines des villes face à la pandémie",
                        "zh-hans": "城市应对疫情的良好实践",
                    },
                }
            ),
        },
    )
    if publication_created:
        _fill_chapters(publication)
    exhibition, exhibition_created = Exhibition.objects.get_or_create(
        slug=EXHIBITION_SLUG,
        defaults={
            "title": "Living heritage (demo)",
            "introduction": (
                "Museums, craftspeople and cities that bring heritage to life: a selection of the cultural "
                "heritage practices of the library."
            ),
            "is_published": True,
            "is_featured": not Exhibition.objects.filter(is_featured=True).exists(),
            "translations": {
                "fr": {"title": "Patrimoine vivant (démo)"},
                "zh-hans": {"title": "活的遗产（演示）"},
            },
        },
    )
    if exhibition_created:
        heritage = Practice.objects.published().filter(themes__slug="heritage").distinct().order_by("title")
        ExhibitionItem.objects.bulk_create(
            ExhibitionItem(exhibition=exhibition, practice=practice, position=index)
            for index, practice in enumerate(heritage, start=1)
        )
    return DemoReport(
        publication_created,
        exhibition_created,
        ChapterPractice.objects.filter(chapter__publication=publication).count(),
        exhibition.items.count(),
    )


def _fill_chapters(publication: Publication) -> None:
    practices = list(
        Practice.objects.published().exclude(crisis_response="").prefetch_related("themes").order_by("title")
    )
    placed: dict[int, list[Practice]] = {index: [] for index in range(len(CHAPTERS))}
    for practice in practices:
        themes = {theme.slug for theme in practice.themes.all()}
        chosen = next(
            (index for index, (slugs, _t, _i) in enumerate(CHAPTERS) if themes & set(slugs)), len(CHAPTERS) - 1
        )
        placed[chosen].append(practice)
    position = (publication.chapters.aggregate(last=Max("position"))["last"] or 0) + 1
    for index, (_slugs, titles, introductions) in enumerate(CHAPTERS):
        if not placed[index]:
            continue
        chapter = Chapter.objects.create(
            publication=publication,
            position=position,
            title=titles["en"],
            introduction=introductions["en"],
            translations=_translations({"title": titles, "introduction": introductions}),
        )
        position += 1
        ChapterPractice.objects.bulk_create(
            ChapterPractice(chapter=chapter, practice=practice, position=number)
            for number, practice in enumerate(placed[index], start=1)
        )
