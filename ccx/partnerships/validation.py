"""What makes a partnership's terms and a transfer valid: one validator each, which the forms, the API, the
twinning import, the admin and the domain functions (workflow.py, twinnings.py, transfers.py) call.

They read values by model field (only the keys present) and answer errors by field, each with a `code` and
`params` (see ccx/core/validation.py). Whether the record's state allows a change is not theirs to say: that is
the domain function's `Conflict` (409).
"""

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ccx.core.validation import Errors, Problems, length_limit, raise_errors
from ccx.partnerships.models import Milestone, Partnership, PartnershipKind, Transfer, TransferStatus

FIRST_YEAR = 1900
TERMS_MESSAGES: dict[str, Any] = {
    "title_required": _("Give the partnership a title."),
    "unknown_kind": _("Choose the type of partnership."),
    "goals_required": _("Say what the partnership is for (its goals)."),
    "dates_reversed": _("The end date is before the start date."),
    "two_frameworks": _("Choose a framework from the list or name another one, not both."),
    "year_range": _("%(what)s must be between %(first)s and %(last)s."),
    "years_reversed": _("It cannot end before it began."),
    "milestone_too_long": _("A milestone is longer than %(limit)s characters."),
}
YEAR_LABELS = {"start_year": _("The year it began"), "end_year": _("The year it ended")}
TERMS_TEXTS = ("title", "goals", "description", "framework_other")
TRANSFER_MESSAGES: dict[str, Any] = {
    "what_required": _("Say what was adapted."),
    "unknown_status": _("Choose the status of the transfer."),
}
TRANSFER_TEXTS = ("what_adapted", "results", "lessons")


def terms_problems(values: Mapping[str, Any], *, required: tuple[str, ...] = ("title", "goals")) -> Errors:
    """Every problem of a partnership's terms, by field. `required`: texts that may be left out but not blank.
    `framework` is a Framework or None; `milestones` a list of (day, title)."""
    found = Problems(TERMS_MESSAGES)

    def blank(name: str) -> bool:
        return name in required and name in values and not str(values[name] or "").strip()

    if blank("title"):
        found.add("title", "title_required")
    if "kind" in values and values["kind"] not in PartnershipKind.values:
        found.add("kind", "unknown_kind", value=values["kind"], choices=", ".join(PartnershipKind.values))
    if blank("goals"):
        found.add("goals", "goals_required")
    if values.get("start_date") and values.get("end_date") and values["end_date"] < values["start_date"]:
        found.add("end_date", "dates_reversed")
    if values.get("framework") and str(values.get("framework_other") or "").strip():
        found.add("framework_other", "two_frameworks")
    this_year = timezone.localdate().year
    for name, label in YEAR_LABELS.items():
        year = values.get(name)
        if year is not None and not FIRST_YEAR <= year <= this_year:
            found.add(name, "year_range", what=label, first=FIRST_YEAR, last=this_year, value=year)
    start, end = values.get("start_year"), values.get("end_year")
    if start is not None and end is not None and end < start:
        found.add("end_year", "years_reversed")
    found.lengths(Partnership, values, TERMS_TEXTS)
    limit = length_limit(Milestone, "title") or 0
    if any(len(title) > limit for _day, title in values.get("milestones") or []):
        found.add("milestones", "milestone_too_long", limit=limit)
    return found.errors


def validate_terms(values: Mapping[str, Any], *, required: tuple[str, ...] = ("title", "goals")) -> None:
    raise_errors(terms_problems(values, required=required))


def transfer_problems(values: Mapping[str, Any]) -> Errors:
    """Every problem of a transfer's own values, by field (what links it to practices and cities, and whether its
    status may move, is for transfers.py)."""
    found = Problems(TRANSFER_MESSAGES)
    if "what_adapted" in values and not str(values["what_adapted"] or "").strip():
        found.add("what_adapted", "what_required")
    if "status" in values and values["status"] not in TransferStatus.values:
        found.add("status", "unknown_status", value=values["status"], choices=", ".join(TransferStatus.values))
    found.lengths(Transfer, values, TRANSFER_TEXTS)
    return found.errors


def validate_transfer(values: Mapping[str, Any]) -> None:
    raise_errors(transfer_problems(values))
