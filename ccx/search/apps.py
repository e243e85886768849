from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "ccx.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from ccx.practices import search_hooks
        from ccx.search import service, signals  # noqa: F401 - signals connects the re-indexing of saved practices

        search_hooks.install(
            search_hooks.LibrarySearch(
                rank=lambda query, ids: [hit.practice_id for hit in service.rank_practices(query, ids)],
                highlight=service.highlight,
                similar=lambda practice, k: [hit.practice_id for hit in service.similar_practices(practice, k=k)],
            )
        )
