"""The secretariat's admin for practices. State changes go through the workflow functions, saves make revisions."""

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ccx.practices import workflow
from ccx.practices.models import Practice, Revision, Technology, Theme, WorkflowEvent
from ccx.practices.revisions import SCALAR_FIELDS, record_revision
from ccx.practices.validation import practice_problems


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin[Theme]):
    list_display = ("name", "slug")


@admin.register(Technology)
class TechnologyAdmin(admin.ModelAdmin[Technology]):
    list_display = ("name", "slug")


class RevisionInline(admin.TabularInline[Revision, Practice]):
    model = Revision
    fields = ("number", "created_at", "author", "comment", "changed_fields")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class WorkflowEventInline(admin.TabularInline[WorkflowEvent, Practice]):
    model = WorkflowEvent
    fields = ("created_at", "actor", "from_status", "to_status", "comment")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class PracticeAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    """The admin's practice form asks the same validator as the site's form, the API and the importers."""

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {name: data[name] for name in SCALAR_FIELDS if name in data}
        if "adapted_from" in data:
            values["adapted_from_id"] = data["adapted_from"].pk if data["adapted_from"] else None
        for name, errors in practice_problems(values, practice=self.instance).items():
            self.add_error(name if name in self.fields else None, errors)
        return data


@admin.register(Practice)
class PracticeAdmin(admin.ModelAdmin[Practice]):
    form = PracticeAdminForm
    list_display = ("title", "lead_city", "country", "status", "source_name", "published_at", "deleted_at")
    list_filter = ("status", "source_name", "stage", "country__region", "deleted_at")
    search_fields = ("title", "tagline", "lead_city__name", "source_id")
    list_select_related = ("lead_city", "country")
    autocomplete_fields = ("lead_city", "partner_cities", "country", "adapted_from")
    filter_horizontal = ("fields", "themes", "technologies", "sdg_goals", "sdg_targets")
    readonly_fields = ("status", "published_at", "deleted_at", "created_at", "updated_at", "start_year", "owner")
    inlines = (WorkflowEventInline, RevisionInline)
    actions = ("publish_selected", "delete_selected_reversibly", "restore_selected")

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # deleting is reversible: the "delete (reversible)" action hides a practice instead

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # deleting is reversible: use the soft delete below
        return actions

    def save_related(self, request: HttpRequest, form: ModelForm[Practice], formsets: Any, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        record_revision(form.instance, request.user, "edited in the admin")

    @admin.action(description=_("Publish the selected practices (submitted or in review)"))
    def publish_selected(self, request: HttpRequest, queryset: QuerySet[Practice]) -> None:
        self._each(request, queryset, lambda practice: workflow.publish(practice, request.user))

    @admin.action(description=_("Delete the selected practices (reversible)"))
    def delete_selected_reversibly(self, request: HttpRequest, queryset: QuerySet[Practice]) -> None:
        self._each(request, queryset, lambda practice: workflow.delete(practice, request.user))

    @admin.action(description=_("Restore the selected deleted practices"))
    def restore_selected(self, request: HttpRequest, queryset: QuerySet[Practice]) -> None:
        self._each(request, queryset, lambda practice: workflow.undelete(practice, request.user))

    def _each(self, request: HttpRequest, queryset: QuerySet[Practice], change: Any) -> None:
        done = 0
        for practice in queryset:
            try:
                change(practice)
                done += 1
            except workflow.WorkflowError as error:
                self.message_user(request, f"{practice.title}: {error}", messages.WARNING)
        self.message_user(request, _("%(count)s practice(s) changed.") % {"count": done}, messages.SUCCESS)
