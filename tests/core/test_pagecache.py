"""The shared cache of anonymous pages and the data version that retires it (ccx.core.pagecache, versions)."""

import time
from typing import Any

import pytest
from django.core.cache import cache
from django.db import connection, transaction
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from ccx.core import versions
from ccx.core.pagecache import fragment
from ccx.core.throttling import Limit, caller_key, counter_key
from ccx.practices.models import Practice
from tests.conftest import Personas, client_for, make_user
from tests.practices.factories import published_practice

pytestmark = pytest.mark.django_db

PAGES = ["/", "/practices/", "/cities/", "/challenges/", "/api/v1/practices?limit=5", "/cities/ashgabat-tm/"]


def queries_of(client: Client, url: str, **headers: Any) -> tuple[int, bytes]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    assert response.status_code == 200, url
    return len(queries), response.content


def built(client: Client, url: str) -> bool:
    """Whether the page was made by its view (its templates rendered) rather than served as a kept page. A
    count of queries cannot tell: a page made from warm fragments may ask the database nothing."""
    response = client.get(url)
    assert response.status_code == 200, url
    return bool(response.templates)


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_pages_are_served_from_the_cache_with_one_query(url: str) -> None:
    visitor = Client()
    first_queries, first = queries_of(visitor, url)
    again_queries, again = queries_of(Client(), url)
    assert again == first
    assert first_queries > 1
    assert again_queries == 0  # the data version is read at most once a second (here: known already)


def test_a_change_retires_the_cached_pages(personas: Personas) -> None:
    practice = published_practice(personas.focal_a_user, personas.secretariat_user, personas.city_a, "Night kilns")
    assert b"Night kilns" in personas.anonymous.get("/practices/").content
    Practice.objects.filter(pk=practice.pk).update(title="Dawn kilns")  # a queryset update sends no signal
    page = personas.anonymous.get("/practices/").content
    assert b"Dawn kilns" in page
    assert b"Night kilns" not in page
    practice.refresh_from_db()
    assert practice.title == "Dawn kilns"
    assert b"Dawn kilns" in personas.anonymous.get(practice.get_absolute_url()).content


def test_a_kept_page_is_served_without_its_view() -> None:
    assert built(Client(), "/practices/")
    assert not built(Client(), "/practices/")


def test_pages_built_just_after_a_change_are_served_but_not_kept(settings: Any) -> None:
    settings.PAGE_CACHE_SETTLE_SECONDS = 60.0
    make_user("a-change-now")
    assert built(Client(), "/practices/")
    assert built(Client(), "/practices/")


def test_languages_are_kept_apart() -> None:
    english = Client().get("/practices/").content
    french = Client().get("/fr/practices/").content
    assert english != french
    assert b'lang="fr"' in Client().get("/fr/practices/").content
    assert b'lang="en"' in Client().get("/practices/").content


def test_signed_in_pages_are_never_taken_from_or_put_into_the_shared_cache(personas: Personas) -> None:
    """Four personas visit the same addresses in turn: each sees their own header, never another's."""
    member = make_user("member-m")
    visitors = {
        "anonymous": (personas.anonymous, None),
        "member": (client_for(member), member),
        "focal point": (personas.focal_a, personas.focal_a_user),
        "secretariat": (personas.secretariat, personas.secretariat_user),
    }
    names = [user.display_name for _client, user in visitors.values() if user is not None]
    for url in ("/", "/practices/", "/cities/"):
        for _round in range(2):  # the second round would show a stored page if any were stored wrongly
            for label, (client, user) in visitors.items():
                page = client.get(url).content.decode()
                shown = [name for name in names if name in page]
                assert shown == ([user.display_name] if user else []), (label, url)
                assert ("/admin/" in page) == (label == "secretariat"), (label, url)
                assert ("csrfmiddlewaretoken" in page) == (user is not None), (label, url)


def test_a_signed_in_visitor_costs_more_than_one_query(personas: Personas) -> None:
    personas.anonymous.get("/practices/")
    count, _page = queries_of(personas.focal_b, "/practices/")
    assert count > 1


def test_pages_with_a_form_token_or_a_message_are_not_stored() -> None:
    first = Client().get("/accounts/login/")
    second = Client().get("/accounts/login/")
    assert "csrftoken" in first.cookies
    assert "csrftoken" in second.cookies
    assert first.cookies["csrftoken"].value != second.cookies["csrftoken"].value
    visitor = Client()
    visitor.cookies["messages"] = "anything"
    assert built(visitor, "/practices/")
    assert built(visitor, "/practices/")


def test_htmx_fragments_are_kept_apart_from_whole_pages() -> None:
    whole = Client().get("/practices/?theme=heritage").content
    partial = Client().get("/practices/?theme=heritage", HTTP_HX_REQUEST="true").content
    assert Client().get("/practices/?theme=heritage").content == whole
    assert Client().get("/practices/?theme=heritage", HTTP_HX_REQUEST="true").content == partial


def test_switched_off_by_setting(settings: Any) -> None:
    settings.PAGE_CACHE = False
    assert built(Client(), "/practices/")
    assert built(Client(), "/practices/")


def test_every_kind_of_write_counts_as_a_change(personas: Personas) -> None:
    seen = [versions.current()]
    Practice.objects.filter(pk=-1).update(title="nothing")  # an UPDATE, even of no row, is counted
    seen.append(versions.current())
    with connection.cursor() as cursor:
        cursor.execute("UPDATE practices_practice SET title = title WHERE id = -1")
    seen.append(versions.current())
    make_user("someone-new")
    seen.append(versions.current())
    assert len({version.number for version in seen}) == 4
    personas.anonymous.get("/practices/")  # reading changes nothing
    assert versions.current() == seen[-1]


def test_the_counter_in_the_database_goes_up_with_each_change(settings: Any) -> None:
    versions.forget()
    before = int(versions.current().number)
    make_user("one-more")
    versions.forget()
    after = versions.current()
    assert int(after.number) > before
    assert after.changed_within(60)
    settings.DATA_VERSION_READ_SECONDS = 0.0
    with connection.cursor() as cursor:  # another process's write: seen at the next read
        cursor.execute("UPDATE core_dataversion SET number = number + 5 WHERE id = 1")
    assert int(versions.current().number) == int(after.number) + 5


def test_in_production_a_change_counts_once_when_its_transaction_commits(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.DATA_VERSION_ON_COMMIT = True
    start = versions.current()
    with django_capture_on_commit_callbacks(execute=True) as callbacks, transaction.atomic():
        for n in range(3):
            make_user(f"batch-{n}")
        assert versions.current() == start  # not before the commit
    assert len(callbacks) == 1
    committed = versions.current()
    assert committed != start
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                make_user("rolled-back")
                raise RuntimeError
        except RuntimeError:
            pass
    assert callbacks == []
    assert versions.current() == committed


def test_fragments_are_rebuilt_after_a_change() -> None:
    built: list[int] = []

    def build() -> int:
        built.append(1)
        return len(built)

    assert fragment("demo", build, "a") == 1
    assert fragment("demo", build, "a") == 1
    assert fragment("demo", build, "b") == 2
    make_user("changes-the-data")
    assert fragment("demo", build, "a") == 3


def test_the_throttles_run_before_a_kept_page_is_served(settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    first = Client().get("/practices/?q=music")
    count, kept = queries_of(Client(REMOTE_ADDR="10.0.0.7"), "/practices/?q=music")
    assert (count, kept) == (0, first.content)  # kept, and served from the cache
    assert Client().get("/practices/?q=music").status_code == 200
    assert Client().get("/practices/?q=music").status_code == 429  # the same page, the same address: refused


def test_a_value_kept_per_version_is_built_once_for_every_process_until_the_next_change() -> None:
    from ccx.core import pagecache

    built: list[int] = []

    def build() -> list[int]:
        built.append(1)
        return [len(built)]

    first = pagecache.per_version("test-table", build)
    assert pagecache.per_version("test-table", build) is first  # this process's memory: no cache read
    pagecache._kept.clear()  # another process: reads the shared cache instead of building
    assert pagecache.per_version("test-table", build) == first
    assert built == [1]
    make_user("a-change")
    assert pagecache.per_version("test-table", build) == [2]


def served_early(client: Client, url: str, monkeypatch: pytest.MonkeyPatch, **headers: Any) -> Any:
    """A request that must be answered before the session middleware runs (it fails the test if it does)."""
    from django.contrib.sessions.middleware import SessionMiddleware

    def never(*_args: Any) -> None:
        raise AssertionError("the session middleware ran: the kept page was not served early")

    with monkeypatch.context() as patch:
        patch.setattr(SessionMiddleware, "process_request", never)
        return client.get(url, **headers)


@pytest.mark.parametrize("url", ["/practices/", "/fr/practices/", "/practices/?q=music", "/api/v1/practices?limit=5"])
def test_a_kept_page_is_served_before_the_other_middleware_with_the_same_headers(
    url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = Client().get(url)
    with CaptureQueriesContext(connection) as queries:
        kept = served_early(Client(), url, monkeypatch)
    assert len(queries) == 0
    assert kept.content == first.content
    assert kept.status_code == 200
    for header in ("Content-Type", "Content-Security-Policy", "X-Frame-Options", "Content-Language", "Vary"):
        assert kept.get(header) == first.get(header), header
    assert kept["X-Content-Type-Options"] == "nosniff"  # the security middleware runs for every response


def test_a_visitor_whose_browser_prefers_french_is_still_sent_to_the_french_page() -> None:
    Client().get("/practices/")  # the English page is kept
    response = Client(HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9").get("/practices/")
    assert (response.status_code, response["Location"]) == (302, "/fr/practices/")


def test_a_host_not_allowed_is_refused_even_for_a_kept_page() -> None:
    Client().get("/practices/")
    assert Client(HTTP_HOST="elsewhere.example").get("/practices/").status_code == 400


def test_a_refusal_of_a_kept_page_is_counted_once_and_in_the_page_language(settings: Any) -> None:
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": "2/m"}
    visitor = Client(REMOTE_ADDR="10.0.0.8")
    assert [visitor.get("/fr/practices/?q=musique").status_code for _ in range(2)] == [200, 200]
    refused = visitor.get("/fr/practices/?q=musique")
    assert refused.status_code == 429
    assert "Trop de requêtes" in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60
    asked = RequestFactory(REMOTE_ADDR="10.0.0.8").get("/fr/practices/?q=musique")
    counter = counter_key(Limit("search", caller_key), asked, time.time())
    assert cache.get(counter) == 3  # the refused request was counted by the early layer only


def test_a_page_that_used_a_script_nonce_is_not_kept() -> None:
    from django.http import HttpResponse

    from ccx.core.pagecache import _storable

    request = RequestFactory().get("/practices/")
    assert _storable(request, HttpResponse("page"))
    request._csp_nonce = "abc"  # type: ignore[attr-defined]  # what django-csp sets when a template asks for one
    assert not _storable(request, HttpResponse("page"))
