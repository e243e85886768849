from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ccx.cities.models import City


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    cities = City.objects.filter(focal_points=request.user.pk).select_related("country", "field")
    return render(request, "accounts/dashboard.html", {"cities": cities})
