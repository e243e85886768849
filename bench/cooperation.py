"""Latency of the cooperation pages (network view, peer matchmaking, partnerships) with all imported data.

Usage: CCX_DEBUG=true .venv/bin/python bench/cooperation.py [--repeat N] [--transfers N] [--partnerships N]
Loads everything `make run` loads into a scratch SQLite database (the 2,881 twinnings from Wikidata
included), adds cooperation records between real member cities (transfers of real imported practices,
agreed partnerships), then prints p50/p95 in milliseconds and the queries per request, and how long a
re-import of the twinnings takes. The budget is p95 ≤ 200 ms.
"""

import argparse
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import measure, print_header, scratch_database_with_real_data

BUDGET_MS = 200


def add_cooperation(transfers: int, partnerships: int) -> None:
    from django.utils import timezone

    from ccx.cities.models import City
    from ccx.partnerships.models import Partnership, PartnershipStatus, Party, Transfer, TransferStatus
    from ccx.practices.models import Practice

    rng = random.Random(11)  # noqa: S311 (sample data, not secrets)
    cities = list(City.objects.members().exclude(latitude=None))
    practices = list(Practice.objects.published().order_by("pk")[: transfers * 2])
    pairs = set()
    rows = []
    while len(rows) < transfers:
        practice, source, target = rng.choice(practices), rng.choice(cities), rng.choice(cities)
        if source == target or (practice.pk, target.pk) in pairs:
            continue
        pairs.add((practice.pk, target.pk))
        status = rng.choice(TransferStatus.values)
        rows.append(Transfer(practice=practice, from_city=source, to_city=target, what_adapted="x", status=status))
    Transfer.objects.bulk_create(rows)
    now = timezone.now()
    made = Partnership.objects.bulk_create(
        Partnership(
            slug=f"bench-{n}",
            title=f"Partnership {n}",
            kind="twinning",
            goals="x",
            status=PartnershipStatus.ACTIVE,
            agreed_at=now,
        )
        for n in range(partnerships)
    )
    Party.objects.bulk_create(
        Party(partnership=partnership, city=city, confirmed_at=now)
        for partnership in made
        for city in rng.sample(cities, rng.choice([2, 2, 3]))
    )


def reimport_twinnings() -> None:
    """The bundled twinnings again: nothing may change, and it should take seconds."""
    import time

    from ccx.partnerships.importers import import_twinnings

    started = time.perf_counter()
    report = import_twinnings()
    print(f"re-import of the twinnings: {report.summary()} in {time.perf_counter() - started:.1f} s")


def add_challenges(city_slug: str) -> None:
    from ccx.challenges.models import Challenge
    from ccx.cities.models import City

    city = City.objects.get(slug=city_slug)
    texts = [
        ("Food waste in markets", "Our traditional markets throw away tonnes of food every week."),
        ("Young chefs leave the city", "Young cooks move to the capital; restaurants cannot find staff."),
        ("Tourists miss the old town", "Visitors stay on the coast and never discover the old town's food."),
    ]
    for number, (title, statement) in enumerate(texts):
        Challenge.objects.create(slug=f"bench-challenge-{number}", title=title, statement=statement, city=city)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--transfers", type=int, default=400)
    parser.add_argument("--partnerships", type=int, default=150)
    arguments = parser.parse_args()
    scratch_database_with_real_data()
    from django.test import Client

    from ccx.accounts.models import User
    from ccx.challenges.models import Challenge
    from ccx.cities.models import City
    from ccx.practices.models import Practice

    add_cooperation(arguments.transfers, arguments.partnerships)
    add_challenges("gangneung-kr")
    focal = User.objects.create_user("bench-focal", "bench@example.org", "x")
    focal.focal_point_of.set([City.objects.get(slug="gangneung-kr")])
    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(focal)
    anonymous = Client(HTTP_HOST="127.0.0.1")
    practice = Practice.objects.published().filter(transfers_out__isnull=False).order_by("pk").first()
    from ccx.partnerships.models import Partnership

    twinnings = Partnership.objects.filter(source="wikidata-p190")
    print(
        f"data: {Practice.objects.published().count()} practices, {Challenge.objects.count()} challenges, "
        f"{arguments.transfers} transfers, {arguments.partnerships} partnerships, {twinnings.count()} twinnings "
        f"({twinnings.exclude(parties__city__is_member=False).count()} between members), "
        f"{City.objects.filter(is_member=False).count()} cities outside the network"
    )
    reimport_twinnings()
    pages = [
        ("/cooperation/", anonymous),
        ("/cooperation/?field=gastronomy&region=AS", anonymous),
        ("/api/v1/network", anonymous),
        ("/cooperation/partnerships/", anonymous),
        ("/cooperation/peers/gangneung-kr/", signed_in),
        ("/cooperation/peers/bilbao-es/", anonymous),
        ("/cities/gangneung-kr/", anonymous),
        ("/cooperation/?outside=1", anonymous),
        ("/cooperation/?kind=twinning&state=recorded&outside=1", anonymous),
        ("/cooperation/network-members.csv", anonymous),
        ("/cooperation/network-links.csv?outside=1", anonymous),
        ("/api/v1/partnerships?kind=twinning&limit=200", anonymous),
        ("/api/v1/partnerships?kind=twinning&member_only=true", anonymous),
        ("/api/v1/network?outside=true", anonymous),
        ("/cities/saint-petersburg-ru/", anonymous),
        ("/cooperation/partnerships/barcelona-montevideo/", anonymous),
    ]
    if practice is not None:
        pages.append((practice.get_absolute_url(), anonymous))
    from django.core.cache import cache

    def drawn_anew(url: str) -> object:
        cache.clear()  # as after any change to a transfer, partnership, city, practice or challenge
        return signed_in.get(url)

    print_header()
    worst = max(measure(url, lambda url=url, client=client: client.get(url), arguments.repeat) for url, client in pages)
    for url in ("/cooperation/", "/cooperation/?outside=1", "/cooperation/peers/gangneung-kr/"):
        worst = max(worst, measure(f"{url} (nothing cached)", lambda url=url: drawn_anew(url), arguments.repeat))
    print(f"worst p95: {worst:.1f} ms (budget {BUDGET_MS} ms): {'within' if worst <= BUDGET_MS else 'OVER'}")


if __name__ == "__main__":
    main()
