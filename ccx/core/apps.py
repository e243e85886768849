from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccx.core"
    label = "core"
    verbose_name = "Core"
