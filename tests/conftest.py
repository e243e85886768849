"""Shared fixtures: the real network data loaded once per test database, and the named personas.

Personas (used by every test of something that changes data):
- anonymous: a visitor without an account;
- focal_a: the focal point of city A (Ashgabat, Design);
- focal_b: the focal point of city B (Gangneung, Gastronomy);
- secretariat: staff of the network's secretariat.
"""

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import Client
from django.utils import translation

from ccx.accounts.models import User
from ccx.accounts.services import make_secretariat
from ccx.cities.importers import ensure_creative_fields, import_countries, import_members
from ccx.cities.models import City
from ccx.core import versions
from ccx.practices.services import ensure_vocabularies
from ccx.sdg.importers import import_sdg

PASSWORD = "a-long-test-password-31"


@pytest.fixture(autouse=True)
def data_version_counts_at_once(settings: Any) -> None:
    """Test transactions never commit and roll the data version back: count writes at once. The one test process
    sees its own writes without reading the counter back; each test starts from a version of its own."""
    settings.DATA_VERSION_ON_COMMIT = False
    settings.DATA_VERSION_READ_SECONDS = 3600.0
    settings.PAGE_CACHE_SETTLE_SECONDS = 0.0  # the search index, too, sees every change at once in tests
    versions.start_from(f"test-{uuid.uuid4().hex}")


@pytest.fixture(autouse=True)
def interface_language_of_the_site() -> Iterator[None]:
    """Each test starts in the site's language: a request under /fr/ or /zh-hans/ leaves its language active
    in the thread, and texts made outside a request (notifications) would take it."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> None:
    """Load the bundled real data into the test database once; each test runs in a transaction on top."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        load_real_data()


def load_real_data() -> None:
    ensure_vocabularies()
    if not City.objects.exists():
        ensure_creative_fields()
        import_countries()
        import_members()
        import_sdg()


@dataclass
class Personas:
    anonymous: Client
    focal_a: Client
    focal_b: Client
    secretariat: Client
    city_a: City
    city_b: City
    focal_a_user: User
    focal_b_user: User
    secretariat_user: User

    def all(self) -> dict[str, Client]:
        return {
            "anonymous": self.anonymous,
            "focal_a": self.focal_a,
            "focal_b": self.focal_b,
            "secretariat": self.secretariat,
        }


def make_user(username: str, *, staff: bool = False, cities: tuple[City, ...] = ()) -> User:
    user = User.objects.create_user(username=username, email=f"{username}@example.org", password=PASSWORD)
    if staff:
        make_secretariat(user)
    if cities:
        user.focal_point_of.set(cities)
    return user


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def personas(db: None) -> Personas:
    city_a = City.objects.get(slug="ashgabat-tm")
    city_b = City.objects.get(slug="gangneung-kr")
    focal_a = make_user("focal-a", cities=(city_a,))
    focal_b = make_user("focal-b", cities=(city_b,))
    secretariat = make_user("secretariat-1", staff=True)
    return Personas(
        anonymous=client_for(None),
        focal_a=client_for(focal_a),
        focal_b=client_for(focal_b),
        secretariat=client_for(secretariat),
        city_a=city_a,
        city_b=city_b,
        focal_a_user=focal_a,
        focal_b_user=focal_b,
        secretariat_user=secretariat,
    )


@pytest.fixture
def real_data(transactional_db: None) -> None:
    """For transactional tests (browser, concurrency): the flush between tests empties the tables."""
    load_real_data()
    return


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: object) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def search_index_sees_every_change() -> None:
    """In production a process reads index changes at most twice a second; tests change and search at once."""
    from ccx.search.index import live_index

    live_index.REFRESH_SECONDS = 0.0


@pytest.fixture(autouse=True)
def empty_cache() -> None:
    """Each test starts with an empty cache, as each test starts with its own data."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def private_files_in_a_temporary_folder(settings: object, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Private documents written by a test go to a folder of its own, never to the worktree's var/."""
    settings.PRIVATE_ROOT = tmp_path_factory.mktemp("private")  # type: ignore[attr-defined]
