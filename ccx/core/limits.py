"""Request limits that protect every process: a body too large is refused before a byte of it is read."""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse


class ApiBodyLimitMiddleware:
    """Refuse API requests whose declared body exceeds `CCX_API_MAX_BODY_BYTES` with 413, as JSON.

    Django's own `DATA_UPLOAD_MAX_MEMORY_SIZE` answers a bare 400 after starting to read; the API's clients
    deserve the right status and a sentence. A request without a Content-Length has an empty body for Django.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path.startswith(settings.API_PATH_PREFIX):
            try:
                declared = int(request.META.get("CONTENT_LENGTH") or 0)
            except ValueError:
                declared = 0
            limit = settings.API_MAX_BODY_BYTES
            if declared > limit:
                return JsonResponse(
                    {"detail": f"The request body is too large: {declared} bytes, at most {limit} are accepted."},
                    status=413,
                )
        return self.get_response(request)
