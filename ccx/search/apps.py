from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ccx.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from ccx.search import health, signals  # noqa: F401 - the /healthz check; re-indexing saved practices
