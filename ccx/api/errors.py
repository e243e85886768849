"""Every error answer of the API: one schema, and one place that maps exceptions to it.

Endpoints do not catch errors: the domain raises, and these handlers answer
- 401 (no credentials: how to authenticate) and 404 (`Http404`) with `detail`;
- 403 for `PermissionDenied`;
- 409 or 422 for a domain error (`ccx.core.errors.DomainError`: its `status` says which; a 422 names the
  fields its problems concern, when it knows them);
- 422 for Django's `ValidationError` (a record's validator: `errors` by field) and for a request that does not
  fit the declared schema (ninja's `ValidationError`: `errors` by parameter or field).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as RecordInvalid
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as RequestInvalid
from pydantic import Field

from ccx.core.errors import DomainError


class ErrorOut(Schema):
    """The body of every 4xx answer. 401, 403, 404 and 409 carry `detail` only; a refused request (422) also
    lists its `problems` and, when they concern fields or parameters, `errors` by name."""

    detail: str = Field(description="What went wrong, for a person to read")
    problems: list[str] | None = Field(default=None, description="422: each reason on its own")
    errors: dict[str, str] | None = Field(default=None, description="422: field or parameter → message")


def errors(*codes: int) -> dict[int, type[ErrorOut]]:
    """The error answers an endpoint documents, e.g. `response={200: PracticeOut, **errors(403, 404, 422)}`."""
    return dict.fromkeys(codes, ErrorOut)


def record_errors(error: RecordInvalid) -> dict[str, str]:
    """A validator's messages by field; those about the record as a whole under "request"."""
    if hasattr(error, "error_dict"):
        return {
            ("request" if name == "__all__" else name): " ".join(messages)
            for name, messages in error.message_dict.items()
        }
    return {"request": " ".join(error.messages)}


def install(api: NinjaAPI) -> None:
    def answer(request: HttpRequest, status: int, body: ErrorOut) -> HttpResponse:
        return api.create_response(request, body.model_dump(exclude_none=True), status=status)

    @api.exception_handler(DomainError)
    def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
        refused = exc.status == 422
        body = ErrorOut(
            detail=str(exc),
            problems=exc.problems if refused else None,
            errors=(exc.fields or None) if refused else None,
        )
        return answer(request, exc.status, body)

    @api.exception_handler(AuthenticationError)
    def not_signed_in(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        """A write without credentials: say how to authenticate."""
        detail = (
            "Authentication required: send a personal API token as 'Authorization: Bearer …' "
            "(create one on your account page), or sign in and send the CSRF token."
        )
        response = answer(request, 401, ErrorOut(detail=detail))
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(PermissionDenied)
    def permission_denied(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
        # A refusal that depends on the record's state (e.g. a practice under review) says 409 itself.
        return answer(request, getattr(exc, "status", 403), ErrorOut(detail=str(exc) or "You may not do this."))

    @api.exception_handler(Http404)
    def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
        return answer(request, 404, ErrorOut(detail=str(exc) or "Not found."))

    @api.exception_handler(RecordInvalid)
    def record_invalid(request: HttpRequest, exc: RecordInvalid) -> HttpResponse:
        by_field = record_errors(exc)
        detail = "; ".join(f"{name}: {message}" for name, message in by_field.items())
        return answer(request, 422, ErrorOut(detail=detail, problems=list(by_field.values()), errors=by_field))

    @api.exception_handler(RequestInvalid)
    def request_invalid(request: HttpRequest, exc: RequestInvalid) -> HttpResponse:
        """Name each bad parameter or field in plain words."""
        by_field: dict[str, str] = {}
        for error in exc.errors:
            location = ".".join(
                str(part) for part in error.get("loc", ()) if part not in ("query", "body", "path", "payload")
            )
            name = location or "request"
            message = str(error.get("msg", "invalid value"))
            by_field[name] = f"{by_field[name]} {message}" if name in by_field else message
        detail = "; ".join(f"{name}: {message}" for name, message in by_field.items())
        return answer(request, 422, ErrorOut(detail=detail, problems=list(by_field.values()), errors=by_field))
