"""What the platform already knows about a city in a reporting period, as the first text of its report.

The city then edits this material instead of retyping it: every item links to its record on the site.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from ccx.challenges.models import Challenge, ClinicResponse
from ccx.cities.models import City
from ccx.core.public_url import public_url
from ccx.events.models import Event, Signature
from ccx.partnerships.models import PUBLIC_STATUSES, Partnership, PartnershipStatus, Transfer
from ccx.practices.models import Practice
from ccx.sdg.models import Target


@dataclass
class CityRecords:
    practices: list[Practice] = field(default_factory=list)
    challenges: list[Challenge] = field(default_factory=list)
    clinic_responses: list[ClinicResponse] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)
    transfers: list[Transfer] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    signatures: list[Signature] = field(default_factory=list)
    targets: list[Target] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not any(
            (self.practices, self.challenges, self.clinic_responses, self.partnerships, self.transfers, self.events)
        )


def _moment(year: int, last: bool = False) -> datetime:
    day = date(year, 12, 31) if last else date(year, 1, 1)
    return timezone.make_aware(datetime.combine(day, time.max if last else time.min), timezone.get_default_timezone())


def city_records(city: City, first_year: int, last_year: int) -> CityRecords:
    """The city's own records dated in the period (from 1 January of the first year to the end of the last)."""
    since, until = _moment(first_year), _moment(last_year, last=True)
    in_years = Q(start_year__gte=first_year, start_year__lte=last_year) | Q(
        start_year__isnull=True, created_at__range=(since, until)
    )
    practices = list(
        Practice.objects.alive()
        .filter(Q(lead_city=city) | Q(partner_cities=city))
        .filter(in_years)
        .prefetch_related("sdg_targets")
        .distinct()
        .order_by("title")
    )
    challenges = list(
        Challenge.objects.filter(city=city, created_at__range=(since, until)).prefetch_related("sdg_goals")
    )
    responses = list(
        ClinicResponse.objects.filter(city=city, created_at__range=(since, until))
        .select_related("challenge__city")
        .order_by("created_at")
    )
    partnerships = list(
        Partnership.objects.filter(parties__city=city, status__in=PUBLIC_STATUSES)
        .filter(Q(agreed_at__range=(since, until)) | Q(start_date__range=(since.date(), until.date())))
        .prefetch_related("parties__city", "parties__organisation")
        .distinct()
        .order_by("title")
    )
    transfers = list(
        Transfer.objects.filter(Q(from_city=city) | Q(to_city=city))
        .filter(Q(started_on__range=(since.date(), until.date())) | Q(created_at__range=(since, until)))
        .select_related("practice", "from_city", "to_city")
        .order_by("created_at")
    )
    events = list(
        Event.objects.filter(Q(cities=city) | Q(host_city=city), starts_on__range=(since.date(), until.date()))
        .distinct()
        .order_by("starts_on")
    )
    signatures = list(
        Signature.objects.filter(city=city, signed_at__range=(since, until)).select_related("outcome__event")
    )
    target_ids = {target.pk for practice in practices for target in practice.sdg_targets.all()}
    return CityRecords(
        practices=practices,
        challenges=challenges,
        clinic_responses=responses,
        partnerships=partnerships,
        transfers=transfers,
        events=events,
        signatures=signatures,
        targets=list(Target.objects.filter(pk__in=target_ids).order_by("sort_key")),
    )


def _link(title: str, url: str) -> str:
    label = title.replace("[", "(").replace("]", ")")
    return f"[{label}]({public_url(url)})"


def _list(lines: list[str]) -> str:
    return "\n".join(f"- {line}" for line in lines)


def _other_parties(partnership: Partnership, city: City) -> str:
    names = []
    for party in partnership.parties.all():
        if party.city_id == city.pk:
            continue
        names.append(party.city.name if party.city else party.organisation.name if party.organisation else "")
    return ", ".join(name for name in names if name)


def prefilled_sections(city: City, records: CityRecords, language: str) -> dict[str, str]:
    """The report's sections written from the records, in the report's language (links are absolute)."""
    with override(language):
        local = [
            f"{_link(practice.title, practice.get_absolute_url())}: {practice.tagline or practice.summary[:200]}"
            for practice in records.practices
        ] + [
            _("Challenge: %(link)s") % {"link": _link(challenge.title, challenge.get_absolute_url())}
            for challenge in records.challenges
        ]
        international = [
            _("%(kind)s: %(link)s, with %(parties)s")
            % {
                "kind": partnership.get_kind_display(),
                "link": _link(partnership.title, partnership.get_absolute_url()),
                "parties": _other_parties(partnership, city) or _("other parties"),
            }
            for partnership in records.partnerships
        ]
        for transfer in records.transfers:
            if transfer.to_city_id == city.pk:
                line = _("Adapted %(practice)s from %(city)s (%(status)s)")
                other = transfer.from_city
            else:
                line = _("%(city)s adapted our %(practice)s (%(status)s)")
                other = transfer.to_city
            international.append(
                line
                % {
                    "practice": _link(transfer.practice.title, transfer.get_absolute_url()),
                    "city": other.name if other else "",
                    "status": transfer.get_status_display().lower(),
                }
            )
        international += [
            _("Advice to the case clinic of %(city)s: %(link)s")
            % {
                "city": response.challenge.city.name if response.challenge.city else "",
                "link": _link(response.challenge.title, response.challenge.get_absolute_url()),
            }
            for response in records.clinic_responses
        ]
        international += [
            _("Took part in %(link)s (%(date)s)")
            % {"link": _link(event.title, event.get_absolute_url()), "date": event.starts_on.isoformat()}
            for event in records.events
        ]
        international += [
            _("Signed “%(title)s” at %(event)s")
            % {"title": signature.outcome.title, "event": signature.outcome.event.title}
            for signature in records.signatures
        ]
        sdg = [
            _("%(target)s, through %(practices)s")
            % {
                "target": target.code,
                "practices": ", ".join(
                    _link(practice.title, practice.get_absolute_url())
                    for practice in records.practices
                    if any(served.pk == target.pk for served in practice.sdg_targets.all())
                ),
            }
            for target in records.targets
        ]
        contribution = (
            _(
                "Records of the city on the exchange for the period: good practices shared: %(practices)s; "
                "challenges posted: %(challenges)s; partnerships: %(partnerships)s; transfers: %(transfers)s; "
                "events: %(events)s."
            )
            % {
                "practices": len(records.practices),
                "challenges": len(records.challenges),
                "partnerships": len(records.partnerships),
                "transfers": len(records.transfers),
                "events": len(records.events),
            }
            if not records.is_empty
            else ""
        )
        open_items = [
            _link(partnership.title, partnership.get_absolute_url())
            for partnership in records.partnerships
            if partnership.status == PartnershipStatus.ACTIVE
        ]
        action_plan = _("Continue the active partnerships:") + "\n\n" + _list(open_items) if open_items else ""
    return {
        "contribution": contribution,
        "local_initiatives": _list(local),
        "international_initiatives": _list(international),
        "action_plan": action_plan,
        "sdg_contribution": _list(sdg),
    }
