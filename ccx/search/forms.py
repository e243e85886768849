"""The find-solutions form: a city's challenge, to be matched with the practices of other cities."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ccx.cities.models import City
from ccx.practices.models import BudgetBand, Theme
from ccx.search.matching import MAX_TEXT


class FindSolutionsForm(forms.Form):
    """A challenge in the city's own words and a few facts that weigh the matches (see ccx.search.matching).

    The text's limit is matching's own (``MAX_TEXT``), the one ``/api/v1/match`` applies too."""

    text = forms.CharField(
        label=_("Your challenge"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=MAX_TEXT,
        help_text=_("Describe the problem in your own words, in any language"),
    )
    city = forms.ModelChoiceField(
        queryset=City.objects.none(),
        required=False,
        label=_("Your city"),
        help_text=_("To weigh size, region and field"),
    )
    budget_band = forms.ChoiceField(label=_("Budget"), choices=[("", "—"), *BudgetBand.choices], required=False)
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(),
        to_field_name="slug",
        required=False,
        label=_("Themes"),
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.members().select_related("country").order_by("name")  # type: ignore[attr-defined]
