from typing import Any

from django import template
from django.db.models import Q
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from ccx.cities.models import City
from ccx.practices.browse import FacetValue
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


@register.simple_tag
def facet_options(parameter: str, values: list[FacetValue]) -> SafeString:
    """The check boxes of one facet's values with their counts. Written in Python rather than a template loop:
    a library page shows some sixty of them, and the template took a millisecond and a half for them on every
    page that the page cache misses (issue 17)."""
    name = escape(parameter)
    rows = []
    for option in values:
        value = escape(option.value)
        checked = " checked" if option.selected else ""
        swatch = f'<span class="swatch field-{value}" aria-hidden="true"></span>' if parameter == "field" else ""
        rows.append(
            f'<label class="facet-option"><input type="checkbox" id="facet-{name}-{value}" name="{name}" '
            f'value="{value}"{checked}>{swatch}<span>{escape(option.label)}</span>'
            f'<span class="count">{int(option.count)}</span></label>'
        )
    return mark_safe("\n".join(rows))  # noqa: S308 - every value in it is escaped above
