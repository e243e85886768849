from django import forms
from django.utils.translation import gettext_lazy as _


class InviteForm(forms.Form):
    """The secretariat invites a city's focal point (on the city page and the invitations page)."""

    email = forms.EmailField(label=_("E-mail address"))
    name = forms.CharField(label=_("Name"), max_length=150, required=False, help_text=_("As it should appear"))
