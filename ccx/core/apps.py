from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "ccx.core"
    label = "core"
    verbose_name = "Core"

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from ccx.core.fixity import file_fields, record_new_files

        # Every model with an uploaded file records its digest when saved (fixity, `ccx fixity`).
        for model in {model for model, _field in file_fields()}:
            post_save.connect(record_new_files, sender=model, dispatch_uid=f"fixity:{model._meta.label}")

        from ccx.core.versions import watch_writes

        watch_writes()
