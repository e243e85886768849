from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ccx.accounts.models import ApiToken, Organisation, User


@admin.register(User)
class UserAdmin(BaseUserAdmin[User]):
    list_display = ("username", "email", "first_name", "last_name", "organisation", "is_staff", "is_active")
    list_filter = ("is_staff", "is_active", "organisation__kind")
    search_fields = ("username", "email", "first_name", "last_name")
    autocomplete_fields = ("organisation", "focal_point_of")
    fieldsets = (
        *BaseUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Role in the network"), {"fields": ("organisation", "focal_point_of")}),
    )
    add_fieldsets = ((None, {"classes": ("wide",), "fields": ("username", "email", "password1", "password2")}),)


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin[Organisation]):
    list_display = ("name", "kind", "country", "city")
    list_filter = ("kind",)
    search_fields = ("name",)
    autocomplete_fields = ("country", "city")


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin[ApiToken]):
    """The secretariat sees who holds tokens and may revoke one; the secret itself is never stored."""

    list_display = ("name", "user", "prefix", "scope", "created_at", "expires_at", "last_used_at", "revoked_at")
    list_filter = ("scope",)
    search_fields = ("name", "user__username", "prefix")
    readonly_fields = ("user", "name", "prefix", "digest", "scope", "created_at", "expires_at", "last_used_at")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # tokens are made by their owner, so that only the owner ever sees the secret
