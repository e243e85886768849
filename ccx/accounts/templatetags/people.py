"""The "people" section of a city page: its focal points and, for the secretariat, invitations."""

from typing import Any

from django import template

from ccx.accounts.forms import InviteForm
from ccx.accounts.models import FocalPointInvitation, User
from ccx.accounts.permissions import is_secretariat
from ccx.cities.models import City

register = template.Library()


@register.inclusion_tag("accounts/_city_people.html", takes_context=True)
def city_people(context: template.Context, city: City) -> dict[str, Any]:
    user = context["user"]
    shown = city.editable_by(user)  # the city's own focal points and the secretariat
    secretariat = is_secretariat(user)
    return {
        "city": city,
        "shown": shown,
        "secretariat": secretariat,
        "focal_points": list(
            User.objects.filter(focal_point_of=city, is_active=True).order_by("first_name", "username")
        )
        if shown
        else [],
        "invitations": list(FocalPointInvitation.objects.open().filter(city=city).select_related("invited_by"))
        if secretariat
        else [],
        "form": InviteForm(auto_id="invite-%s") if secretariat else None,
        "csrf_token": context.get("csrf_token"),
    }
