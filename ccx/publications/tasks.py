"""Background work of the publications app. Thin wrappers: they take ids and call domain code."""

from django_tasks import task

from ccx.publications.builds import run_build


@task()
def build_publication(build_id: int) -> None:
    run_build(build_id)
