"""API requests that carry `Authorization: Bearer <token>` act as the token's owner, without cookies or CSRF."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse

from ccx.accounts.models import TokenScope
from ccx.accounts.tokens import token_for

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def bearer_secret(request: HttpRequest) -> str | None:
    header = str(request.META.get("HTTP_AUTHORIZATION", ""))
    scheme, _space, secret = header.partition(" ")
    return secret.strip() if scheme.lower() == "bearer" else None


class ApiTokenMiddleware:
    """After Django's authentication: a valid token replaces the session's user for this API request.

    A token is sent by a script, never by a browser on its own, so cross-site request forgery does not
    apply and the CSRF check is skipped for it; a session keeps its CSRF check.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(settings.API_PATH_PREFIX) and (secret := bearer_secret(request)) is not None:
            token = token_for(secret)
            if token is None:
                response = JsonResponse(
                    {"detail": "The API token is unknown, expired or revoked. Create a new one on your account page."},
                    status=401,
                )
                response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
                return response
            if token.scope != TokenScope.READ_WRITE and request.method not in SAFE_METHODS:
                return JsonResponse(
                    {"detail": "This API token may only read. Create a read-write token to change records."},
                    status=403,
                )
            request.user = token.user
            request.api_token = token  # type: ignore[attr-defined]
            request._dont_enforce_csrf_checks = True  # type: ignore[attr-defined]
        return self.get_response(request)
