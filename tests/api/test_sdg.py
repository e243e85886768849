import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_goals_in_each_un_language(client: Client) -> None:
    goals = client.get("/api/v1/sdg/goals?lang=zh-hans").json()["items"]
    assert len(goals) == 17
    assert (goals[10]["number"], goals[10]["short_title"], goals[10]["language"]) == (
        11,
        "可持续的城市和社区",
        "zh-hans",
    )
    assert client.get("/api/v1/sdg/goals/11?lang=fr").json()["short_title"] == "Villes et communautés durables"
    assert client.get("/api/v1/sdg/goals/11?lang=ar").json()["titles"]["ar"].startswith("جعل المدن")


def test_targets_and_indicators_of_goal_11(client: Client) -> None:
    targets = client.get("/api/v1/sdg/targets?goal=11").json()["items"]
    assert [target["code"] for target in targets] == [
        "11.1",
        "11.2",
        "11.3",
        "11.4",
        "11.5",
        "11.6",
        "11.7",
        "11.a",
        "11.b",
        "11.c",
    ]
    indicators = client.get("/api/v1/sdg/indicators?target=11.4").json()["items"]
    assert [(item["code"], item["goal"]) for item in indicators] == [("11.4.1", 11)]
    assert len(client.get("/api/v1/sdg/indicators").json()["items"]) == 252


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/sdg/goals?lang=xx", 422),
        ("/api/v1/sdg/targets?goal=18", 422),
        ("/api/v1/sdg/goals/99", 404),
        ("/api/v1/sdg/indicators?target=99.9", 422),  # an unknown filter value, as for the other filters
    ],
)
def test_bad_requests(client: Client, url: str, status: int) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert response.json()["detail"]
