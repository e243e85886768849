from typing import Any

from django import template
from django.db.models import Q

from ccx.cities.models import City
from ccx.practices.models import Practice

register = template.Library()


@register.inclusion_tag("practices/_city_practices.html", takes_context=True)
def city_practices(context: template.Context, city: City, limit: int = 6) -> dict[str, Any]:
    """The published practices a city leads or takes part in, on its profile page (cities sit below practices)."""
    published = Practice.objects.published().filter(Q(lead_city=city) | Q(partner_cities=city)).distinct()
    return {
        "city": city,
        "practices": published.for_listing()[:limit],
        "practice_count": published.count(),
        "LANGUAGE_CODE": context.get("LANGUAGE_CODE"),
    }
