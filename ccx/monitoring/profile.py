"""A city's SDG profile: its indicator values over time, its records by goal and target, and its peers' values.

The city's SDG page and its "SDG summary" publication are both drawn from `sdg_profile`, so they agree.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch, Q

from ccx.challenges.models import Challenge
from ccx.cities.models import City
from ccx.partnerships.models import Partnership
from ccx.practices.models import Practice
from ccx.sdg.models import Goal, Indicator, IndicatorValue, Target

SIMILAR_SIZE_RATIO = 2.0  # a city from half to twice the population counts as of similar size
MAX_PEERS = 8


@dataclass
class IndicatorSeries:
    indicator: Indicator
    unit: str
    disaggregation: str
    values: list[IndicatorValue]

    @property
    def latest(self) -> IndicatorValue:
        return self.values[-1]


@dataclass
class TargetEntry:
    target: Target
    practices: list[Practice] = field(default_factory=list)


@dataclass
class GoalEntry:
    goal: Goal
    targets: list[TargetEntry] = field(default_factory=list)
    practices_without_target: list[Practice] = field(default_factory=list)
    challenges: list[Challenge] = field(default_factory=list)
    partnerships: list[Partnership] = field(default_factory=list)

    @property
    def practice_count(self) -> int:
        return len(
            {p.pk for entry in self.targets for p in entry.practices} | {p.pk for p in self.practices_without_target}
        )


@dataclass
class PeerValue:
    city: City
    value: IndicatorValue
    reason: str  # "region" or "size" (or both)


@dataclass
class Comparison:
    series: IndicatorSeries
    peers: list[PeerValue]


@dataclass
class SdgProfile:
    city: City
    series: list[IndicatorSeries]
    goals: list[GoalEntry]
    comparisons: list[Comparison]

    @property
    def value_count(self) -> int:
        return sum(len(series.values) for series in self.series)


def indicator_series(city: City) -> list[IndicatorSeries]:
    """The city's values grouped by indicator, group and unit, oldest year first."""
    grouped: dict[tuple[int, str, str], list[IndicatorValue]] = defaultdict(list)
    values = IndicatorValue.objects.filter(city=city).select_related("indicator__target__goal")
    for value in values.order_by("indicator__sort_key", "disaggregation", "unit", "year"):
        grouped[(value.indicator_id, value.disaggregation, value.unit)].append(value)
    return [IndicatorSeries(rows[0].indicator, unit, group, rows) for (_id, group, unit), rows in grouped.items()]


def _by_goal(
    practices: list[Practice], challenges: list[Challenge], partnerships: list[Partnership]
) -> list[GoalEntry]:
    goals: dict[int, GoalEntry] = {}

    def entry(goal: Goal) -> GoalEntry:
        return goals.setdefault(goal.pk, GoalEntry(goal))

    for practice in practices:
        targets = list(practice.sdg_targets.all())
        for target in targets:
            goal_entry = entry(target.goal)
            target_entry = next((t for t in goal_entry.targets if t.target.pk == target.pk), None)
            if target_entry is None:
                target_entry = TargetEntry(target)
                goal_entry.targets.append(target_entry)
            target_entry.practices.append(practice)
        target_goals = {target.goal_id for target in targets}
        for goal in practice.sdg_goals.all():
            if goal.pk not in target_goals:
                entry(goal).practices_without_target.append(practice)
    for challenge in challenges:
        for goal in challenge.sdg_goals.all():
            entry(goal).challenges.append(challenge)
    for partnership in partnerships:
        linked = {goal.pk: goal for practice in partnership.practices.all() for goal in practice.sdg_goals.all()}
        linked |= {goal.pk: goal for challenge in partnership.challenges.all() for goal in challenge.sdg_goals.all()}
        for goal in linked.values():
            entry(goal).partnerships.append(partnership)
    for goal_entry in goals.values():
        goal_entry.targets.sort(key=lambda t: t.target.sort_key)
    return [goals[key] for key in sorted(goals, key=lambda pk: goals[pk].goal.number)]


def city_records_by_goal(city: City, user: object) -> list[GoalEntry]:
    """The city's practices (by target), challenges and partnerships (by goal) that `user` may see."""
    targets = Prefetch("sdg_targets", queryset=Target.objects.select_related("goal"))
    practices = list(
        Practice.objects.visible_to(user)
        .filter(Q(lead_city=city) | Q(partner_cities=city))
        .prefetch_related(targets, "sdg_goals")
        .distinct()
        .order_by("title")
    )
    challenges = list(
        Challenge.objects.visible_to(user).filter(city=city).prefetch_related("sdg_goals").order_by("title")
    )
    partnerships = list(
        Partnership.objects.public()
        .filter(parties__city=city)
        .prefetch_related("practices__sdg_goals", "challenges__sdg_goals")
        .distinct()
        .order_by("title")
    )
    return _by_goal(practices, challenges, partnerships)


def _similar_size(city: City, other: City) -> bool:
    if not city.population or not other.population:
        return False
    ratio = city.population / other.population
    return 1 / SIMILAR_SIZE_RATIO <= ratio <= SIMILAR_SIZE_RATIO


def comparisons(city: City, series: list[IndicatorSeries]) -> list[Comparison]:
    """For each of the city's series: the latest value of members of the same region or of similar size that
    measured the same indicator, for the same group and in the same unit."""
    if not series:
        return []
    indicator_ids = {item.indicator.pk for item in series}
    latest: dict[tuple[int, int, str, str], IndicatorValue] = {}
    others = (
        IndicatorValue.objects.filter(indicator__in=indicator_ids, city__is_member=True)
        .exclude(city=city)
        .select_related("city__country")
        .order_by("year")
    )
    for value in others:
        latest[(value.city_id, value.indicator_id, value.disaggregation, value.unit)] = value
    result = []
    for item in series:
        peers = []
        for (_city_id, indicator_id, group, unit), value in latest.items():
            if (indicator_id, group, unit) != (item.indicator.pk, item.disaggregation, item.unit):
                continue
            same_region = bool(city.region) and value.city.region == city.region
            similar = _similar_size(city, value.city)
            if same_region or similar:
                reason = "both" if same_region and similar else "region" if same_region else "size"
                peers.append(PeerValue(value.city, value, reason))
        peers.sort(key=lambda peer: (peer.reason != "both", peer.city.name))
        if peers:
            result.append(Comparison(item, peers[:MAX_PEERS]))
    return result


def sdg_profile(city: City, user: object) -> SdgProfile:
    series = indicator_series(city)
    return SdgProfile(city, series, city_records_by_goal(city, user), comparisons(city, series))


def as_number(value: Decimal) -> str:
    """12.500000 → 12.5; 1000.000000 → 1000."""
    text = format(value.normalize(), "f")
    return text
