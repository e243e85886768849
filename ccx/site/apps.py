from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The pages that compose several apps (home, about the data), the `setup` command and the page context."""

    name = "ccx.site"
    label = "site"
    verbose_name = "Site"
