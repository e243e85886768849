from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import City, Country, CreativeField
from ccx.cities.services import PROFILE_FIELDS, RECORD_FIELDS
from ccx.cities.validation import city_problems
from ccx.core.validation import apply_to_form

TRANSLATED = {"about_translations": "about", "commitments_translations": "commitments"}
LABELS = {"about": _("Profile"), "commitments": _("Commitments as a Creative City")}


class CityEditForm(forms.ModelForm[City]):
    """The fields a person may change: profile texts for focal points, the whole record for the secretariat."""

    class Meta:
        model = City
        fields = [name for name in (*RECORD_FIELDS, *PROFILE_FIELDS) if name not in TRANSLATED]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 10}),
            "commitments": forms.Textarea(attrs={"rows": 6}),
        }

    def __init__(self, data: Any = None, *, city: City, allowed: tuple[str, ...]) -> None:
        super().__init__(data, instance=city)
        for name in list(self.fields):
            if name not in allowed:
                del self.fields[name]
        if "country" in self.fields:
            self.fields["country"].queryset = Country.objects.order_by("name")  # type: ignore[attr-defined]
        if "field" in self.fields:
            self.fields["field"].queryset = CreativeField.objects.all()  # type: ignore[attr-defined]
        self.translation_fields: list[str] = []
        for json_name, base in TRANSLATED.items():
            if json_name not in allowed:
                continue
            for code, language in settings.LANGUAGES:
                if code == city.text_language:
                    continue
                name = f"{base}_{code}"
                self.fields[name] = forms.CharField(
                    label=_("%(field)s in %(language)s") % {"field": LABELS[base], "language": language},
                    required=False,
                    widget=forms.Textarea(attrs={"rows": 6, "lang": code}),
                    initial=getattr(city, json_name).get(code, ""),
                )
                self.translation_fields.append(name)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {name: data[name] for name in self.fields if name in data and name not in self.translation_fields}
        values.update(self._translations(data))
        apply_to_form(self, city_problems(values))
        return data

    def changes(self) -> dict[str, Any]:
        """Validated values by model field, with the per-language texts gathered into their JSON fields."""
        changes = {name: self.cleaned_data[name] for name in self.fields if name not in self.translation_fields}
        return {**changes, **self._translations(self.cleaned_data)}

    def _translations(self, data: dict[str, Any]) -> dict[str, dict[str, str]]:
        """The per-language texts gathered into their JSON fields (the stored ones for the languages not shown)."""
        gathered = {}
        for json_name, base in TRANSLATED.items():
            prefix = f"{base}_"
            names = [name for name in self.translation_fields if name.startswith(prefix)]
            if names:
                texts = dict(getattr(self.instance, json_name))
                for name in names:
                    code = name.removeprefix(prefix)
                    if (data.get(name) or "").strip():
                        texts[code] = data[name].strip()
                    else:
                        texts.pop(code, None)
                gathered[json_name] = texts
        return gathered
