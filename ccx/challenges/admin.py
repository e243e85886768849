from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from ccx.challenges.models import Challenge, ClinicInvitation, ClinicResponse
from ccx.challenges.services import EDITABLE


class ResponseInline(admin.TabularInline[ClinicResponse, Challenge]):
    model = ClinicResponse
    extra = 0
    fields = ("kind", "author", "city", "text", "practice", "helped")
    raw_id_fields = ("author", "city", "practice")


@admin.register(Challenge)
class ChallengeAdmin(admin.ModelAdmin[Challenge]):
    list_display = ("title", "city", "country", "status", "visibility", "language", "created_at")
    list_filter = ("status", "visibility", "language", "source_name")
    search_fields = ("title", "statement", "slug", "source_id")
    raw_id_fields = ("city", "country", "owner")
    filter_horizontal = ("themes", "sdg_goals")
    readonly_fields = ("created_at", "updated_at", "concluded_at", "edited_fields")
    inlines = [ResponseInline]

    def save_model(self, request: HttpRequest, obj: Challenge, form: Any, change: bool) -> None:
        """An imported challenge edited here keeps these fields when its file is imported again."""
        if change and obj.source_id:
            changed = {"city" if name in ("country", "place_name") else name for name in form.changed_data}
            obj.edited_fields = sorted(set(obj.edited_fields) | (changed & set(EDITABLE)))
        super().save_model(request, obj, form, change)


@admin.register(ClinicInvitation)
class ClinicInvitationAdmin(admin.ModelAdmin[ClinicInvitation]):
    list_display = ("challenge", "city", "invited_by", "created_at")
    raw_id_fields = ("challenge", "city", "invited_by")
