from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccx.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from ccx.core.versions import watch_writes

        watch_writes()
