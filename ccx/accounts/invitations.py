"""Onboarding a focal point: the secretariat invites by e-mail, the invitee sets a password with a one-time link.

One set of functions for the city page, the command line (`ccx make-focal-point`) and the admin.
"""

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.core.validators import validate_email
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import FocalPointInvitation, User
from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.cities.models import City
from ccx.core.public_url import public_url

VALID_FOR = timedelta(days=14)
USERNAME = re.compile(r"^[\w.@+-]{3,150}$")


@dataclass(frozen=True)
class Invited:
    """What an invitation made: the record and the link (shown once; only its digest is stored)."""

    invitation: FocalPointInvitation
    link: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_for(token: str) -> FocalPointInvitation | None:
    """The open invitation behind a link, or None (unknown, used, revoked or expired)."""
    return FocalPointInvitation.objects.open().select_related("city").filter(token_digest=_digest(token)).first()


def make_focal_point(user: User, city: City) -> None:
    user.focal_point_of.add(city)


@transaction.atomic
def invite_focal_point(city: City, email: str, invited_by: AnyUser, name: str = "") -> Invited:
    """Send a one-time link to `email`; an earlier open invitation to the same address for this city is replaced."""
    if not is_secretariat(invited_by):
        raise PermissionDenied(_("Only the secretariat invites focal points."))
    email = email.strip().lower()
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError({"email": _("Enter a valid e-mail address.")}) from None
    if User.objects.filter(email__iexact=email, focal_point_of=city).exists():
        raise ValidationError({"email": _("This person is already a focal point of %(city)s.") % {"city": city.name}})
    now = timezone.now()
    FocalPointInvitation.objects.open().filter(city=city, email__iexact=email).update(revoked_at=now)
    token = secrets.token_urlsafe(32)
    invitation = FocalPointInvitation.objects.create(
        city=city,
        email=email,
        name=name.strip(),
        token_digest=_digest(token),
        invited_by=invited_by if isinstance(invited_by, User) else None,
        expires_at=now + VALID_FOR,
    )
    link = public_url(reverse("accounts:accept_invitation", args=[token]))
    context = {
        "invitation": invitation,
        "link": link,
        "days": VALID_FOR.days,
        "name": f" {invitation.name}" if invitation.name else "",
        "site_name": settings.SITE_NAME,
        "network_name": settings.NETWORK_NAME,
    }
    send_mail(
        render_to_string("accounts/invitation_subject.txt", context).strip(),
        render_to_string("accounts/invitation_email.txt", context),
        None,
        [email],
    )
    return Invited(invitation, link)


@transaction.atomic
def revoke_invitation(invitation: FocalPointInvitation, user: AnyUser) -> None:
    if not is_secretariat(user):
        raise PermissionDenied(_("Only the secretariat revokes invitations."))
    FocalPointInvitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        revoked_at=timezone.now()
    )


@transaction.atomic
def accept_invitation(token: str, username: str, password: str) -> User:
    """Create the invitee's account (or use the one with that e-mail) and make it the city's focal point.

    Raises ValidationError naming the field at fault; nothing is saved then, and the link still works."""
    invitation = invitation_for(token)
    if invitation is None:
        raise ValidationError(_("This invitation link is no longer valid. Ask the secretariat for a new one."))
    FocalPointInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
    user = User.objects.filter(email__iexact=invitation.email).first()
    if user is None:
        username = username.strip()
        if not USERNAME.match(username):
            raise ValidationError({"username": _("3 to 150 letters, digits and @ . + - _ only.")})
        if User.objects.filter(username__iexact=username).exists():
            raise ValidationError({"username": _("This user name is taken; choose another.")})
        first, _space, last = invitation.name.partition(" ")
        user = User(username=username, email=invitation.email, first_name=first, last_name=last)
    try:
        validate_password(password, user)
    except ValidationError as problems:
        raise ValidationError({"password1": problems.messages}) from None
    user.set_password(password)
    user.is_active = True
    user.save()
    make_focal_point(user, invitation.city)
    updated = FocalPointInvitation.objects.filter(pk=invitation.pk, accepted_at=None, revoked_at=None).update(
        accepted_at=timezone.now(), accepted_by=user
    )
    if not updated:  # accepted or revoked at the same moment in another request
        transaction.set_rollback(True)
        raise ValidationError(_("This invitation link is no longer valid. Ask the secretariat for a new one."))
    return user
