"""The network at a glance for the secretariat: SDG coverage by region, reporting status, ties between cities.

Each view is a table (the heat map is a table whose cells are shaded by level, the numbers stay readable) and
has its CSV, written from the same rows.
"""

import io
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from ccx.cities.models import City, Region
from ccx.core.spreadsheets import SafeWriter
from ccx.partnerships.models import PUBLIC_STATUSES, PartnershipKind, Party, Transfer
from ccx.practices.models import Practice
from ccx.sdg.models import Goal, Target

REGIONS = [region for region in Region if region != Region.ANTARCTICA]
UNKNOWN_REGION = ""
HEAT_LEVELS = (0, 1, 3, 10, 30)  # lower bounds of the levels 0 to 4


def heat_level(count: int) -> int:
    return max(level for level, bound in enumerate(HEAT_LEVELS) if count >= bound)


@dataclass
class CoverageRow:
    target: Target
    counts: list[int]  # per region in REGIONS order, then "region unknown"

    @property
    def total(self) -> int:
        return sum(self.counts)

    @property
    def cells(self) -> list[tuple[int, int]]:
        return [(count, heat_level(count)) for count in self.counts]


def coverage(goal: int | None = None) -> list[CoverageRow]:
    """Published practices per SDG target and region (of the lead city, else of the practice's country).

    Every target of the chosen goal is listed (or, for all goals, every target some practice serves), so a
    gap shows as a row of zeros.
    """
    region = Coalesce(F("lead_city__country__region"), F("country__region"))
    counted = (
        Practice.objects.published()
        .filter(sdg_targets__isnull=False)
        .values(target_id=F("sdg_targets"), region=region)
        .annotate(practices=Count("pk", distinct=True))
    )
    if goal is not None:
        counted = counted.filter(sdg_targets__goal__number=goal)
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in counted:
        counts[row["target_id"]][row["region"] or UNKNOWN_REGION] += row["practices"]
    targets = Target.objects.select_related("goal").order_by("sort_key")
    targets = targets.filter(goal__number=goal) if goal is not None else targets.filter(pk__in=counts)
    columns = [*[str(region.value) for region in REGIONS], UNKNOWN_REGION]
    return [CoverageRow(target, [counts[target.pk][column] for column in columns]) for target in targets]


def coverage_csv(rows: list[CoverageRow]) -> str:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["target", "title", *[region.value for region in REGIONS], "region_unknown", "total"])
    for row in rows:
        writer.writerow([row.target.code, row.target.titles.get("en", ""), *row.counts, row.total])
    return buffer.getvalue()


def goals_with_targets() -> list[Goal]:
    return list(Goal.objects.order_by("number"))


@dataclass
class CityTies:
    city: City
    by_kind: list[int]  # public partnerships per kind, in PartnershipKind order
    transfers_given: int
    transfers_received: int

    @property
    def partnerships(self) -> int:
        return sum(self.by_kind)

    @property
    def total(self) -> int:
        return self.partnerships + self.transfers_given + self.transfers_received


def ties() -> list[CityTies]:
    """Each member's public partnerships by kind and its transfers, in three queries; most tied first."""
    kinds = list(PartnershipKind.values)
    per_kind: dict[int, Counter[str]] = defaultdict(Counter)
    parties = (
        Party.objects.filter(city__is_member=True, partnership__status__in=PUBLIC_STATUSES)
        .values("city_id", kind=F("partnership__kind"))
        .annotate(partnerships=Count("partnership", distinct=True))
    )
    for row in parties:
        per_kind[row["city_id"]][row["kind"]] += row["partnerships"]
    given: Counter[int] = Counter()
    received: Counter[int] = Counter()
    for from_city, to_city in Transfer.objects.visible_to(AnonymousUser()).values_list("from_city_id", "to_city_id"):
        if from_city:
            given[from_city] += 1
        if to_city:
            received[to_city] += 1
    tied = set(per_kind) | set(given) | set(received)
    cities = City.objects.filter(pk__in=tied, is_member=True).select_related("country", "field")
    rows = [
        CityTies(city, [per_kind[city.pk][kind] for kind in kinds], given[city.pk], received[city.pk])
        for city in cities
    ]
    return sorted(rows, key=lambda row: (-row.total, row.city.name))


def ties_csv(rows: list[CityTies]) -> str:
    buffer = io.StringIO()
    writer = SafeWriter(buffer)
    writer.writerow(["city", "identifier", "country", *PartnershipKind.values, "transfers_given", "transfers_received"])
    for row in rows:
        country = row.city.country.code if row.city.country else ""
        writer.writerow(
            [row.city.name, row.city.slug, country, *row.by_kind, row.transfers_given, row.transfers_received]
        )
    return buffer.getvalue()


def members_without_ties() -> int:
    return (
        City.objects.members()
        .exclude(
            Q(partnership_parties__partnership__status__in=PUBLIC_STATUSES)
            | Q(transfers_out__isnull=False)
            | Q(transfers_in__isnull=False)
        )
        .count()
    )
