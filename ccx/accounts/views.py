from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from ccx.accounts.models import Notification
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
