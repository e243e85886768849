"""Which process warms the search up in a thread as it starts (ccx.search.apps)."""

from ccx.search.apps import background_warm_up
from ccx.search.startup import warm_development_server, warm_worker


def test_the_task_worker_warms_up_with_warm_start_only() -> None:
    assert background_warm_up(["ccx", "db_worker"], {}, warm_start=True) is warm_worker
    assert background_warm_up(["ccx", "db_worker"], {}, warm_start=False) is None


def test_the_development_server_warms_up_in_the_process_that_serves() -> None:
    """``make run``: the autoreloader's child serves (RUN_MAIN), its parent only watches files."""
    serving = background_warm_up(["ccx", "runserver", "127.0.0.1:8000"], {"RUN_MAIN": "true"}, warm_start=False)
    assert serving is warm_development_server
    assert background_warm_up(["ccx", "runserver", "127.0.0.1:8000"], {}, warm_start=False) is None
    no_reload = background_warm_up(["ccx", "runserver", "--noreload"], {}, warm_start=False)
    assert no_reload is warm_development_server


def test_other_commands_and_the_tests_load_nothing() -> None:
    for argv in (["ccx", "migrate"], ["ccx", "reindex"], ["pytest", "-q"], ["ccx"]):
        assert background_warm_up(argv, {"RUN_MAIN": "true"}, warm_start=True) is None
