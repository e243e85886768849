from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from ccx.accounts.forms import InviteForm
from ccx.accounts.invitations import accept_invitation, invitation_for, invite_focal_point, revoke_invitation
from ccx.accounts.models import (
    EmailDelivery,
    FocalPointInvitation,
    Notification,
    NotificationKind,
    NotificationSetting,
    User,
)
from ccx.accounts.permissions import is_secretariat
from ccx.cities.models import City
from ccx.core.decorators import role_required


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    cities = City.objects.filter(focal_points=request.user.pk).select_related("country", "field")
    notifications = list(Notification.objects.filter(user=request.user.pk)[:15])
    unread = [n.pk for n in notifications if n.read_at is None]
    context = {"cities": cities, "notifications": notifications, "unread": set(unread)}
    response = render(request, "accounts/dashboard.html", context)
    Notification.objects.filter(pk__in=unread).update(read_at=timezone.now())
    return response


class NotificationSettingsForm(forms.Form):
    """One choice per kind of notification: e-mail at once, in the daily digest, or not at all."""

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        current = dict(NotificationSetting.objects.filter(user=user).values_list("kind", "email"))
        for kind in NotificationKind:
            self.fields[kind.value] = forms.ChoiceField(
                label=kind.label,
                choices=EmailDelivery.choices,
                initial=current.get(kind.value, EmailDelivery.IMMEDIATELY),
                widget=forms.RadioSelect,
            )


@login_required
def notification_settings(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    form = NotificationSettingsForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            for kind, email in form.cleaned_data.items():
                NotificationSetting.objects.update_or_create(user=user, kind=kind, defaults={"email": email})
        messages.success(request, _("Your notification settings are saved."))
        return redirect("accounts:notifications")
    notifications = Notification.objects.filter(user=user)[:50]
    return render(request, "accounts/notifications.html", {"form": form, "notifications": notifications})


# == Focal point invitations (the city page's "people" section, and the link the invitee follows) ==


class AcceptInvitationForm(forms.Form):
    username = forms.CharField(label=_("User name"), max_length=150, help_text=_("To sign in; letters and digits"))
    password1 = forms.CharField(label=_("Password"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(
        label=_("Password again"), widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args: Any, needs_username: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not needs_username:
            del self.fields["username"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", _("The two passwords differ."))
        return data


def _apply_errors(form: forms.Form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
    else:
        form.add_error(None, error.messages)


@role_required(is_secretariat)
@require_http_methods(["GET", "POST"])
def invite(request: HttpRequest, slug: str) -> HttpResponse:
    city = get_object_or_404(City, slug=slug)
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            invited = invite_focal_point(city, form.cleaned_data["email"], request.user, form.cleaned_data["name"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(
                request,
                _("An invitation was sent to %(email)s. If it does not arrive, give them this link: %(link)s")
                % {"email": invited.invitation.email, "link": invited.link},
            )
            return redirect(f"{city.get_absolute_url()}#people")
    return render(request, "accounts/invite.html", {"city": city, "form": form})


@role_required(is_secretariat)
@require_POST
def revoke(request: HttpRequest, pk: int) -> HttpResponse:
    invitation = get_object_or_404(FocalPointInvitation.objects.select_related("city"), pk=pk)
    revoke_invitation(invitation, request.user)
    messages.success(request, _("The invitation to %(email)s was revoked.") % {"email": invitation.email})
    return redirect(f"{invitation.city.get_absolute_url()}#people")


@require_http_methods(["GET", "POST"])
def accept(request: HttpRequest, token: str) -> HttpResponse:
    invitation = invitation_for(token)
    if invitation is None:
        return render(request, "accounts/invitation_invalid.html", status=410)
    existing = User.objects.filter(email__iexact=invitation.email).first()
    form = AcceptInvitationForm(request.POST or None, needs_username=existing is None)
    if request.method == "POST" and form.is_valid():
        try:
            user = accept_invitation(token, form.cleaned_data.get("username", ""), form.cleaned_data["password1"])
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            login(request, user, backend="ccx.accounts.backends.UsernameOrEmailBackend")
            messages.success(
                request,
                _("Welcome! You are now the focal point of %(city)s. Start with its profile.")
                % {"city": invitation.city.name},
            )
            return redirect("cities:edit", invitation.city.slug)
    return render(
        request, "accounts/accept_invitation.html", {"invitation": invitation, "form": form, "existing": existing}
    )
