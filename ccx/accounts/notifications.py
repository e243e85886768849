"""Tell a person something: an in-app notification and an e-mail, in one call."""

from django.conf import settings
from django.core.mail import send_mail

from ccx.accounts.models import Notification, User


def notify(user: User, subject: str, body: str, url: str = "") -> Notification:
    notification = Notification.objects.create(user=user, subject=subject, body=body, url=url)
    if user.email:
        link = f"\n\n{settings.SITE_URL.rstrip('/')}{url}" if url else ""
        send_mail(f"[{settings.SITE_NAME}] {subject}", f"{body}{link}", None, [user.email], fail_silently=True)
    return notification
