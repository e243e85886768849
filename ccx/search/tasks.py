"""Background work of the search app. Thin wrappers: they take ids and call domain code."""

from django_tasks import task

from ccx.practices.models import Practice
from ccx.search.index import index_practices


def index_practice_now(practice_id: int) -> None:
    practice = Practice.objects.select_related("lead_city", "country").filter(pk=practice_id).first()
    if practice is not None:
        index_practices([practice])


@task()
def index_practice(practice_id: int) -> None:
    index_practice_now(practice_id)
