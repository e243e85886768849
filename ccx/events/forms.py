"""Forms for organisers (event, sessions, speakers, outcomes) and participants (registration, signing)."""

import zoneinfo
from datetime import datetime
from functools import cache
from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext_lazy as _

from ccx.accounts.models import Organisation, User
from ccx.challenges.models import Challenge
from ccx.cities.models import City
from ccx.core.i18n import current_language
from ccx.core.validation import apply_to_form
from ccx.core.widgets import SearchableSelectMultiple
from ccx.events.models import Event, OrganisationRole, Outcome, Session, SessionKind, Speaker
from ccx.events.validation import event_problems, session_problems
from ccx.partnerships.models import Partnership
from ccx.practices.models import Practice

# A session's own values (its links to speakers, practices and the like aside).
SESSION_VALUES = ("title", "kind", "room", "description", "is_online", "join_url", "recording_url", "slides_url")
SESSION_VALUES_AT = (*SESSION_VALUES, "starts_at", "ends_at")


@cache
def time_zone_choices() -> list[tuple[str, str]]:
    return [(name, name) for name in sorted(zoneinfo.available_timezones()) if "/" in name or name == "UTC"]


class EventForm(forms.ModelForm[Event]):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=time_zone_choices)
    organiser = forms.ModelMultipleChoiceField(
        Organisation.objects.all(),
        label=_("Organisers"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    host = forms.ModelMultipleChoiceField(
        Organisation.objects.all(), label=_("Hosts"), required=False, widget=forms.SelectMultiple(attrs={"size": 6})
    )
    implementer = forms.ModelMultipleChoiceField(
        Organisation.objects.all(),
        label=_("Implemented by"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    organiser_usernames = forms.CharField(
        label=_("Organiser accounts"),
        required=False,
        help_text=_("User names of the people who edit the programme and see the participants, separated by commas"),
    )

    class Meta:
        model = Event
        fields = [
            "title", "kind", "theme", "concept_note", "original_language", "starts_on", "ends_on", "time_zone",
            "in_person", "online", "venue_name", "venue_address", "latitude", "longitude", "host_city", "cities",
            "audience", "is_published", "registration_open", "capacity_in_person", "capacity_online",
            "requires_approval", "programme_note", "report", "source_url",
        ]  # fmt: skip
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "ends_on": forms.DateInput(attrs={"type": "date"}),
            "original_language": forms.Select(choices=settings.CONTENT_LANGUAGES),
            "concept_note": forms.Textarea(attrs={"rows": 8}),
            "report": forms.Textarea(attrs={"rows": 5}),
            "programme_note": forms.Textarea(attrs={"rows": 2}),
            "cities": SearchableSelectMultiple,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = City.objects.members().order_by("name")
        self.fields["cities"].queryset = members  # type: ignore[attr-defined]
        self.fields["host_city"].queryset = members  # type: ignore[attr-defined]
        if not self.instance.pk:
            self.initial.setdefault("original_language", current_language())  # the model's default is English
        if self.instance.pk:
            for role in OrganisationRole.values:
                self.initial[role] = [
                    link.organisation_id for link in self.instance.organisations.all() if link.role == role
                ]
            self.initial["organiser_usernames"] = ", ".join(
                self.instance.organiser_users.order_by("username").values_list("username", flat=True)
            )

    def clean_organiser_usernames(self) -> list[User]:
        names = [name.strip() for name in self.cleaned_data["organiser_usernames"].split(",") if name.strip()]
        found = {user.username: user for user in User.objects.filter(username__in=names, is_active=True)}
        missing = [name for name in names if name not in found]
        if missing:
            raise forms.ValidationError(_("No account named: %(names)s") % {"names": ", ".join(missing)})
        return list(found.values())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        apply_to_form(self, event_problems({name: data[name] for name in self.Meta.fields if name in data}))
        return data

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        values = {name: data[name] for name in self.Meta.fields}
        values["organiser_users"] = data["organiser_usernames"]
        for role in OrganisationRole.values:
            values[role] = list(data[role])
        return values


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=300)
    kind = forms.ChoiceField(label=_("Type"), choices=SessionKind.choices)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    start = forms.TimeField(label=_("Starts"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Ends"), widget=forms.TimeInput(attrs={"type": "time"}))
    room = forms.CharField(label=_("Room or stream"), max_length=200, required=False)
    description = forms.CharField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    is_online = forms.BooleanField(label=_("Held or streamed online"), required=False)
    join_url = forms.URLField(
        label=_("Join link"), required=False, help_text=_("Shown only to registered participants")
    )
    chairs = forms.ModelMultipleChoiceField(
        Speaker.objects.none(), label=_("Chairs and moderators"), required=False, widget=forms.CheckboxSelectMultiple
    )
    speakers = forms.ModelMultipleChoiceField(
        Speaker.objects.none(), label=_("Speakers"), required=False, widget=forms.CheckboxSelectMultiple
    )
    practices = forms.ModelMultipleChoiceField(
        Practice.objects.none(),
        label=_("Good practices presented"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    challenges = forms.ModelMultipleChoiceField(
        Challenge.objects.none(),
        label=_("Challenges (case clinics)"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    partnerships = forms.ModelMultipleChoiceField(
        Partnership.objects.none(),
        label=_("Partnerships"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
    )
    recording_url = forms.URLField(label=_("Recording"), required=False)
    slides_url = forms.URLField(label=_("Slides"), required=False)

    def __init__(self, *args: Any, event: Event, session: Session | None = None, **kwargs: Any) -> None:
        self.event = event
        if session is not None and "initial" not in kwargs:
            kwargs["initial"] = self.initial_for(session)
        super().__init__(*args, **kwargs)
        speakers = event.speakers.order_by("name")
        self.fields["chairs"].queryset = speakers  # type: ignore[attr-defined]
        self.fields["speakers"].queryset = speakers  # type: ignore[attr-defined]
        self.fields["practices"].queryset = Practice.objects.published().order_by("title").only("title")  # type: ignore[attr-defined]
        # Organisers are members, who see network challenges (the programme then shows each visitor only what
        # they may see). Partnerships: only those everyone may see, as an organiser need not be a party.
        everyone = AnonymousUser()
        self.fields["challenges"].queryset = Challenge.objects.order_by("title").only("title")  # type: ignore[attr-defined]
        self.fields["partnerships"].queryset = Partnership.objects.visible_to(everyone).order_by("title").only("title")  # type: ignore[attr-defined]
        self.fields["day"].help_text = _("Times are in the event's time zone (%(zone)s)") % {"zone": event.time_zone}

    @staticmethod
    def initial_for(session: Session) -> dict[str, Any]:
        zone = session.event.zone
        start, end = session.starts_at.astimezone(zone), session.ends_at.astimezone(zone)
        appearances = list(session.appearances.all())
        return {
            "title": session.title,
            "kind": session.kind,
            "day": start.date(),
            "start": start.time(),
            "end": end.time(),
            "room": session.room,
            "description": session.description,
            "is_online": session.is_online,
            "join_url": session.join_url,
            "chairs": [a.speaker_id for a in appearances if a.role == "chair"],
            "speakers": [a.speaker_id for a in appearances if a.role == "speaker"],
            "practices": list(session.practices.values_list("pk", flat=True)),
            "challenges": list(session.challenges.values_list("pk", flat=True)),
            "partnerships": list(session.partnerships.values_list("pk", flat=True)),
            "recording_url": session.recording_url,
            "slides_url": session.slides_url,
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("day") and data.get("start") and data.get("end"):
            zone = self.event.zone
            data["starts_at"] = datetime.combine(data["day"], data["start"], tzinfo=zone)
            data["ends_at"] = datetime.combine(data["day"], data["end"], tzinfo=zone)
        values = {name: data[name] for name in SESSION_VALUES_AT if name in data}
        apply_to_form(self, session_problems(values, event=self.event))
        return data

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        links = {name: list(data[name]) for name in ("practices", "challenges", "partnerships")}
        return {**{name: data[name] for name in SESSION_VALUES_AT}, **links}


class SpeakerForm(forms.ModelForm[Speaker]):
    class Meta:
        model = Speaker
        fields = ["name", "position", "city", "organisation", "bio", "photo"]
        widgets = {"bio": forms.Textarea(attrs={"rows": 5})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.members().order_by("name")  # type: ignore[attr-defined]

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class OutcomeForm(forms.ModelForm[Outcome]):
    class Meta:
        model = Outcome
        fields = ["kind", "title", "summary", "url", "open_for_signature"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 4})}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class RegistrationForm(forms.Form):
    mode = forms.ChoiceField(label=_("How do you attend?"), widget=forms.RadioSelect)

    def __init__(self, *args: Any, event: Event, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [(mode.value, mode.label) for mode in event.modes()]
        self.fields["mode"].choices = choices  # type: ignore[attr-defined]
        if len(choices) == 1:
            self.initial["mode"] = choices[0][0]


class SignForm(forms.Form):
    city = forms.ModelChoiceField(City.objects.none(), label=_("Sign for"))

    def __init__(self, *args: Any, cities: list[City], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["city"].queryset = City.objects.filter(pk__in=[c.pk for c in cities])  # type: ignore[attr-defined]
