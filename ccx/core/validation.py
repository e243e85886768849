"""What every record validator shares (practices/validation.py is the worked example; cities, events and
partnerships have one each).

A validator reads plain values (model field names; only the keys present are checked, so an update may carry a
few) and answers Django's ValidationError with a list of errors per field. Each error has a `code` and `params`,
so a channel may phrase a rule its own way (a form's messages, an API's sentence, an import log line) without
restating it. Turning input into values (parsing dates, looking up slugs) stays with each channel.
"""

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.db import models
from django.forms import BaseForm, ModelForm
from django.utils.translation import gettext_lazy as _

from ccx.core.errors import DomainError

# A text field without a length in the database still has one at the door: every channel refuses more. A model
# whose texts run longer says so with a `TEXT_CAP` attribute of its own (practices: imported reports).
TEXT_CAP = 20_000
WEB_ADDRESS = URLValidator(schemes=["http", "https"])
TOO_LONG = _("%(label)s is longer than %(limit)s characters")

Errors = dict[str, list[ValidationError]]
Phrasing = Mapping[str, str | Callable[[dict[str, Any]], list[str]] | None]


class Problems:
    """Collects a validator's errors by field, each from a message with a code."""

    def __init__(self, messages: Mapping[str, Any], names: Mapping[str, str] | None = None) -> None:
        self.messages, self.names = messages, names or {}
        self.errors: Errors = {}

    def add(self, field: str, code: str, /, **params: Any) -> None:
        name = self.names.get(field, field)
        message = self.messages.get(code, TOO_LONG)
        self.errors.setdefault(name, []).append(ValidationError(message, code=code, params=params))

    def lengths(self, model: type[models.Model], values: Mapping[str, Any], names: Iterable[str]) -> None:
        """A `too_long` error for each text longer than its model field allows (TEXT_CAP for a TextField)."""
        for name in names:
            limit = length_limit(model, name)
            value = values.get(name)
            if limit and isinstance(value, str) and len(value) > limit:
                self.add(name, "too_long", limit=limit, label=name.replace("_", " ").capitalize())


def length_limit(model: type[models.Model], name: str) -> int | None:
    field = model._meta.get_field(name)
    if isinstance(field, models.TextField):
        return int(getattr(model, "TEXT_CAP", TEXT_CAP))
    return getattr(field, "max_length", None)


def raise_errors(errors: Errors) -> None:
    if errors:
        raise ValidationError(errors)


def phrased(errors: Errors, messages: Phrasing) -> Errors:
    """The errors with some codes phrased another way (a callable may give several lines; None drops the code)."""
    result: Errors = {}
    for field, items in errors.items():
        for error in items:
            text = messages.get(error.code or "", error.message) if error.code in messages else error.message
            if text is None:
                continue
            params = error.params or {}
            lines = text(dict(params)) if callable(text) else [str(text) % params if params else str(text)]
            result.setdefault(field, []).extend(ValidationError(line, code=error.code) for line in lines)
    return result


def messages(errors: Errors) -> dict[str, list[str]]:
    """The messages by field, as text."""
    return {field: [str(text) for error in items for text in error.messages] for field, items in errors.items()}


def merge(problems: dict[str, list[str]], more: Mapping[str, Iterable[str]]) -> dict[str, list[str]]:
    """Add more problems by field (a field with none is left out), after those already there; returns `problems`."""
    for field, texts in more.items():
        if texts := list(texts):
            problems.setdefault(field, []).extend(texts)
    return problems


def sentences(errors: Errors) -> dict[str, str]:
    """One sentence (the messages joined) per field, as the API and import logs show them."""
    return {field: " ".join(texts) for field, texts in messages(errors).items()}


def validated_form(model: type[models.Model], problems: Callable[[dict[str, Any]], Errors]) -> type[ModelForm[Any]]:
    """A model form (for the admin) that asks the record's validator; `problems` reads the cleaned values."""

    def clean(form: ModelForm[Any]) -> dict[str, Any]:
        data = ModelForm.clean(form) or {}
        apply_to_form(form, problems({name: value for name, value in data.items() if name in form.fields}))
        return data

    meta = type("Meta", (), {"model": model, "fields": "__all__"})
    form: type[ModelForm[Any]] = type(f"{model.__name__}AdminForm", (ModelForm,), {"Meta": meta, "clean": clean})
    return form


def apply_to_form(form: BaseForm, errors: Errors) -> None:
    """Show the errors on the form's fields (on the form as a whole for a field it does not have)."""
    for field, items in errors.items():
        for error in items:
            form.add_error(field if field in form.fields else None, error)


def refusal_to_form(form: BaseForm, error: DomainError) -> None:
    """A domain refusal on the form: each problem on the field it names, or on the form as a whole."""
    if not error.fields:
        for problem in error.problems:
            form.add_error(None, problem)
    for field, text in error.fields.items():
        form.add_error(field if field in form.fields else None, text)


def is_web_address(text: Any) -> bool:
    try:
        WEB_ADDRESS(str(text))
    except ValidationError:
        return False
    return isinstance(text, str)


def is_email(text: Any) -> bool:
    try:
        EmailValidator()(str(text))
    except ValidationError:
        return False
    return True
