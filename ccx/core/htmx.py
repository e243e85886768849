from django.http import HttpRequest


def is_htmx(request: HttpRequest) -> bool:
    """True for a request that htmx sent (and that is not a full-page boost)."""
    return request.headers.get("HX-Request") == "true" and request.headers.get("HX-Boosted") != "true"
