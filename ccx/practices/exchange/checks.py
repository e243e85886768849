"""The practice validator (ccx/practices/validation.py) as every importer reports it: one line per problem.

Rules that the readers already report in their own terms (unknown choices, dates in the wrong order, two
translations into one language, a missing title) are left to them, so that each problem is told once.
"""

from typing import Any

from ccx.core.validation import phrased
from ccx.practices.validation import practice_problems

IMPORT_MESSAGES: dict[str, Any] = {
    "required": None,
    "unknown_choice": None,
    "unknown_actor_kind": None,
    "dates_reversed": None,
    "duplicate_translation": None,
    "not_web_address": lambda params: [
        f"the {params['label']} '{address}' is not a web address" for address in params["items"]
    ],
}


def import_problems(values: dict[str, Any]) -> dict[str, list[str]]:
    """The validator's problems with snapshot-format values, by field, phrased for the import log."""
    errors = phrased(practice_problems(values, required=()), IMPORT_MESSAGES)
    return {field: [str(error.message) for error in items] for field, items in errors.items()}


def check_values(values: dict[str, Any]) -> list[str]:
    """What the database or the pages would refuse in snapshot-format values, before anything is written."""
    return [message for messages in import_problems(values).values() for message in messages]
