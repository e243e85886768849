"""Every list endpoint answers {count, items} with one pagination: bounded limit and offset, a 422 beyond."""

import pytest
from django.test import Client

from ccx.api.pagination import MAX_LIMIT, MAX_OFFSET
from ccx.api.urls import api

pytestmark = pytest.mark.django_db

LISTS = [
    "/api/v1/practices",
    "/api/v1/cities",
    "/api/v1/countries",
    "/api/v1/fields",
    "/api/v1/challenges",
    "/api/v1/partnerships",
    "/api/v1/transfers",
    "/api/v1/events",
    "/api/v1/publications",
    "/api/v1/exhibitions",
    "/api/v1/sdg/goals",
    "/api/v1/sdg/targets",
    "/api/v1/sdg/indicators",
    "/api/v1/search?q=water",
    "/api/v1/reports",
    "/api/v1/reports/status",
    "/api/v1/indicator-values",
]


def _with(path: str, query: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}{query}"


@pytest.mark.parametrize("path", LISTS)
def test_each_list_is_a_page_with_bounded_limit_and_offset(client: Client, path: str) -> None:
    body = client.get(path).json()
    # search also says which language it read the query in
    assert sorted(body) == (["count", "items", "query_language"] if "search" in path else ["count", "items"])
    too_far = client.get(_with(path, f"offset={2**63}"))
    assert (too_far.status_code, too_far.json()["errors"]) == (
        422,
        {"offset": f"Input should be less than or equal to {MAX_OFFSET}"},
    )
    too_many = client.get(_with(path, f"limit={MAX_LIMIT + 1}"))
    assert (too_many.status_code, too_many.json()["errors"]) == (
        422,
        {"limit": f"Input should be less than or equal to {MAX_LIMIT}"},
    )


def test_no_endpoint_answers_a_bare_list() -> None:
    schema = api.get_openapi_schema()
    bare = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            content = operation["responses"].get("200", {}).get("content", {})
            answer = content.get("application/json", {}).get("schema", {})
            if answer.get("type") == "array":
                bare.append(f"{method.upper()} {path}")
    assert bare == ["POST /api/v1/sdg/suggest"]  # a ranked suggestion for one text, not a collection
