from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import Model, QuerySet
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_stubs_ext import StrOrPromise

from ccx.accounts.models import Organisation, User
from ccx.challenges.models import Challenge
from ccx.cities.models import City
from ccx.core.validation import apply_to_form
from ccx.core.widgets import SearchableSelectMultiple
from ccx.partnerships.documents import DocumentRefused, document_type
from ccx.partnerships.models import Framework, Partnership, PartnershipKind, Transfer, TransferStatus
from ccx.partnerships.transfers import TransferDetails, may_name_as_adapted
from ccx.partnerships.twinnings import Document
from ccx.partnerships.validation import terms_problems, transfer_problems
from ccx.partnerships.workflow import Terms
from ccx.practices.models import Practice

Linked = Practice | Challenge
TERMS_FIELDS = (
    "title", "kind", "goals", "description", "framework", "framework_other", "start_date", "end_date", "milestones",
    "start_year", "end_year",
)  # fmt: skip
TRANSFER_TEXTS = ("what_adapted", "status", "results", "lessons")
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _identifier(line: str) -> str:
    """A practice or challenge named by its address on the site or by its identifier."""
    text = line.strip().rstrip("/")
    if "/" not in text:
        return text
    path = "/" + text.split("://", 1)[-1].split("/", 1)[-1]
    try:
        match = resolve(path + "/")
    except Resolver404:
        return text.rsplit("/", 1)[-1]
    return str(match.kwargs.get("slug", text.rsplit("/", 1)[-1]))


class LinkedRecordsField(forms.ModelMultipleChoiceField):  # type: ignore[type-arg]
    """Records linked to a partnership, picked from a searchable list of those the person may see. Scripts and
    browsers without JavaScript may also send addresses on this site or identifiers, one per line; whatever
    is not found among the records offered is named in the error."""

    widget = SearchableSelectMultiple

    def __init__(
        self, queryset: QuerySet[Practice] | QuerySet[Challenge], *, unknown_message: "StrOrPromise", **kwargs: Any
    ) -> None:
        super().__init__(queryset, to_field_name="slug", required=False, **kwargs)
        self.unknown_message = unknown_message

    def label_from_instance(self, obj: Model) -> str:
        city = getattr(obj, "lead_city", None) or getattr(obj, "city", None)
        place = city.name if city is not None else getattr(obj, "place_name", "")
        return f"{obj} ({place})" if place else str(obj)

    def clean(self, value: Any) -> list[Linked]:  # type: ignore[override]
        lines = [line for item in (value or []) for line in str(item).splitlines() if line.strip()]
        slugs = list(dict.fromkeys(_identifier(line) for line in lines))
        assert self.queryset is not None  # set by the form for the person
        found = {record.slug: record for record in self.queryset.filter(slug__in=slugs)}
        unknown = [slug for slug in slugs if slug not in found]
        if unknown:
            raise ValidationError(self.unknown_message % {"items": ", ".join(unknown)}, code="invalid_choice")
        return [found[slug] for slug in slugs]


def parse_milestones(text: str) -> list[tuple[date, str]]:
    """One milestone per line: a date (YYYY-MM-DD), a space, then what is due."""
    milestones = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        day, _space, title = line.strip().partition(" ")
        try:
            due_on = date.fromisoformat(day)
        except ValueError as error:
            raise ValidationError(
                _("Line %(number)s: start with a date like 2027-03-31, then the milestone.") % {"number": number}
            ) from error
        if not title.strip():
            raise ValidationError(_("Line %(number)s: say what is due on %(day)s.") % {"number": number, "day": day})
        milestones.append((due_on, title.strip()))
    return milestones


class ValidatedTerms(forms.Form):
    """A form whose values the terms validator checks (partnerships/validation.py), showing its errors by field."""

    required_texts: tuple[str, ...] = ()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        values = {name: data[name] for name in TERMS_FIELDS if name in self.fields and name in data}
        apply_to_form(self, terms_problems(values, required=self.required_texts))
        return data


class TermsForm(ValidatedTerms):
    required_texts = ("title", "goals")
    title = forms.CharField(label=gettext_lazy("Title"), max_length=250)
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=PartnershipKind.choices)
    framework = forms.ModelChoiceField(
        label=gettext_lazy("Cooperation framework"),
        queryset=Framework.objects.all(),
        required=False,
        empty_label=gettext_lazy("None, or another (below)"),
    )
    framework_other = forms.CharField(label=gettext_lazy("Other framework"), max_length=200, required=False)
    goals = forms.CharField(label=gettext_lazy("Goals"), widget=forms.Textarea(attrs={"rows": 4}))
    description = forms.CharField(
        label=gettext_lazy("Description"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )
    start_date = forms.DateField(label=gettext_lazy("Start date"), required=False, widget=DATE_INPUT)
    end_date = forms.DateField(label=gettext_lazy("End date"), required=False, widget=DATE_INPUT)
    milestones = forms.CharField(
        label=gettext_lazy("Milestones"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("One per line: a date, then what is due, e.g. 2027-03-31 Study visit to the partner"),
    )
    practices = LinkedRecordsField(
        Practice.objects.none(),
        label=gettext_lazy("Linked practices"),
        help_text=gettext_lazy("Good practices this partnership builds on"),
        unknown_message=gettext_lazy("No published practice found for: %(items)s"),
    )
    challenges = LinkedRecordsField(
        Challenge.objects.none(),
        label=gettext_lazy("Linked challenges"),
        help_text=gettext_lazy("Challenges this partnership answers"),
        unknown_message=gettext_lazy("No challenge found for: %(items)s"),
    )

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user = user
        # Offered: what the person may see, the same rule as everywhere a record is listed or linked.
        self.fields["practices"].queryset = (  # type: ignore[attr-defined]
            Practice.objects.published().visible_to(user).select_related("lead_city").order_by("title")
        )
        self.fields["challenges"].queryset = (  # type: ignore[attr-defined]
            Challenge.objects.visible_to(user).select_related("city").order_by("title")
        )

    def clean_milestones(self) -> list[tuple[date, str]]:
        return parse_milestones(self.cleaned_data["milestones"])

    def terms(self) -> Terms:
        data = self.cleaned_data
        return Terms(
            title=data["title"],
            kind=data["kind"],
            goals=data["goals"],
            description=data["description"],
            framework=data["framework"],
            framework_other=data["framework_other"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            milestones=data["milestones"],
            practices=data["practices"],
            challenges=data["challenges"],
        )

    @classmethod
    def initial_from(cls, partnership: Partnership) -> dict[str, object]:
        return {
            "title": partnership.title,
            "kind": partnership.kind,
            "framework": partnership.framework_id,
            "framework_other": partnership.framework_other,
            "goals": partnership.goals,
            "description": partnership.description,
            "start_date": partnership.start_date,
            "end_date": partnership.end_date,
            "milestones": "\n".join(f"{m.due_on.isoformat()} {m.title}" for m in partnership.milestones.all()),
            "practices": [p.slug for p in partnership.practices.all()],
            "challenges": [c.slug for c in partnership.challenges.all()],
        }


class ProposalForm(TermsForm):
    """New terms plus who the parties are; the proposer is one of the person's own cities or organisation."""

    proposer = forms.ChoiceField(label=gettext_lazy("On behalf of"))
    cities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partner cities"),
        queryset=City.objects.members().select_related("country").order_by("name"),
        required=False,
        widget=SearchableSelectMultiple,
        help_text=gettext_lazy("Member cities"),
    )
    organisations = forms.ModelMultipleChoiceField(
        label=gettext_lazy("Partner organisations"),
        queryset=Organisation.objects.order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 5}),
        help_text=gettext_lazy(
            "International organisations, business associations, enterprises, universities, civil society"
        ),
    )

    field_order = ["proposer", "cities", "organisations"]

    def __init__(self, *args: object, user: User, **kwargs: object) -> None:
        super().__init__(*args, user=user, **kwargs)
        choices = [(f"city:{city.pk}", city.name) for city in user.focal_point_of.order_by("name")]
        if user.organisation is not None:
            choices.append((f"organisation:{user.organisation.pk}", user.organisation.name))
        self.fields["proposer"].choices = choices  # type: ignore[attr-defined]
        self.fields["cities"].label_from_instance = (  # type: ignore[attr-defined]
            lambda city: f"{city.name} ({city.country.localized_name})" if city.country else city.name
        )

    def proposer_party(self) -> City | Organisation:
        kind, _colon, pk = self.cleaned_data["proposer"].partition(":")
        if kind == "city":
            return self.user.focal_point_of.get(pk=pk)
        assert self.user.organisation is not None  # only offered when set
        return self.user.organisation


class CommentForm(forms.Form):
    comment = forms.CharField(
        label=gettext_lazy("Message"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=4000
    )


class MilestoneForm(forms.Form):
    due_on = forms.DateField(label=gettext_lazy("Due"), widget=DATE_INPUT)
    title = forms.CharField(label=gettext_lazy("Milestone"), max_length=250)


def checked_document(upload: UploadedFile | None) -> UploadedFile | None:
    """The domain's rule for documents (size, type by content, PDFs that cannot act) as a form error."""
    if upload is None:
        return None
    try:
        document_type(upload)
    except DocumentRefused as error:
        raise ValidationError(str(error)) from error
    return upload


class DocumentForm(forms.Form):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=250)
    file = forms.FileField(label=gettext_lazy("File"), required=False)
    url = forms.URLField(label=gettext_lazy("Or its address"), required=False, max_length=500)

    def clean_file(self) -> UploadedFile | None:
        return checked_document(self.cleaned_data.get("file"))

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if not self.errors and bool(data.get("file")) == bool(data.get("url")):
            raise ValidationError(_("Upload a file or give its address (one of the two)."))
        return data


class TransferForm(forms.Form):
    to_city = forms.ModelChoiceField(
        label=gettext_lazy("Adapting city"), queryset=City.objects.members().order_by("name")
    )
    what_adapted = forms.CharField(
        label=gettext_lazy("What was adapted"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy("Which parts of the practice, and what changed to fit the city"),
    )
    status = forms.ChoiceField(label=gettext_lazy("Status"), choices=TransferStatus.choices)
    started_on = forms.DateField(label=gettext_lazy("Started"), required=False, widget=DATE_INPUT)
    results = forms.CharField(label=gettext_lazy("Results"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    lessons = forms.CharField(label=gettext_lazy("Lessons"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    adapted_practice = forms.CharField(
        label=gettext_lazy("The adapting city's own practice"),
        required=False,
        help_text=gettext_lazy("Optional: the address or identifier of the adapted version in the library"),
    )

    def __init__(self, *args: object, user: User, practice: Practice, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.user, self.practice = user, practice
        self.current_adapted: Practice | None = None  # an edit keeps the adapted version someone else named
        self.fields["partnership"] = forms.ModelChoiceField(
            label=gettext_lazy("Within the partnership"),
            queryset=Partnership.objects.public().filter(parties__city__focal_points=user).distinct()
            if not user.is_staff
            else Partnership.objects.public(),
            required=False,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        apply_to_form(self, transfer_problems({name: data[name] for name in TRANSFER_TEXTS if name in data}))
        return data

    def clean_adapted_practice(self) -> Practice | None:
        text = self.cleaned_data["adapted_practice"].strip()
        if not text:
            return None
        practice = Practice.objects.alive().filter(slug=_identifier(text)).first()
        if practice is None:
            raise ValidationError(_("No practice found for: %(item)s") % {"item": text})
        if not may_name_as_adapted(self.user, practice, self.current_adapted):
            raise ValidationError(_("You may name as the adapted version only a practice you may edit."))
        return practice

    def details(self) -> TransferDetails:
        data = self.cleaned_data
        return TransferDetails(
            what_adapted=data["what_adapted"],
            status=data["status"],
            results=data["results"],
            lessons=data["lessons"],
            started_on=data["started_on"],
            adapted_practice=data["adapted_practice"],
            partnership=data.get("partnership"),
        )

    @classmethod
    def initial_from(cls, transfer: Transfer) -> dict[str, object]:
        return {
            "to_city": transfer.to_city_id,
            "what_adapted": transfer.what_adapted,
            "status": transfer.status,
            "started_on": transfer.started_on,
            "results": transfer.results,
            "lessons": transfer.lessons,
            "adapted_practice": transfer.adapted_practice.slug if transfer.adapted_practice else "",
            "partnership": transfer.partnership_id,
        }


YEAR_INPUT = forms.NumberInput(attrs={"inputmode": "numeric", "min": 1900, "max": 2100, "step": 1})


class ConfirmTwinningForm(ValidatedTerms):
    """A city says a recorded twinning is real: the year it began and, if it has one, a document."""

    start_year = forms.IntegerField(label=gettext_lazy("Year it began"), required=False, widget=YEAR_INPUT)
    comment = forms.CharField(
        label=gettext_lazy("A word about it (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
    document_title = forms.CharField(label=gettext_lazy("Document (optional): title"), max_length=250, required=False)
    document_file = forms.FileField(label=gettext_lazy("File"), required=False)
    document_url = forms.URLField(label=gettext_lazy("Or its address"), required=False, max_length=500)

    def clean_document_file(self) -> UploadedFile | None:
        return checked_document(self.cleaned_data.get("document_file"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        has_document = bool(data.get("document_file") or data.get("document_url"))
        if not self.errors and bool(data.get("document_title", "").strip()) != has_document:
            raise ValidationError(_("A document needs a title and a file or an address."))
        return data

    def documents(self) -> list[Document]:
        data = self.cleaned_data
        if not data["document_title"].strip():
            return []
        return [Document(data["document_title"], upload=data["document_file"], url=data["document_url"])]


class CorrectTwinningForm(ValidatedTerms):
    kind = forms.ChoiceField(label=gettext_lazy("Type"), choices=PartnershipKind.choices)
    start_year = forms.IntegerField(label=gettext_lazy("Year it began"), required=False, widget=YEAR_INPUT)
    end_year = forms.IntegerField(label=gettext_lazy("Year it ended"), required=False, widget=YEAR_INPUT)
    description = forms.CharField(
        label=gettext_lazy("Note on the record"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    comment = forms.CharField(label=gettext_lazy("What was wrong (optional)"), required=False, max_length=4000)

    @staticmethod
    def initial_from(partnership: Partnership) -> dict[str, object]:
        return {name: getattr(partnership, name) for name in ("kind", "start_year", "end_year", "description")}


class EndTwinningForm(ValidatedTerms):
    end_year = forms.IntegerField(label=gettext_lazy("Year it ended (optional)"), required=False, widget=YEAR_INPUT)
    comment = forms.CharField(
        label=gettext_lazy("What happened (optional)"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        max_length=4000,
    )
