"""Notifications: each event told once, e-mailed as the person chose, daily digests sent once."""

from django.core import mail
from django.core.management import call_command

from ccx.accounts.models import EmailDelivery, Notification, NotificationKind, NotificationSetting
from ccx.accounts.notifications import notify, send_daily_digests
from tests.conftest import Personas


def test_the_same_event_is_told_and_emailed_once(personas: Personas) -> None:
    mail.outbox.clear()
    for _attempt in range(3):
        notify(personas.focal_a_user, "Proposal", "", "/x/", kind=NotificationKind.PARTNERSHIPS, key="event:1")
    assert Notification.objects.filter(user=personas.focal_a_user).count() == 1
    assert len(mail.outbox) == 1


def test_no_email_when_the_person_chose_none(personas: Personas) -> None:
    NotificationSetting.objects.create(user=personas.focal_a_user, kind="events", email=EmailDelivery.NEVER)
    mail.outbox.clear()
    notify(personas.focal_a_user, "Seat confirmed", "", kind=NotificationKind.EVENTS, key="seat:1")
    notify(personas.focal_a_user, "Proposal", "", kind=NotificationKind.PARTNERSHIPS, key="event:2")
    assert [message.subject for message in mail.outbox] == ["[Creative Cities Exchange] Proposal"]
    assert Notification.objects.filter(user=personas.focal_a_user).count() == 2


def test_the_daily_digest_gathers_and_sends_once(personas: Personas) -> None:
    for kind in ("challenges", "partnerships"):
        NotificationSetting.objects.create(user=personas.focal_b_user, kind=kind, email=EmailDelivery.DAILY)
    mail.outbox.clear()
    notify(personas.focal_b_user, "New response", "Try night markets.", "/c/1/", kind="challenges", key="r:1")
    notify(personas.focal_b_user, "Proposal", "", "/p/1/", kind="partnerships", key="p:1")
    assert mail.outbox == []
    assert send_daily_digests() == 1
    assert send_daily_digests() == 0
    assert len(mail.outbox) == 1
    digest = mail.outbox[0]
    assert digest.subject == "[Creative Cities Exchange] Your daily digest: 2 notifications"
    assert digest.body.index("New response") < digest.body.index("Proposal")
    assert "http://127.0.0.1:8000/c/1/" in digest.body
    call_command("send-digests", "--no-progress")
    assert len(mail.outbox) == 1


def test_settings_page_saves_each_choice(personas: Personas) -> None:
    data = {kind.value: EmailDelivery.IMMEDIATELY for kind in NotificationKind}
    data["partnerships"] = EmailDelivery.DAILY
    response = personas.focal_a.post("/accounts/notifications/", data)
    assert response.status_code == 302
    saved = dict(NotificationSetting.objects.filter(user=personas.focal_a_user).values_list("kind", "email"))
    assert saved["partnerships"] == "daily"
    assert saved["events"] == "immediately"
    bad = personas.focal_a.post("/accounts/notifications/", {**data, "events": "by pigeon"})
    assert bad.status_code == 200
    assert NotificationSetting.objects.get(user=personas.focal_a_user, kind="events").email == "immediately"
    assert personas.anonymous.get("/accounts/notifications/").status_code == 302
