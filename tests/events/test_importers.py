import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ccx.accounts.models import Organisation
from ccx.core.imports import ImportFailed
from ccx.events.importers import bundled_event_files, load_events
from ccx.events.models import Event, EventOrganisation, Outcome, Session, Speaker

pytestmark = pytest.mark.django_db


def test_the_demo_events_load_once_and_again_change_nothing() -> None:
    report = load_events()
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    summit = Event.objects.get(slug="beijing-summit-2020")
    assert (summit.starts_on.isoformat(), summit.ends_on.isoformat(), summit.time_zone) == (
        "2020-09-17", "2020-09-18", "Asia/Shanghai"
    )  # fmt: skip
    assert summit.venue_name == "Shougang Park, No. 3 Blast Furnace"
    assert [s.title for s in summit.sessions.all()][:2] == [
        "Opening ceremony",
        "Main Forum – Creativity and Innovation: A Path to the Cities of Tomorrow",
    ]
    assert summit.sessions.count() == 7
    assert list(
        EventOrganisation.objects.filter(event=summit, role="implementer").values_list("organisation__name", flat=True)
    ) == ["Beijing Industrial Design Center"]
    forum = Event.objects.get(slug="world-innovative-cities-forum-2021")
    assert sorted(forum.sessions.values_list("kind", flat=True)) == ["main_forum", "parallel", "parallel"]
    counts = (Event.objects.count(), Session.objects.count(), Speaker.objects.count(), Outcome.objects.count(),
              Organisation.objects.count())  # fmt: skip
    again = load_events()
    assert (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert counts == (Event.objects.count(), Session.objects.count(), Speaker.objects.count(),
                      Outcome.objects.count(), Organisation.objects.count())  # fmt: skip


def test_a_changed_file_updates_in_place(tmp_path: Path) -> None:
    load_events()
    document = json.loads(bundled_event_files()[0].read_text())
    document["sessions"][0]["title"] = "Opening ceremony and welcome"
    document["theme"] = "Changed theme"
    path = tmp_path / "summit.json"
    path.write_text(json.dumps(document))
    report = load_events([path])
    assert (report.created, report.updated) == (0, 1)
    summit = Event.objects.get(slug="beijing-summit-2020")
    assert summit.theme == "Changed theme"
    assert summit.sessions.filter(title="Opening ceremony and welcome").exists()


def test_a_bad_file_is_explained_and_nothing_is_written(tmp_path: Path) -> None:
    good = bundled_event_files()[0]
    bad = tmp_path / "bad.json"
    bad.write_text(
        json.dumps(
            {
                "slug": "bad", "title": "Bad", "kind": "gala", "time_zone": "Asia/Shanghai",
                "starts_on": "2020-09-17", "ends_on": "2020-09-16", "host_city": "atlantis-xx",
                "sessions": [{"title": "A", "kind": "panel", "day": "2020-09-17", "start": "10:00", "end": "9:00",
                              "speakers": ["ghost"]}],
            }
        )
    )  # fmt: skip
    with pytest.raises(ImportFailed) as failure:
        load_events([good, bad])
    assert [str(p).replace(str(tmp_path), "") for p in failure.value.problems] == [
        "/bad.json: kind: 'gala' is not one of: summit, forum, workshop, webinar",
        "/bad.json: ends_on: the last day is before the first day",
        "/bad.json: host_city: unknown city 'atlantis-xx'",
        "/bad.json: sessions[0].end: '9:00' is not a time (HH:MM)",
        "/bad.json: sessions[0].speakers: no speaker with key 'ghost'",
    ]
    assert Event.objects.count() == 0
    broken = tmp_path / "broken.json"
    broken.write_text('{"slug": ')
    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("load-demo-events", str(broken), no_progress=True)
    assert Event.objects.count() == 0
