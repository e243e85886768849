"""Personal API tokens: created (shown once), checked on each API request, revoked. Only a digest is stored.

A token is 256 random bits, so a fast SHA-256 digest is as safe to keep as a slow password hash and
lets every API request be checked with one indexed lookup.
"""

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import ApiToken, TokenScope, User

TOKEN_PREFIX = "ccx_"  # noqa: S105 (a marker that lets leaked tokens be found by secret scanners)
# Writing last_used_at on every request would make each read a write: once a minute is precise enough.
LAST_USED_PRECISION = timedelta(minutes=1)


class TokenError(ValueError):
    """A token cannot be created as asked; the message is for a person to read."""


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    secret: str  # shown once to its owner, never stored


def digest_of(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def create_token(user: User, name: str, scope: str, days: int | None) -> NewToken:
    name = name.strip()
    if not name:
        raise TokenError(_("Give the token a name, such as the script that will use it."))
    if scope not in TokenScope.values:
        raise TokenError(_("Choose read or read-write."))
    if days is not None and not 1 <= days <= 3650:
        raise TokenError(_("A token expires after 1 to 3650 days, or never."))
    if not user.is_active:
        raise TokenError(_("A deactivated account cannot have tokens."))
    secret = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name[:100],
        prefix=secret[:12],
        digest=digest_of(secret),
        scope=scope,
        expires_at=timezone.now() + timedelta(days=days) if days else None,
    )
    return NewToken(token, secret)


def active_tokens(user: User) -> "list[ApiToken]":
    now = timezone.now()
    return list(
        ApiToken.objects.filter(user=user, revoked_at__isnull=True).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=now)
        )
    )


def revoke_token(token: ApiToken) -> None:
    if token.revoked_at is None:
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
        token.refresh_from_db()


def token_for(secret: str) -> ApiToken | None:
    """The live token with this secret (not revoked, not expired, of an active account), noting its use."""
    if not secret.startswith(TOKEN_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest_of(secret), revoked_at__isnull=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is not None and (token.last_used_at is None or now - token.last_used_at > LAST_USED_PRECISION):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
