from typing import Any

from django import template
from django.db.models import Q
from django.utils.html import format_html, format_html_join
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
    """The check boxes of one facet's values with their counts. Written with format_html rather than a template
    loop: a library page shows some sixty of them, and the template took a millisecond and a half for them on
    every page that the page cache misses (issue 17)."""
    swatch = parameter == "field"
    return format_html_join(
        "\n",
        '<label class="facet-option"><input type="checkbox" id="facet-{}-{}" name="{}" value="{}"{}>'
        '{}<span>{}</span><span class="count">{}</span></label>',
        (
            (
                parameter,
                option.value,
                parameter,
                option.value,
                mark_safe(" checked") if option.selected else "",
                format_html('<span class="swatch field-{}" aria-hidden="true"></span>', option.value) if swatch else "",
                option.label,
                option.count,
            )
            for option in values
        ),
    )
