from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, ValidationError

from ccx.api import (
    challenges,
    cities,
    events,
    network,
    partnerships,
    practices,
    publications,
    sdg,
    search,
    transfers,
)
from ccx.api import monitoring as monitoring_api
from ccx.api.documentation import DocumentedNinjaAPI
from ccx.api.parsing import ObjectBodyParser
from ccx.core.filters import FilterError
from ccx.monitoring.errors import MonitoringError

api = DocumentedNinjaAPI(
    title="Creative Cities Exchange API",
    version="1",
    description=(
        "Open data and cooperation records of the city network. Read endpoints are public (a token or a "
        "session also shows what its owner may see); write endpoints need a personal API token sent as "
        "`Authorization: Bearer …`, or a signed-in session with its CSRF token."
    ),
    urls_namespace="api-v1",
    docs_url="/docs",
    openapi_url="/openapi.json",
    parser=ObjectBodyParser(),
)
api.add_router("", cities.router)
api.add_router("", sdg.router)
api.add_router("", practices.router)
api.add_router("", search.router)
api.add_router("", challenges.router)
api.add_router("", partnerships.router)
api.add_router("", transfers.router)
api.add_router("", network.router)
api.add_router("", events.router)
api.add_router("", publications.router)
api.add_router("", monitoring_api.router)


@api.exception_handler(FilterError)
def filter_error(request: HttpRequest, exc: FilterError) -> HttpResponse:
    """A query parameter that cannot be used: 422 with the reason, as for a bad body."""
    return api.create_response(request, {"detail": str(exc)}, status=422)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    """Name each bad parameter or field in plain words, with the machine-readable details beside them."""
    messages = []
    for error in exc.errors:
        location = ".".join(
            str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "payload")
        )
        messages.append(f"{location or 'request'}: {error.get('msg', 'invalid value')}")
    return api.create_response(request, {"detail": "; ".join(messages), "errors": exc.errors}, status=422)


@api.exception_handler(MonitoringError)
def monitoring_error(request: HttpRequest, exc: MonitoringError) -> HttpResponse:
    """A report step that is not allowed (403) or not possible now (422), with the reasons."""
    status = monitoring_api.monitoring_error_status(exc)
    return api.create_response(request, {"detail": str(exc)}, status=status)


@api.exception_handler(AuthenticationError)
def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    """A write without credentials: say how to authenticate."""
    response = api.create_response(
        request,
        {
            "detail": "Authentication required: send a personal API token as 'Authorization: Bearer …' "
            "(create one on your account page), or sign in and send the CSRF token."
        },
        status=401,
    )
    response["WWW-Authenticate"] = "Bearer"
    return response
