"""The practices' template tags."""

from ccx.practices.browse import FacetValue
from ccx.practices.templatetags.practices import facet_options


def test_facet_options_escape_every_value_and_mark_the_chosen_ones() -> None:
    html = facet_options(
        "theme",
        [
            FacetValue("heritage", "Heritage & <b>culture</b>", 3, True),
            FacetValue('x"><script>', "Other", 0, False),
        ],
    )
    assert html == (
        '<label class="facet-option"><input type="checkbox" id="facet-theme-heritage" name="theme" '
        'value="heritage" checked><span>Heritage &amp; &lt;b&gt;culture&lt;/b&gt;</span>'
        '<span class="count">3</span></label>\n'
        '<label class="facet-option"><input type="checkbox" id="facet-theme-x&quot;&gt;&lt;script&gt;" '
        'name="theme" value="x&quot;&gt;&lt;script&gt;"><span>Other</span><span class="count">0</span></label>'
    )


def test_the_field_facet_shows_each_field_colour() -> None:
    html = facet_options("field", [FacetValue("design", "Design", 2, False)])
    assert '<span class="swatch field-design" aria-hidden="true"></span><span>Design</span>' in html
