from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import CreativeField, Region
from ccx.core.i18n import normalise_language
from ccx.monitoring.models import Report
from ccx.monitoring.schedule import MAX_CYCLE_YEARS, BoardState
from ccx.sdg.models import Indicator, IndicatorValue, Target

TEXTAREA = {"rows": 8}


class ReportForm(forms.ModelForm):  # type: ignore[type-arg]
    target_codes = forms.CharField(
        label=_("SDG targets"),
        required=False,
        help_text=_("The codes of the targets, separated by commas, e.g. 11.4, 11.7"),
    )

    class Meta:
        model = Report
        fields = [
            "language",
            "contribution",
            "local_initiatives",
            "international_initiatives",
            "action_plan",
            "resources",
            "sdg_contribution",
        ]
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in fields[1:]}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        from ccx.publications.editions import edition_languages

        self.fields["language"] = forms.ChoiceField(label=_("Language of the report"), choices=edition_languages())
        if not self.is_bound and self.instance.pk:
            codes = self.instance.sdg_targets.order_by("sort_key").values_list("code", flat=True)
            self.initial["target_codes"] = ", ".join(codes)

    def clean_language(self) -> str:
        return normalise_language(self.cleaned_data["language"])

    def clean_target_codes(self) -> list[Target]:
        codes = [
            code.strip() for code in self.cleaned_data["target_codes"].replace(";", ",").split(",") if code.strip()
        ]
        targets = {target.code: target for target in Target.objects.filter(code__in=codes)}
        unknown = [code for code in codes if code not in targets]
        if unknown:
            raise forms.ValidationError(_("Unknown SDG target(s): %(codes)s.") % {"codes": ", ".join(unknown)})
        return [targets[code] for code in dict.fromkeys(codes)]

    def texts(self) -> dict[str, str]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ReviewForm(forms.Form):
    action = forms.ChoiceField(
        choices=[
            ("request_changes", _("Request changes")),
            ("accept", _("Accept")),
            ("comment", _("Comment only")),
        ]
    )
    comment = forms.CharField(label=_("Comment for the city"), widget=forms.Textarea(attrs={"rows": 4}), required=False)


class BoardFilterForm(forms.Form):
    field = forms.ChoiceField(label=_("Creative field"), required=False)
    region = forms.ChoiceField(label=_("Region"), required=False)
    state = forms.ChoiceField(label=_("State"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("All"))]
        fields = [(field.slug, field.localized_name) for field in CreativeField.objects.all()]
        regions = [(region.value, region.label) for region in Region if region != Region.ANTARCTICA]
        for name, choices in (("field", fields), ("region", regions), ("state", list(BoardState.choices))):
            self.fields[name].choices = everything + choices  # type: ignore[attr-defined]


class RuleForm(forms.Form):
    cycle_years = forms.IntegerField(label=_("A member reports every … years"), min_value=1, max_value=MAX_CYCLE_YEARS)


class DueYearForm(forms.Form):
    due_year = forms.IntegerField(
        label=_("Due year"), required=False, help_text=_("Leave empty to follow the rule again")
    )
    note = forms.CharField(label=_("Why"), required=False, max_length=300)


class IndicatorValueForm(forms.ModelForm):  # type: ignore[type-arg]
    value = forms.CharField(label=_("Value"), help_text=_("A number, e.g. 12.5"))

    class Meta:
        model = IndicatorValue
        fields = ["indicator", "year", "value", "unit", "disaggregation", "source", "method_note"]
        widgets = {"method_note": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        indicator_field = self.fields["indicator"]
        indicator_field.queryset = Indicator.objects.order_by("sort_key")  # type: ignore[attr-defined]
        indicator_field.label_from_instance = lambda indicator: f"{indicator.code} {indicator.title().text[:90]}"  # type: ignore[attr-defined]
        if self.instance.pk:
            from ccx.monitoring.profile import as_number

            self.initial["value"] = as_number(self.instance.value)

    def clean_value(self) -> Any:
        from ccx.sdg.values import parse_number

        number = parse_number(self.cleaned_data["value"])
        if number is None:
            raise forms.ValidationError(_("Give the value as a number, e.g. 12.5."))
        return number

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        duplicate = IndicatorValue.objects.filter(
            city=self.instance.city,
            indicator=data.get("indicator"),
            year=data.get("year") or 0,
            disaggregation=data.get("disaggregation") or "",
        ).exclude(pk=self.instance.pk)
        if data.get("indicator") and data.get("year") and duplicate.exists():
            raise forms.ValidationError(_("This city already has a value for this indicator, year and group: edit it."))
        return data
