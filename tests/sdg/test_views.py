import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_goals_in_the_interface_language(client: Client) -> None:
    assert "Sustainable cities and communities" in client.get("/sdg/").content.decode()
    assert "Villes et communautés durables" in client.get("/fr/sdg/").content.decode()
    assert "可持续的城市和社区" in client.get("/zh-hans/sdg/").content.decode()


def test_goal_11_lists_its_targets_and_indicators(client: Client) -> None:
    html = client.get("/sdg/11/").content.decode()
    assert html.count('class="target"') == 10
    assert html.count('<li id="indicator-') == 15
    assert "Strengthen efforts to protect and safeguard the world’s cultural and natural heritage" in html


def test_any_un_language_can_be_read_and_arabic_is_right_to_left(client: Client) -> None:
    html = client.get("/sdg/11/?text=ar").content.decode()
    assert 'lang="ar" dir="rtl"' in html
    assert client.get("/sdg/11/?text=xx").status_code == 200


def test_unknown_goal_is_404(client: Client) -> None:
    assert client.get("/sdg/18/").status_code == 404
