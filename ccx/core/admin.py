from django.contrib import admin

from ccx.core.models import ImportRun


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin[ImportRun]):
    list_display = ("kind", "source", "finished_at", "created", "updated", "unchanged")
    list_filter = ("kind",)
    readonly_fields = ("kind", "source", "checksum", "created", "updated", "unchanged", "finished_at")
