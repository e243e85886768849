from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "ccx.events"
    label = "events"
    verbose_name = _("Summits and workshops")

    def ready(self) -> None:
        from ccx.events import signals

        signals.connect()
