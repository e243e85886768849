"""ccx import-twinnings: the bundled Wikidata twinnings, matched to members, validated, idempotent."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from ccx.cities.models import City
from ccx.core.imports import ImportFailed
from ccx.partnerships import twinnings
from ccx.partnerships.importers import import_twinnings
from ccx.partnerships.models import Partnership, PartnershipEvent, PartnershipStatus, Party
from tests.conftest import Personas
from tests.partnerships.factories import LINKS_HEADER, Outside, member_row, twinning_files

Status = PartnershipStatus


def _table_sizes() -> tuple[int, int, int, int]:
    return (City.objects.count(), Partnership.objects.count(), Party.objects.count(), PartnershipEvent.objects.count())


def _pair(a: str, b: str) -> Partnership:
    return Partnership.objects.filter(source="wikidata-p190", parties__city__slug=a).get(parties__city__slug=b)


@pytest.mark.django_db
def test_the_bundled_twinnings_load_once_and_again_change_nothing() -> None:
    members_before = City.objects.members().count()
    report = import_twinnings()
    recorded = Partnership.objects.filter(source="wikidata-p190")
    both_members = recorded.exclude(parties__city__is_member=False)
    assert (report.created, report.updated, report.unchanged) == (2881, 0, 0)
    assert (recorded.count(), both_members.count()) == (2881, 447)
    assert set(recorded.values_list("status", "kind").distinct()) == {(Status.RECORDED, "twinning")}
    assert City.objects.members().count() == members_before
    assert City.objects.filter(is_member=False).count() == 1085
    assert report.notes[0] == (
        "256 member cities matched (256 by name and country, 0 by Wikidata id); 2881 twinnings in 2883 rows: "
        "447 between two members, 2434 with cities outside the network"
    )
    assert report.notes[1] == "cities outside the network: 1085 created, 0 updated"
    assert len(report.notes) == 2
    # Lyon and Cape Town are two Wikidata items each: a twin reached through both counts once.
    assert _pair("lyon-fr", "ouagadougou-bf").source_reference == "Q3777 Q456; Q16665897 Q3777"
    barcelona = _pair("barcelona-es", "montevideo-uy")
    assert (barcelona.title, barcelona.source_reference) == ("Barcelona – Montevideo", "Q1335 Q1492")
    # Lyon is found by name and country although its GeoNames id in the file is an arrondissement's.
    assert City.objects.get(slug="lyon-fr").wikidata_id == "Q456"
    monterrey = City.objects.get(wikidata_id="Q81033")
    assert (monterrey.is_member, monterrey.name, monterrey.country.code if monterrey.country else None) == (
        False,
        "Monterrey",
        "MX",
    )
    assert (monterrey.latitude, monterrey.longitude, monterrey.location_verified) == (
        25.684444444,
        -100.318055555,
        False,
    )

    sizes = _table_sizes()
    again = import_twinnings()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2881)
    assert _table_sizes() == sizes


@pytest.mark.django_db
def test_what_a_city_did_with_a_twinning_survives_a_reimport(personas: Personas) -> None:
    import_twinnings()
    barcelona_focal = personas.secretariat_user
    confirmed = twinnings.confirm_twinning(_pair("barcelona-es", "montevideo-uy"), barcelona_focal, start_year=1990)
    ended = twinnings.end_twinning(_pair("barcelona-es", "saint-petersburg-ru"), barcelona_focal, end_year=2022)
    history = PartnershipEvent.objects.count()
    import_twinnings()
    confirmed.refresh_from_db()
    ended.refresh_from_db()
    assert (confirmed.status, confirmed.start_year) == (Status.ACTIVE, 1990)
    assert (ended.status, ended.end_year) == (Status.ENDED, 2022)
    assert PartnershipEvent.objects.count() == history


@pytest.mark.django_db
def test_members_are_matched_by_name_and_country_or_by_wikidata_id(tmp_path: Path) -> None:
    lyon, turin = City.objects.get(slug="lyon-fr"), City.objects.get(slug="torino-it")
    rome = Outside("Q220", "Velletri", "IT")
    taipei = Outside("Q1867", "Taipei", "CN-TW")
    pristina = Outside("Q25270", "Pristina", "XK")
    links, nodes = twinning_files(
        tmp_path,
        [
            member_row(lyon, "Q456", turin, "Q495"),
            member_row(lyon, "Q456", rome),
            member_row(turin, "Q495", taipei),
            member_row(turin, "Q495", pristina),
        ],
        [rome, taipei, pristina],
    )
    import_twinnings(links, nodes)
    outside = {
        city.wikidata_id: (city.name, city.country.code if city.country else None)
        for city in City.objects.filter(is_member=False)
    }
    assert outside == {"Q220": ("Velletri", "IT"), "Q1867": ("Taipei", "TW"), "Q25270": ("Pristina", None)}
    # Renamed since: found by the Wikidata id the first import gave it.
    City.objects.filter(pk=turin.pk).update(name="Turin")
    links, nodes = twinning_files(tmp_path, [member_row(City.objects.get(pk=turin.pk), "Q495", rome)], [rome])
    # The row spells it "Turin" but in another country: only the Wikidata id can find it.
    links.write_text(links.read_text().replace(",IT,999,", ",XX,999,"), encoding="utf-8")
    report = import_twinnings(links, nodes)
    assert report.created == 1
    assert _pair("torino-it", "velletri-it").title == "Turin – Velletri"


@pytest.mark.django_db
def test_a_row_naming_no_known_member_is_skipped_and_said(tmp_path: Path) -> None:
    rome = Outside("Q220", "Velletri", "IT")
    links, nodes = twinning_files(tmp_path, ["Atlantis,Nowhere,AT,1,Q77777,Atlantis,Q220,Rome,IT,no,,,Q1,Q2"], [rome])
    report = import_twinnings(links, nodes)
    assert report.created == 0
    assert report.notes[-1] == "1 row(s) skipped: no member city of that name and country: Atlantis (AT), line 2"


@pytest.mark.django_db
def test_a_bad_file_lists_each_problem_with_its_line_and_writes_nothing(tmp_path: Path) -> None:
    lyon = City.objects.get(slug="lyon-fr")
    rome = Outside("Q220", "Velletri", "IT")
    links, nodes = twinning_files(
        tmp_path,
        [
            member_row(lyon, "Q456", rome),
            member_row(lyon, "456", rome),
            member_row(lyon, "Q456", Outside("Q9", "X", "IT")),
            member_row(lyon, "Q456", rome).replace(",no,", ",perhaps,"),
        ],
        [rome],
    )
    sizes = _table_sizes()
    with pytest.raises(ImportFailed) as failure:
        import_twinnings(links, nodes)
    assert [str(problem) for problem in failure.value.problems] == [
        f"{links}, line 3: member_qid '456' is not a Wikidata id",
        f"{links}, line 4: Q9 is not in the file of twin cities",
        f"{links}, line 5: other_is_member must be yes or no, not 'perhaps'",
    ]
    assert _table_sizes() == sizes


@pytest.mark.django_db
def test_a_bad_cities_file_is_refused_by_line(tmp_path: Path) -> None:
    links, nodes = twinning_files(tmp_path, [])
    nodes.write_text("id\tname\tlng\tlat\tcountrycd\nQ1\tA\t200\t1\tIT\nnot-an-id\t\t1\tx\tIT\n", encoding="utf-8")
    with pytest.raises(ImportFailed) as failure:
        import_twinnings(links, nodes)
    assert [str(problem) for problem in failure.value.problems] == [
        f"{nodes}, line 2: longitude 200.0 is outside -180…180",
        f"{nodes}, line 3: 'not-an-id' is not a Wikidata id",
        f"{nodes}, line 3: the name is empty",
        f"{nodes}, line 3: latitude 'x' is not a number",
    ]


@pytest.mark.django_db
def test_the_command_reports_problems_and_exits_with_an_error(tmp_path: Path) -> None:
    links, nodes = twinning_files(tmp_path, [])
    links.write_text(LINKS_HEADER.replace("member_qid,", "") + "\n", encoding="utf-8")
    errors = StringIO()
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import-twinnings", str(links), cities=nodes, no_progress=True, stderr=errors)
    assert errors.getvalue() == f"{links}, line 1: missing column(s): member_qid\n"
