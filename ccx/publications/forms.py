"""Forms of the secretariat's publication and exhibition editors. Each gives `values()` for the services."""

from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccx.publications.editions import edition_languages, language_name
from ccx.publications.models import Chapter, Exhibition, Format, Publication, Translated


class TranslatedForm(forms.ModelForm):  # type: ignore[type-arg]
    """A model form plus one field per translated text and language: `title__fr`, `foreword__zh-hans`…"""

    translated_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        instance: Translated = self.instance
        original = instance.original_language or "en"
        self.translation_groups: list[tuple[str, str, list[str]]] = []
        for code, _name in edition_languages():
            if code == original:
                continue
            names = []
            for field_name in self.translated_fields:
                model_field = self._meta.model._meta.get_field(field_name)
                key = f"{field_name}__{code}"
                widget = (
                    forms.Textarea(attrs={"rows": 4}) if isinstance(model_field, models.TextField) else forms.TextInput
                )
                self.fields[key] = forms.CharField(
                    label=f"{model_field.verbose_name} ({language_name(code)})".capitalize(),
                    required=False,
                    widget=widget,
                    max_length=getattr(model_field, "max_length", None),
                )
                self.initial.setdefault(key, (instance.translations or {}).get(code, {}).get(field_name, ""))
                names.append(key)
            self.translation_groups.append((code, language_name(code), names))

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self._meta.fields or () if name in self.fields]

    def translation_fieldsets(self) -> list[tuple[str, str, list[forms.BoundField]]]:
        return [(code, name, [self[key] for key in keys]) for code, name, keys in self.translation_groups]

    def values(self) -> dict[str, Any]:
        values = {name: self.cleaned_data[name] for name in self._meta.fields or () if name in self.cleaned_data}
        values["translations"] = {
            code: {key.split("__", 1)[0]: self.cleaned_data.get(key, "") for key in keys}
            for code, _name, keys in self.translation_groups
        }
        return values


class PublicationForm(TranslatedForm):
    translated_fields = Publication.TRANSLATED_FIELDS

    class Meta:
        model = Publication
        fields = [
            "title",
            "subtitle",
            "editors",
            "foreword",
            "isbn",
            "licence",
            "cover",
            "cover_alt_text",
            "is_published",
        ]
        widgets = {"foreword": forms.Textarea(attrs={"rows": 6})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("cover") and not cleaned.get("cover_alt_text"):
            self.add_error("cover_alt_text", _("Describe the cover for people who cannot see it."))
        return cleaned


class ChapterForm(TranslatedForm):
    translated_fields = Chapter.TRANSLATED_FIELDS

    class Meta:
        model = Chapter
        fields = ["title", "introduction"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}


class ExhibitionForm(TranslatedForm):
    translated_fields = Exhibition.TRANSLATED_FIELDS

    class Meta:
        model = Exhibition
        fields = ["title", "introduction", "is_published", "is_featured"]
        widgets = {"introduction": forms.Textarea(attrs={"rows": 5})}


class BuildForm(forms.Form):
    language = forms.ChoiceField(label=_("Edition"), choices=edition_languages)
    formats = forms.MultipleChoiceField(
        label=_("Formats"),
        choices=Format.choices,
        initial=list(Format.values),
        widget=forms.CheckboxSelectMultiple,
    )


def positions_from(data: Any, prefix: str = "position-") -> dict[int, float]:
    """`position-<id>` inputs → {id: number}; blank or bad numbers are left out (the row keeps its place)."""
    positions = {}
    for key, value in data.items():
        if not key.startswith(prefix):
            continue
        try:
            positions[int(key[len(prefix) :])] = float(value)
        except ValueError:
            continue
    return positions
