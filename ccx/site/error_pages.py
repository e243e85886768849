"""The server error page in the site's design, and a bare one when even that cannot be drawn."""

from django.http import HttpRequest, HttpResponse, HttpResponseServerError
from django.shortcuts import render

BARE_PAGE = (
    "<!doctype html><html lang='en'><head><meta charset='utf-8'><title>Server error</title></head>"
    "<body><h1>Something went wrong on our side</h1><p>Please try again in a moment.</p></body></html>"
)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's own handler renders 500.html without the request (no site name, no language links)."""
    try:
        return render(request, "500.html", status=500)
    except Exception:  # the database or a template may be what failed; say something all the same
        return HttpResponseServerError(BARE_PAGE)
