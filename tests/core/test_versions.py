import pytest

from ccx.core import versions

pytestmark = pytest.mark.django_db


def test_many_writes_between_two_reads_keep_the_version_short() -> None:
    versions.start_from("41")
    for _write in range(500):
        versions.bump()
    number = versions.current().number
    assert number.startswith("41.")
    assert number.count(".") == 2
