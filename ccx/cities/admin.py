from django.contrib import admin
from django.forms import ModelForm
from django.http import HttpRequest

from ccx.cities.models import City, Country, CreativeField
from ccx.cities.services import IMPORTED_FIELDS
from ccx.cities.validation import city_problems
from ccx.core.validation import validated_form

# The admin asks the same validator as the edit page, the API and the member import.
CityAdminForm = validated_form(City, city_problems)


@admin.register(Country)
class CountryAdmin(admin.ModelAdmin[Country]):
    list_display = ("code", "name", "region", "population")
    list_filter = ("region",)
    search_fields = ("code", "name")


@admin.register(CreativeField)
class CreativeFieldAdmin(admin.ModelAdmin[CreativeField]):
    list_display = ("name", "slug", "colour", "position", "introduced_in")


@admin.register(City)
class CityAdmin(admin.ModelAdmin[City]):
    form = CityAdminForm
    list_display = ("name", "country", "field", "designation_year", "location_verified", "is_member")
    list_filter = ("is_member", "field", "country__region", "location_verified", "designation_year")
    search_fields = ("name", "country__name", "slug")
    autocomplete_fields = ("country",)
    readonly_fields = ("created_at", "updated_at")
    list_select_related = ("country", "field")

    def save_model(self, request: HttpRequest, obj: City, form: ModelForm[City], change: bool) -> None:
        # A correction made here must survive the next import of the member file.
        if change:
            corrected = set(obj.corrected_fields) | {name for name in form.changed_data if name in IMPORTED_FIELDS}
            obj.corrected_fields = sorted(corrected)
        super().save_model(request, obj, form, change)
