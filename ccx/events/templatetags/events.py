from typing import Any

from django import template

from ccx.cities.models import City
from ccx.events.services import city_events

register = template.Library()


@register.inclusion_tag("events/_city_events_list.html")
def events_of_city(city: City) -> dict[str, Any]:
    """The events a city took part in and the declarations or initiatives it signed (for the city's page)."""
    events, signatures = city_events(city.pk)
    return {"city": city, "events": events, "signatures": signatures}
