from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import EmailDelivery, Notification, NotificationKind, NotificationSetting, User
from ccx.cities.models import City


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
