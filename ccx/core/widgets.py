"""Form widgets shared by the apps."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SearchableSelectMultiple(forms.SelectMultiple):
    """A real `<select multiple>` that static/ccx/js/combobox.js turns into a searchable list with removable
    choices; without JavaScript it stays an ordinary list. The texts the script shows travel as attributes."""

    def __init__(self, attrs: dict[str, Any] | None = None, choices: Any = ()) -> None:
        texts = {
            "data-combobox": "",
            "data-placeholder": _("Type to search"),
            "data-remove-label": _("Remove"),
            "data-added-label": pgettext_lazy("a choice in a list", "added"),
            "data-removed-label": pgettext_lazy("a choice in a list", "removed"),
            "data-more-label": _("%s more: type to narrow"),
            "data-none-label": _("No match"),
            "data-chosen-label": _("Chosen"),
            "size": 8,
        }
        super().__init__({**texts, **(attrs or {})}, choices)
