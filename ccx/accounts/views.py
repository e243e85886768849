from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    cities = user.focal_point_of.select_related("country", "field") if hasattr(user, "focal_point_of") else []
    return render(request, "accounts/dashboard.html", {"cities": cities})
