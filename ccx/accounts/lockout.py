"""What a visitor sees when django-axes has locked sign-in after too many failed passwords."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def lockout_seconds() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds())


def locked_out(request: HttpRequest, credentials: Any = None, *args: Any, **kwargs: Any) -> HttpResponse:
    """429 with `Retry-After`: the same answer for an unknown account, so it tells an attacker nothing."""
    minutes = max(1, lockout_seconds() // 60)
    message = _(
        "Too many failed sign-ins for this account or from this address. Try again in %(minutes)s minutes, "
        "or reset your password."
    ) % {"minutes": minutes}
    response = render(request, "429.html", {"message": message}, status=429)
    response["Retry-After"] = str(lockout_seconds())
    return response
