"""Query parameters shared by the lists (ccx.core.filters)."""

import pytest
from django.test import Client

from ccx.core.filters import FilterError, FilterReader


def test_control_characters_leave_the_search_text() -> None:
    reader = FilterReader({"q": ["\x00river\x1f  flooding\x7f\x85"]}, strict=True)
    assert reader.query() == "river flooding"


def test_a_search_text_over_200_characters_is_cut_or_refused() -> None:
    assert FilterReader({"q": ["a" * 250]}, strict=False).query() == "a" * 200
    with pytest.raises(FilterError, match="longer than 200"):
        FilterReader({"q": ["a" * 250]}, strict=True).query()


@pytest.mark.django_db
def test_a_nul_in_the_address_is_not_written_back_into_the_page() -> None:
    page = Client().get("/practices/?q=%00river%ff")
    assert page.status_code == 200
    assert b"\x00" not in page.content
    assert 'value="river\ufffd"' in page.content.decode()
