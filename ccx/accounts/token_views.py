"""The account page's API tokens: create one (its secret shown once, on that page only), list, revoke."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ccx.accounts.models import ApiToken, TokenScope, User
from ccx.accounts.tokens import TokenError, active_tokens, create_token, revoke_token

EXPIRY_CHOICES = [
    ("30", gettext_lazy("30 days")),
    ("90", gettext_lazy("90 days")),
    ("365", gettext_lazy("One year")),
    ("", gettext_lazy("Never")),
]


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"), max_length=100, help_text=gettext_lazy("What the token is for, e.g. a script")
    )
    scope = forms.ChoiceField(label=gettext_lazy("Scope"), choices=TokenScope.choices, initial=TokenScope.READ)
    days = forms.ChoiceField(label=gettext_lazy("Expires after"), choices=EXPIRY_CHOICES, initial="90", required=False)


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)
    return request.user


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST or None)
    created = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            created = create_token(user, data["name"], data["scope"], int(data["days"]) if data["days"] else None)
        except TokenError as error:
            form.add_error(None, str(error))
        else:
            form = TokenForm()
    context = {"form": form, "created": created, "tokens": active_tokens(user)}
    response = render(request, "accounts/tokens.html", context)
    response["Cache-Control"] = "no-store"  # the page may hold a secret shown once
    return response


@login_required
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(ApiToken, pk=pk, user=_user(request))
    revoke_token(token)
    messages.success(request, _("The token “%(name)s” is revoked: it no longer works.") % {"name": token.name})
    return redirect("accounts:tokens")
