"""Forms of the challenge pages. Each turns its input into the values the domain functions take."""

from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.challenges.models import Challenge, ResponseKind, Visibility
from ccx.challenges.services import MAX_MONTHS, obstacles_from_lines
from ccx.cities.models import City
from ccx.core.i18n import current_language
from ccx.practices.models import BudgetBand, Practice, Theme
from ccx.sdg.models import Goal


def apply_errors(form: forms.Form, error: ValidationError) -> None:
    """Show a domain function's ValidationError on the form: on its fields when it names them."""
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            form.add_error(name if name in form.fields else None, messages)
    else:
        form.add_error(None, error.messages)


def _goal_label(goal: Goal) -> str:
    return f"{goal.number}. {goal.short_title().text}"


class ChallengeForm(forms.Form):
    city = forms.ModelChoiceField(queryset=City.objects.none(), label=_("City"), empty_label=None)
    title = forms.CharField(label=_("Title"), max_length=250)
    statement = forms.CharField(
        label=_("Problem statement"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What is the problem, for whom, and why now? “Our challenge is that …”"),
    )
    context = forms.CharField(
        label=_("Context"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The history of the problem, who is involved, what was tried."),
    )
    obstacles = forms.CharField(
        label=_("Obstacles met so far"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line."),
    )
    goals = forms.CharField(
        label=_("Goals"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("What would success be?"),
    )
    budget_band = forms.ChoiceField(
        label=_("Budget"), required=False, choices=[("", _("Not decided")), *BudgetBand.choices]
    )
    time_frame_months = forms.IntegerField(
        label=_("Time frame (months)"), required=False, min_value=1, max_value=MAX_MONTHS
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), label=_("Themes"), required=False, widget=forms.CheckboxSelectMultiple
    )
    sdg_goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.all(),
        label=_("Sustainable Development Goals"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    language = forms.ChoiceField(
        label=_("Language of these texts"), choices=settings.CONTENT_LANGUAGES, initial=current_language
    )
    visibility = forms.ChoiceField(
        label=_("Visible to"), choices=Visibility.choices, widget=forms.RadioSelect, initial=Visibility.NETWORK
    )

    def __init__(self, *args: Any, user: AnyUser, challenge: Challenge | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cities = City.objects.select_related("country").order_by("name")
        city_field: forms.ModelChoiceField[City] = self.fields["city"]  # type: ignore[assignment]
        if is_secretariat(user):
            city_field.queryset = cities.filter(is_member=True)
        else:
            city_field.queryset = cities.filter(focal_points=user.pk)
        if challenge is not None and challenge.city_id and not is_secretariat(user):
            city_field.queryset = city_field.queryset | cities.filter(pk=challenge.city_id)
        goal_field: forms.ModelMultipleChoiceField[Goal] = self.fields["sdg_goals"]  # type: ignore[assignment]
        goal_field.label_from_instance = _goal_label  # type: ignore[method-assign,assignment]
        if challenge is not None and not self.is_bound:
            self.initial.update(
                {
                    "city": challenge.city,
                    "title": challenge.title,
                    "statement": challenge.statement,
                    "context": challenge.context,
                    "obstacles": "\n".join(challenge.obstacles),
                    "goals": challenge.goals,
                    "budget_band": challenge.budget_band,
                    "time_frame_months": challenge.time_frame_months,
                    "themes": list(challenge.themes.all()),
                    "sdg_goals": list(challenge.sdg_goals.all()),
                    "language": challenge.language,
                    "visibility": challenge.visibility,
                }
            )
        elif not self.is_bound and not self.initial.get("city") and not is_secretariat(user):
            self.initial["city"] = city_field.queryset.first()

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["obstacles"] = obstacles_from_lines(data.get("obstacles") or "")
        data["themes"] = [theme.pk for theme in data.get("themes") or []]
        data["sdg_goals"] = [goal.pk for goal in data.get("sdg_goals") or []]
        return data


class ResponseForm(forms.Form):
    kind = forms.ChoiceField(label=_("What you share"), choices=ResponseKind.choices, widget=forms.RadioSelect)
    text = forms.CharField(label=_("Your response"), widget=forms.Textarea(attrs={"rows": 4}))
    practice = forms.ModelChoiceField(
        queryset=Practice.objects.published(),
        to_field_name="slug",
        required=False,
        label=_("The practice you offer"),
        error_messages={"invalid_choice": _("Choose a published practice of the library.")},
    )
    city = forms.ModelChoiceField(queryset=City.objects.none(), required=False, label=_("You respond for"))

    def __init__(self, *args: Any, city_ids: list[int] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        city_field: forms.ModelChoiceField[City] = self.fields["city"]  # type: ignore[assignment]
        city_field.queryset = City.objects.filter(pk__in=city_ids or []).order_by("name")


class ConclusionForm(forms.Form):
    conclusion_obstacles = forms.CharField(
        label=_("The key obstacles"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the clinic showed to be in the way."),
    )
    conclusion_ideas = forms.CharField(
        label=_("The ideas to try"),
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the city will try next."),
    )


class InviteForm(forms.Form):
    city = forms.ModelChoiceField(
        queryset=City.objects.members(),
        to_field_name="slug",
        label=_("City"),
        error_messages={"invalid_choice": _("Unknown member city.")},
    )
