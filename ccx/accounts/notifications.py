"""Tell a person something: an in-app notification and, as the person chose, an e-mail now or in a daily digest.

Each call names the event it tells about (`key`); a person is told of one event once, however many
routes lead to them (a focal point of two parties of one partnership, a retried task), so nobody is
e-mailed twice for the same event.
"""

from collections import defaultdict
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage, send_mail
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ccx.accounts.models import EmailDelivery, EmailStatus, Notification, NotificationKind, NotificationSetting, User
from ccx.core.progress import Progress, silent
from ccx.core.public_url import public_url


def email_delivery(user: User, kind: str) -> str:
    setting = NotificationSetting.objects.filter(user=user, kind=kind).values_list("email", flat=True).first()
    return setting or EmailDelivery.IMMEDIATELY


Attachment = tuple[str, str | bytes, str]  # file name, content, MIME type


def notify(
    user: User,
    subject: str,
    body: str,
    url: str = "",
    *,
    kind: str = NotificationKind.ACCOUNT,
    key: str = "",
    attachments: list[Attachment] | None = None,
) -> Notification:
    """Record the notification and e-mail it as the person chose; an event already told (same key) is not repeated.

    Attachments (a calendar file, say) go with an immediate e-mail; a daily digest carries only the text.
    """
    if key:
        existing = Notification.objects.filter(user=user, key=key).first()
        if existing is not None:
            return existing
    delivery = email_delivery(user, kind) if user.email else EmailDelivery.NEVER
    status = {EmailDelivery.IMMEDIATELY: EmailStatus.SENT, EmailDelivery.DAILY: EmailStatus.DIGEST}.get(
        EmailDelivery(delivery), EmailStatus.NONE
    )
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, subject=subject, body=body, url=url, kind=kind, key=key, email_status=status
            )
    except IntegrityError:  # told by a concurrent call between our look and our write
        return Notification.objects.get(user=user, key=key)
    if status == EmailStatus.SENT:
        message = EmailMessage(f"[{settings.SITE_NAME}] {subject}", f"{body}{link_line(url)}", None, [user.email])
        for name, content, mimetype in attachments or []:
            message.attach(name, content, mimetype)
        message.send(fail_silently=True)
        Notification.objects.filter(pk=notification.pk).update(emailed_at=timezone.now())
    return notification


def notify_everyone(
    people: Iterable[User],
    subject: str,
    body: str,
    url: str = "",
    *,
    kind: str,
    key: str,
    except_for: object = None,
) -> None:
    """Tell each person once (people may come twice, e.g. focal points of two parties), but not the one who
    caused the event (`except_for`)."""
    skipped = getattr(except_for, "pk", None)
    for person in sorted({person.pk: person for person in people}.values(), key=lambda person: person.pk):
        if person.pk != skipped:
            notify(person, subject, body, url, kind=kind, key=key)


def link_line(url: str) -> str:
    return f"\n\n{public_url(url)}" if url else ""


def send_daily_digests(progress: Progress = silent) -> int:
    """One e-mail per person with everything waiting for their digest; each notification is sent once."""
    pending: dict[int, list[Notification]] = defaultdict(list)
    for notification in Notification.objects.filter(email_status=EmailStatus.DIGEST).select_related("user"):
        pending[notification.user_id].append(notification)
    sent = 0
    for done, notifications in enumerate(pending.values(), start=1):
        user = notifications[0].user
        with transaction.atomic():
            claimed = Notification.objects.filter(
                pk__in=[n.pk for n in notifications], email_status=EmailStatus.DIGEST
            ).update(email_status=EmailStatus.SENT, emailed_at=timezone.now())
            if claimed == len(notifications) and user.email:
                send_mail(digest_subject(len(notifications)), digest_body(notifications), None, [user.email])
                sent += 1
        progress(done, len(pending), user.username)
    return sent


def digest_subject(count: int) -> str:
    return f"[{settings.SITE_NAME}] " + ngettext(
        "Your daily digest: %(count)d notification", "Your daily digest: %(count)d notifications", count
    ) % {"count": count}


def digest_body(notifications: list[Notification]) -> str:
    parts = [f"• {n.subject}\n{n.body}{link_line(n.url)}".strip() for n in sorted(notifications, key=lambda n: n.pk)]
    footer = _("Change how you receive notifications on your dashboard: %(url)s") % {
        "url": public_url("/accounts/notifications/")
    }
    return "\n\n".join([*parts, footer])
