"""Accepted reports and cities' SDG summaries as publications: web, EPUB and PDF by the publications engine.

Each is an ordinary `Publication` whose texts are written here from the records (generated headings in every
site language; the city's own texts in the language they were written in, marked as such by the engine), so
the engine's editions, builds, progress, versions and downloads serve them unchanged.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import override

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser
from ccx.cities.models import City
from ccx.core.i18n import normalise_language
from ccx.core.public_url import public_url
from ccx.monitoring.errors import MonitoringError
from ccx.monitoring.models import Report, ReportStatus, SdgSummary
from ccx.monitoring.permissions import is_responsible_for
from ccx.monitoring.profile import as_number, city_records_by_goal, indicator_series
from ccx.practices.models import Practice
from ccx.publications.builds import check_language, create_build
from ccx.publications.editions import edition_languages
from ccx.publications.models import Build, BuildStatus, Chapter, ChapterPractice, Publication
from ccx.publications.services import touch, unique_slug


def site_languages() -> list[str]:
    return [code for code, _name in edition_languages()]


def _in_every_language(make: object) -> dict[str, str]:
    """{language: text} for every site language, `make()` being called in each."""
    versions = {}
    for language in site_languages():
        with override(language):
            versions[language] = make()  # type: ignore[operator]
    return versions


def _set_texts(record: Publication | Chapter, original: str, fields: dict[str, dict[str, str]]) -> None:
    """Put each field's text in `original` in the field, the other languages in `translations`."""
    record.original_language = original
    translations: dict[str, dict[str, str]] = {}
    for name, versions in fields.items():
        setattr(record, name, versions.get(original, ""))
        for language, text in versions.items():
            if language != original and text:
                translations.setdefault(language, {})[name] = text
    record.translations = translations


def _publication_for(existing: Publication | None, slug_text: str) -> Publication:
    if existing is not None:
        return existing
    return Publication(slug=unique_slug(Publication, slug_text))


def _replace_chapters(
    publication: Publication, chapters: list[tuple[dict[str, dict[str, str]], str, list[int]]]
) -> None:
    """chapters: (texts by field and language, original language, practice ids)."""
    publication.chapters.all().delete()
    for position, (texts, original, practice_ids) in enumerate(chapters):
        chapter = Chapter(publication=publication, position=position)
        _set_texts(chapter, original, texts)
        chapter.save()
        ChapterPractice.objects.bulk_create(
            ChapterPractice(chapter=chapter, practice_id=pk, position=index) for index, pk in enumerate(practice_ids)
        )
    touch(publication)


def _city_line(city: City) -> str:
    parts = [city.country.localized_name if city.country else "", city.field.localized_name if city.field else ""]
    if city.designation_year:
        parts.append(_("member since %(year)s") % {"year": city.designation_year})
    return " · ".join(part for part in parts if part)


# --- Monitoring reports ---------------------------------------------------------------------------------------


def _report_chapters(report: Report) -> list[tuple[dict[str, dict[str, str]], str, list[int]]]:
    headings = {name: (lambda name=name: capfirst(Report.label(name))) for name in Report.SECTIONS}
    with override(report.language):
        resources_heading = _("Resources")
        targets = [f"- {t.code}: {t.title(report.language).text}" for t in report.sdg_targets.order_by("sort_key")]
    bodies = {name: getattr(report, name).strip() for name in headings}
    if report.resources.strip():
        bodies["action_plan"] = f"{bodies['action_plan']}\n\n### {resources_heading}\n\n{report.resources.strip()}"
    if targets:
        bodies["sdg_contribution"] = (bodies["sdg_contribution"] + "\n\n" + "\n".join(targets)).strip()
    chapters: list[tuple[dict[str, dict[str, str]], str, list[int]]] = []
    for name, heading in headings.items():
        if not bodies[name]:
            continue
        titles = _in_every_language(heading)
        intro = {report.language: bodies[name]}
        chapters.append(({"title": titles, "introduction": intro}, report.language, []))
    return chapters


@transaction.atomic
def sync_report_publication(report: Report) -> Publication:
    """Write (or rewrite) the publication of an accepted report from the report."""
    if report.status != ReportStatus.ACCEPTED:
        raise MonitoringError([_("Only an accepted report is published.")])
    city = report.city
    publication = _publication_for(report.publication, f"monitoring-report-{city.slug}-{report.due_year}")
    values = {"city": city.name, "start": report.period_start, "end": report.period_end}
    _set_texts(
        publication,
        "en",
        {
            "title": _in_every_language(lambda: _("Monitoring report %(start)s–%(end)s: %(city)s") % values),
            "subtitle": _in_every_language(lambda: _city_line(city)),
            "foreword": _in_every_language(
                lambda: (
                    _(
                        "The periodic monitoring report of %(city)s to the %(network)s for %(start)s–%(end)s, "
                        "accepted by the secretariat on %(accepted)s."
                    )
                    % {
                        **values,
                        "network": settings.NETWORK_NAME,
                        "accepted": (report.accepted_at or timezone.now()).date(),
                    }
                )
            ),
        },
    )
    publication.editors = city.name
    publication.is_published = True
    publication.save()
    _replace_chapters(publication, _report_chapters(report))
    if report.publication_id != publication.pk:
        report.publication = publication
        report.save(update_fields=["publication"])
    return publication


def request_edition(publication: Publication, city: City, language: str, user: AnyUser) -> Build:
    """Build the EPUB and PDF of one edition for a city's publication (its focal points and the secretariat)."""
    from ccx.publications.tasks import build_publication

    if not is_responsible_for(user, city):
        raise MonitoringError(
            [_("Only the city's focal points and the secretariat build its publications.")], permission=True
        )
    try:
        language = check_language(language)
    except ValidationError as error:  # it names the languages there are
        raise MonitoringError(error.messages) from None
    active = publication.builds.filter(language=language, status__in=[BuildStatus.QUEUED, BuildStatus.RUNNING]).first()
    if active is not None:
        return active
    build = create_build(publication, language, user=user if isinstance(user, User) else None)
    build_publication.enqueue(build.pk)
    build.refresh_from_db()
    return build


def publish_report(report: Report, user: AnyUser) -> Build:
    publication = sync_report_publication(report)
    return request_edition(publication, report.city, report.language, user)


# --- SDG summaries --------------------------------------------------------------------------------------------


def _values_table(city: City, language: str) -> str:
    series = indicator_series(city)
    if not series:
        return _(
            "No indicator values have been recorded for %(city)s yet. The city's focal points add them on the "
            "city's SDG page, or the secretariat imports them with `ccx import-indicators`."
        ) % {"city": city.name}
    lines = []
    for item in series:
        title = item.indicator.title(language).text
        group = f" ({item.disaggregation})" if item.disaggregation else ""
        lines.append(f"#### {item.indicator.code} {title}{group}\n")
        lines.append(f"| {_('Year')} | {_('Value')} | {_('Unit')} | {_('Source')} |")
        lines.append("|---|---|---|---|")
        for value in item.values:
            source = value.source.replace("|", "/")
            lines.append(f"| {value.year} | {as_number(value.value)} | {value.unit} | {source} |")
        notes = [value.method_note for value in item.values if value.method_note]
        if notes:
            lines.append("\n" + _("Method: %(notes)s") % {"notes": " ".join(dict.fromkeys(notes))})
        lines.append("")
    return "\n".join(lines)


def _goal_introduction(entry: object, language: str) -> str:
    lines = []
    for target_entry in entry.targets:  # type: ignore[attr-defined]
        titles = ", ".join(practice.title for practice in target_entry.practices)
        lines.append(f"- **{target_entry.target.code}** {target_entry.target.title(language).text} — {titles}")
    for challenge in entry.challenges:  # type: ignore[attr-defined]
        url = public_url(challenge.get_absolute_url())
        lines.append(f"- {_('Challenge')}: [{challenge.title}]({url})")
    for partnership in entry.partnerships:  # type: ignore[attr-defined]
        url = public_url(partnership.get_absolute_url())
        lines.append(f"- {partnership.get_kind_display()}: [{partnership.title}]({url})")
    return "\n".join(lines)


@transaction.atomic
def sync_sdg_summary(city: City) -> Publication:
    """Write the city's SDG summary from its current public records, in every site language."""
    existing = SdgSummary.objects.filter(city=city).select_related("publication").first()
    publication = _publication_for(existing.publication if existing else None, f"sdg-summary-{city.slug}")
    series = indicator_series(city)
    _set_texts(
        publication,
        "en",
        {
            "title": _in_every_language(lambda: _("SDG summary: %(city)s") % {"city": city.name}),
            "subtitle": _in_every_language(lambda: _city_line(city)),
            "foreword": _in_every_language(
                lambda: (
                    _(
                        "This summary of the progress of %(city)s towards the Sustainable Development Goals is "
                        "assembled from the records of the %(network)s: %(values)s indicator values, and the city's "
                        "good practices, challenges and partnerships by goal."
                    )
                    % {
                        "city": city.name,
                        "network": settings.NETWORK_NAME,
                        "values": sum(len(s.values) for s in series),
                    }
                )
            ),
        },
    )
    publication.editors = city.name
    publication.is_published = True
    publication.save()
    chapters: list[tuple[dict[str, dict[str, str]], str, list[int]]] = [
        (
            {
                "title": _in_every_language(lambda: _("Indicator values")),
                "introduction": {
                    lang: _in_language(lang, lambda lang=lang: _values_table(city, lang)) for lang in site_languages()
                },
            },
            "en",
            [],
        )
    ]
    shown: set[int] = set()
    for entry in city_records_by_goal(city, AnonymousUser()):  # only what everyone may see: a public document
        in_goal = [p for target_entry in entry.targets for p in target_entry.practices] + entry.practices_without_target
        practice_ids = _first_time(in_goal, shown)  # a practice under several goals is printed once, at the first
        goal = entry.goal
        titles = {lang: f"SDG {goal.number}: {goal.short_title(lang).text}" for lang in site_languages()}
        intros = {
            lang: _in_language(lang, lambda lang=lang, e=entry: _goal_introduction(e, lang))
            for lang in site_languages()
        }
        chapters.append(({"title": titles, "introduction": intros}, "en", practice_ids))
    _replace_chapters(publication, chapters)
    if existing is None:
        SdgSummary.objects.create(city=city, publication=publication)
    return publication


def _first_time(practices: list[Practice], shown: set[int]) -> list[int]:
    ids = []
    for practice in practices:
        if practice.pk not in shown:
            shown.add(practice.pk)
            ids.append(practice.pk)
    return ids


def _in_language(language: str, make: object) -> str:
    with override(language):
        return str(make())  # type: ignore[operator]


def build_sdg_summary(city: City, language: str, user: AnyUser) -> Build:
    if not is_responsible_for(user, city):
        raise MonitoringError(
            [_("Only the city's focal points and the secretariat build its publications.")], permission=True
        )
    publication = sync_sdg_summary(city)
    return request_edition(publication, city, normalise_language(language), user)
