"""The API against its own OpenAPI document (schemathesis, every check), anonymous and signed in.

A short run with a fixed seed is part of `make test`; `bench/api_fuzz.py` runs the long one.
"""

import os
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from ccx.accounts.tokens import create_token
from tests.conftest import make_user

EXAMPLES = int(os.environ.get("CCX_FUZZ_EXAMPLES", "8"))
# Every check but one: filter values (creative fields, regions, themes…) come from the data, so a schema-valid
# string can name nothing and the API rightly answers 422 with the list of known values.
EXCLUDED = [positive_data_acceptance]


def load_schema() -> Any:
    """The document as the API builds it (no request, so no database at collection), run against the WSGI app."""
    from ccx.api.urls import api

    loaded = schemathesis.openapi.from_dict(api.get_openapi_schema())
    loaded.app = get_wsgi_application()
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def connections_kept_open() -> Iterator[None]:
    """Calling the WSGI application directly fires request_started/finished, whose handler closes the database
    connection, and with it the test's transaction (PostgreSQL). Django's own test client detaches it too."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db: None, settings: Any) -> str:
    settings.RATELIMIT_ENABLE = False
    from ccx.cities.models import City

    user = make_user("fuzzer", cities=(City.objects.get(slug="ashgabat-tm"),))
    return create_token(user, "fuzz", "read-write", 1).secret


@pytest.fixture
def anonymous(db: None, settings: Any) -> None:
    settings.RATELIMIT_ENABLE = False


@schema.parametrize()  # type: ignore[untyped-decorator]  # schemathesis ships no types for it
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_keeps_its_documented_promises_anonymously(case: Any, anonymous: None) -> None:
    case.call_and_validate(excluded_checks=EXCLUDED)


@schema.parametrize()  # type: ignore[untyped-decorator]  # schemathesis ships no types for it
@settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)
def test_the_api_keeps_its_documented_promises_with_a_token(case: Any, token: str) -> None:
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, excluded_checks=EXCLUDED)
