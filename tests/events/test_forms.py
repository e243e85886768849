from ccx.events.forms import SessionForm
from tests.conftest import Personas
from tests.events.factories import make_event
from tests.partnerships.factories import agreed, proposed


def test_the_session_form_lists_only_public_partnerships(personas: Personas) -> None:
    """An organiser who is not a party must not read the titles of confidential proposals."""
    proposed(personas.focal_a_user, personas.city_a, personas.city_b, title="Confidential proposal")
    agreed(personas.focal_a_user, personas.city_a, personas.focal_b_user, personas.city_b, title="Agreed exchange")
    form = SessionForm(event=make_event())
    assert [p.title for p in form.fields["partnerships"].queryset] == ["Agreed exchange"]  # type: ignore[attr-defined]
