"""The practice submission form, one Django form per step. Each turns its input into revision-snapshot values."""

from typing import Any

from django import forms
from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from ccx.accounts.permissions import AnyUser, is_secretariat
from ccx.cities.models import City, Country, CreativeField
from ccx.core.i18n import current_language
from ccx.core.validation import phrased
from ccx.core.widgets import SearchableSelectMultiple
from ccx.practices.models import (
    ActorType,
    BudgetBand,
    Licence,
    Practice,
    Stage,
    Technology,
    Theme,
)
from ccx.practices.revisions import plain_value
from ccx.practices.validation import practice_problems
from ccx.sdg.models import Goal, Target


def _city_choices(user: AnyUser, practice: Practice | None) -> "forms.ModelChoiceField[City]":
    cities = City.objects.members().select_related("country")
    if not is_secretariat(user):
        current = [practice.lead_city_id] if practice and practice.lead_city_id else []
        cities = cities.filter(focal_points=user.pk) | cities.filter(pk__in=current)
    return forms.ModelChoiceField(
        queryset=cities.order_by("name"),
        required=False,
        label=_("Lead city"),
        help_text=_("The city that runs the practice"),
    )


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


# The validator's rules, phrased for a person filling in the form.
FORM_MESSAGES: dict[str, Any] = {
    "summary_too_long": _("%(count)s words: shorten the summary to %(limit)s words at most."),
    "not_web_address": _("Not a web address: %(addresses)s"),
}
FORM_FIELDS = {"fields": "creative_fields"}


class StepForm(forms.Form):
    """A step of the practice form: `values()` gives what to save, in the snapshot's terms."""

    step: str = ""
    title_text: Any = ""

    def __init__(self, *args: Any, practice: Practice | None, user: AnyUser, **kwargs: Any) -> None:
        self.practice = practice
        self.user = user
        super().__init__(*args, **kwargs)
        if practice is not None and not self.is_bound:
            self.initial.update(self.initial_from(practice))

    def initial_from(self, practice: Practice) -> dict[str, Any]:
        return {name: getattr(practice, name) for name in self.fields if hasattr(practice, name)}

    def values(self) -> dict[str, Any]:
        return dict(self.cleaned_data)

    def parts_valid(self) -> bool:
        """Whether the step's other parts (formsets) could be read, so that values() can be built."""
        return True

    def full_clean(self) -> None:
        """The practice validator (ccx/practices/validation.py) on what this step would save, its errors shown
        beside the fields they concern."""
        super().full_clean()
        if not self.is_bound or not self.parts_valid():
            return
        try:
            values = self.values()
        except KeyError:  # some fields could not be read: check the others
            values = {name: value for name, value in self.cleaned_data.items() if not isinstance(value, models.Model)}
        errors = phrased(practice_problems(values, practice=self.practice), FORM_MESSAGES)
        for name, items in errors.items():
            field = FORM_FIELDS.get(name, name)
            if field not in self.errors:  # a field that could not be read: its own message says enough
                self.add_error(field if field in self.fields else None, items)


class BasicsForm(StepForm):
    step = "basics"
    title_text = _("The practice")

    title = forms.CharField(label=_("Title"), max_length=250)
    tagline = forms.CharField(
        label=_("Tagline"), max_length=300, required=False, help_text=_("One line that says what it is")
    )
    summary = forms.CharField(
        label=_("Summary"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("At most 150 words"),
    )
    original_language = forms.ChoiceField(
        label=_("Language of these texts"), choices=settings.CONTENT_LANGUAGES, initial=current_language
    )
    lead_city = forms.ModelChoiceField(queryset=City.objects.none(), required=False)
    partner_cities = forms.ModelMultipleChoiceField(
        queryset=City.objects.none(),
        required=False,
        label=_("Partner cities"),
        widget=SearchableSelectMultiple,
    )
    country = forms.ModelChoiceField(
        queryset=Country.objects.order_by("name"),
        required=False,
        label=_("Country"),
        help_text=_("Only when no lead city is named"),
    )
    place_name = forms.CharField(label=_("Place"), max_length=200, required=False)
    creative_fields = forms.ModelMultipleChoiceField(
        queryset=CreativeField.objects.all(),
        required=False,
        label=_("Creative fields"),
        widget=forms.CheckboxSelectMultiple,
    )
    themes = forms.ModelMultipleChoiceField(
        queryset=Theme.objects.all(), required=False, label=_("Themes"), widget=forms.CheckboxSelectMultiple
    )
    technologies = forms.ModelMultipleChoiceField(
        queryset=Technology.objects.all(), required=False, label=_("Technologies"), widget=forms.CheckboxSelectMultiple
    )
    stage = forms.ChoiceField(label=_("Stage"), choices=[("", "—"), *Stage.choices], required=False)
    start_date = forms.DateField(label=_("Start date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    end_date = forms.DateField(label=_("End date"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    crisis_response = forms.CharField(
        label=_("Crisis response"),
        max_length=100,
        required=False,
        help_text=_("For example COVID-19, if it answered a crisis"),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_city"] = _city_choices(self.user, self.practice)
        if self.practice is None and not self.is_bound and not self.initial.get("lead_city"):
            own = list(City.objects.filter(focal_points=self.user.pk).values_list("pk", flat=True)[:2])
            if len(own) == 1:  # the focal point of one city shares a practice of that city
                self.initial["lead_city"] = own[0]
        self.fields["partner_cities"].queryset = City.objects.members().order_by("name")  # type: ignore[attr-defined]
        order = [
            "title",
            "tagline",
            "summary",
            "original_language",
            "lead_city",
            "partner_cities",
            "country",
            "place_name",
        ]
        self.order_fields(order)

    def initial_from(self, practice: Practice) -> dict[str, Any]:
        initial = super().initial_from(practice)
        for name in ("partner_cities", "themes", "technologies"):
            initial[name] = list(getattr(practice, name).values_list("pk", flat=True))
        initial["creative_fields"] = list(practice.fields.values_list("pk", flat=True))
        initial["lead_city"] = practice.lead_city_id
        initial["country"] = practice.country_id
        return initial

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        lead_city = data["lead_city"]
        return {
            "title": data["title"],
            "tagline": data["tagline"],
            "summary": data["summary"],
            "original_language": data["original_language"],
            "lead_city_id": lead_city.pk if lead_city else None,
            "country_id": lead_city.country_id if lead_city else (data["country"].pk if data["country"] else None),
            "place_name": data["place_name"],
            "partner_cities": sorted(city.pk for city in data["partner_cities"]),
            "fields": sorted(f.pk for f in data["creative_fields"]),
            "themes": sorted(t.pk for t in data["themes"]),
            "technologies": sorted(t.pk for t in data["technologies"]),
            "stage": data["stage"],
            "start_date": data["start_date"].isoformat() if data["start_date"] else None,
            "end_date": data["end_date"].isoformat() if data["end_date"] else None,
            "crisis_response": data["crisis_response"],
        }


class StoryForm(StepForm):
    step = "story"
    title_text = _("Story and results")

    description = forms.CharField(
        label=_("Description"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 14}),
        help_text=_("What the city did, how and with whom. Markdown: **bold**, lists with -, links [text](https://…)."),
    )
    results = forms.CharField(label=_("Results"), required=False, widget=forms.Textarea(attrs={"rows": 5}))
    obstacles = forms.CharField(
        label=_("Obstacles and how they were overcome"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    lessons = forms.CharField(label=_("Lessons learned"), required=False, widget=forms.Textarea(attrs={"rows": 5}))


class ActorForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=250, required=False)
    kind = forms.ChoiceField(label=_("Type"), choices=[("", "—"), *ActorType.choices], required=False)
    role = forms.CharField(label=_("Role"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and not data.get("kind"):
            self.add_error("kind", _("Choose the type of this actor."))
        return data


class IndicatorForm(forms.Form):
    name = forms.CharField(label=_("Indicator"), max_length=250, required=False)
    value = forms.DecimalField(label=_("Value"), max_digits=18, decimal_places=4, required=False)
    unit = forms.CharField(label=_("Unit"), max_length=60, required=False)
    baseline = forms.DecimalField(label=_("Baseline"), max_digits=18, decimal_places=4, required=False)
    year = forms.IntegerField(label=_("Year"), min_value=1900, max_value=2100, required=False)
    source = forms.CharField(label=_("Source"), max_length=300, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("name") and data.get("value") is None:
            self.add_error("value", _("Give the measured value."))
        if data.get("value") is not None and not data.get("name"):
            self.add_error("name", _("Say what was measured."))
        return data


ActorFormSet = forms.formset_factory(ActorForm, extra=3, max_num=30)
IndicatorFormSet = forms.formset_factory(IndicatorForm, extra=3, max_num=30)


class PeopleForm(StepForm):
    """Actors and measured results: two formsets under one step."""

    step = "people"
    title_text = _("Actors and measured results")

    def __init__(self, data: Any = None, *, practice: Practice | None, user: AnyUser, **kwargs: Any) -> None:
        super().__init__(data, practice=practice, user=user, **kwargs)
        actors = [{"name": a.name, "kind": a.kind, "role": a.role} for a in practice.actors.all()] if practice else []
        indicators = (
            [
                {n: getattr(i, n) for n in ("name", "value", "unit", "baseline", "year", "source")}
                for i in practice.indicators.all()
            ]
            if practice
            else []
        )
        self.actors = ActorFormSet(data, prefix="actors", initial=actors)
        self.indicators = IndicatorFormSet(data, prefix="indicators", initial=indicators)

    def is_valid(self) -> bool:
        return all([super().is_valid(), self.actors.is_valid(), self.indicators.is_valid()])

    def parts_valid(self) -> bool:
        return self.actors.is_valid() and self.indicators.is_valid()

    def values(self) -> dict[str, Any]:
        actors = [
            {"name": f.cleaned_data["name"], "kind": f.cleaned_data["kind"], "role": f.cleaned_data["role"]}
            for f in self.actors
            if f.cleaned_data.get("name")
        ]
        indicators = [
            {
                "name": f.cleaned_data["name"],
                "value": plain_value(f.cleaned_data["value"]),
                "unit": f.cleaned_data["unit"],
                "baseline": plain_value(f.cleaned_data["baseline"]),
                "year": f.cleaned_data["year"],
                "source": f.cleaned_data["source"],
            }
            for f in self.indicators
            if f.cleaned_data.get("name")
        ]
        return {"actors": actors, "indicators": indicators}


class TransferForm(StepForm):
    step = "transfer"
    title_text = _("Transfer, SDGs and licence")

    transferability = forms.CharField(
        label=_("Conditions for transfer"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("What another city needs for this to work there"),
    )
    budget_band = forms.ChoiceField(label=_("Budget"), choices=[("", "—"), *BudgetBand.choices], required=False)
    staff_needed = forms.CharField(label=_("Staff needed"), max_length=300, required=False)
    skills_needed = forms.CharField(label=_("Skills needed"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    partners_needed = forms.CharField(
        label=_("Partners needed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    resources_needed = forms.CharField(
        label=_("Other resources needed"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    adapted_from = forms.ModelChoiceField(
        queryset=Practice.objects.published().order_by("title"),
        required=False,
        label=_("Adapted from"),
        help_text=_("The practice of another city that this one adapted"),
    )
    sdg_goals = forms.ModelMultipleChoiceField(
        queryset=Goal.objects.all(), required=False, label=_("SDG goals"), widget=forms.CheckboxSelectMultiple
    )
    sdg_targets = forms.ModelMultipleChoiceField(
        queryset=Target.objects.all(),
        required=False,
        label=_("SDG targets"),
        widget=SearchableSelectMultiple,
    )
    links = forms.CharField(
        label=_("Links"), required=False, widget=forms.Textarea(attrs={"rows": 3}), help_text=_("One address per line")
    )
    video_links = forms.CharField(
        label=_("Video links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("One address per line"),
    )
    licence = forms.ChoiceField(label=_("Licence"), choices=Licence.choices)
    contact_name = forms.CharField(label=_("Contact name"), max_length=200, required=False)
    contact_email = forms.EmailField(
        label=_("Contact e-mail"), required=False, help_text=_("Shown to signed-in members of the network only")
    )

    def initial_from(self, practice: Practice) -> dict[str, Any]:
        initial = super().initial_from(practice)
        initial["adapted_from"] = practice.adapted_from_id
        initial["sdg_goals"] = list(practice.sdg_goals.values_list("pk", flat=True))
        initial["sdg_targets"] = list(practice.sdg_targets.values_list("pk", flat=True))
        initial["links"] = "\n".join(practice.links)
        initial["video_links"] = "\n".join(practice.video_links)
        return initial

    def clean_links(self) -> list[str]:
        return _lines(self.cleaned_data["links"])

    def clean_video_links(self) -> list[str]:
        return _lines(self.cleaned_data["video_links"])

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        values = {
            name: data[name]
            for name in (
                "transferability",
                "budget_band",
                "staff_needed",
                "skills_needed",
                "partners_needed",
                "resources_needed",
                "links",
                "video_links",
                "licence",
                "contact_name",
                "contact_email",
            )
        }
        values["adapted_from_id"] = data["adapted_from"].pk if data["adapted_from"] else None
        values["sdg_goals"] = sorted(goal.pk for goal in data["sdg_goals"])
        values["sdg_targets"] = sorted(target.pk for target in data["sdg_targets"])
        return values


class TranslationsForm(StepForm):
    """Title, tagline, summary and description in the other interface languages."""

    step = "translations"
    title_text = _("Other languages")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        original = self.practice.original_language if self.practice else "en"
        self.languages = [(code, name) for code, name in settings.LANGUAGES if code != original]
        existing = {t.language: t for t in self.practice.translations.all()} if self.practice else {}
        for code, name in self.languages:
            for part, label, widget in (
                ("title", _("Title"), forms.TextInput(attrs={"lang": code})),
                ("tagline", _("Tagline"), forms.TextInput(attrs={"lang": code})),
                ("summary", _("Summary"), forms.Textarea(attrs={"rows": 4, "lang": code})),
                ("description", _("Description"), forms.Textarea(attrs={"rows": 8, "lang": code})),
            ):
                field_name = f"{part}_{code}"
                self.fields[field_name] = forms.CharField(label=f"{label} ({name})", required=False, widget=widget)
                if code in existing and not self.is_bound:
                    self.initial[field_name] = getattr(existing[code], part)

    def initial_from(self, practice: Practice) -> dict[str, Any]:
        return {}

    def values(self) -> dict[str, Any]:
        translations = []
        for code, _name in self.languages:
            texts = {
                part: self.cleaned_data[f"{part}_{code}"].strip()
                for part in ("title", "tagline", "summary", "description")
            }
            if any(texts.values()):
                translations.append({"language": code, **texts})
        kept = [
            {
                "language": t.language,
                "title": t.title,
                "tagline": t.tagline,
                "summary": t.summary,
                "description": t.description,
            }
            for t in (self.practice.translations.all() if self.practice else [])
            if t.language not in dict(self.languages)
        ]
        return {"translations": sorted(translations + kept, key=lambda t: t["language"])}


class ImageForm(forms.Form):
    image = forms.FileField(label=_("Image"), help_text=_("JPEG, PNG, WebP or GIF"))
    alt_text = forms.CharField(
        label=_("Text alternative"), max_length=300, help_text=_("What the image shows, for people who cannot see it")
    )
    caption = forms.CharField(label=_("Caption"), max_length=300, required=False)
    credit = forms.CharField(label=_("Credit"), max_length=200, required=False)


STEPS: list[type[StepForm]] = [BasicsForm, StoryForm, PeopleForm, TransferForm, TranslationsForm]
STEP_NAMES = [form.step for form in STEPS]
