from typing import Any

from django import template
from django.contrib.auth.models import AnonymousUser

from ccx.challenges.browse import challenges_of_city
from ccx.cities.models import City

register = template.Library()


@register.inclusion_tag("challenges/_city_challenges.html", takes_context=True)
def city_challenges(context: template.Context, city: City) -> dict[str, Any]:
    """The city's open challenges and clinics, on its profile page."""
    request = context.get("request")
    user = getattr(request, "user", None) or AnonymousUser()
    return {**challenges_of_city(user, city), "request": request, "LANGUAGE_CODE": context.get("LANGUAGE_CODE")}
