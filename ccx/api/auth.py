"""How a write to the API is authenticated: a personal API token, or a signed-in session with its CSRF token."""

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from ninja.security import APIKeyCookie, HttpBearer


class BearerToken(HttpBearer):
    """`Authorization: Bearer ccx_…`: a personal token from the account page or `ccx api-token`.

    The token was checked by `ccx.accounts.middleware.ApiTokenMiddleware` before the view (so that reads
    see what its owner may see too); here it only needs to be there.
    """

    openapi_description = (
        "A personal API token, created on the account page or with `ccx api-token USERNAME`. "
        "Read tokens may only read; read-write tokens may change what their owner may change."
    )

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        return request.user if getattr(request, "api_token", None) is not None else None


class SignedInSession(APIKeyCookie):
    """The site's session cookie, with its CSRF token. Without a signed-in session the answer is 401
    (not a CSRF failure, which would mislead a script that simply forgot to authenticate)."""

    param_name = settings.SESSION_COOKIE_NAME
    openapi_description = "A signed-in session on the site; writes also need the CSRF token (X-CSRFToken header)."

    def __call__(self, request: HttpRequest) -> Any:
        if not request.user.is_authenticated:
            return None
        return super().__call__(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return request.user if request.user.is_authenticated else None


# Every write endpoint takes either.
signed_in = [BearerToken(), SignedInSession()]
