"""Posting and editing challenges, and what the challenge page shows beside them (matched practices, peers).

Each function that changes something checks the person's right (PermissionDenied), checks the values
(ValidationError with a message per field), then saves in one transaction.
"""

import re
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from ccx.accounts.models import User
from ccx.accounts.permissions import AnyUser
from ccx.challenges.models import Challenge, Visibility
from ccx.challenges.permissions import can_post, can_post_for
from ccx.cities.models import City
from ccx.core.slugs import unique_slug as core_unique_slug
from ccx.practices.models import BudgetBand, Theme
from ccx.sdg.models import Goal
from ccx.search.matching import MAX_TEXT, MatchingError, MatchResult, match_challenge
from ccx.search.matching import Challenge as MatchingChallenge

TEXT_FIELDS = {"title": 250, "statement": 10_000, "context": 20_000, "goals": 10_000}
MAX_OBSTACLES = 20
MAX_OBSTACLE_LENGTH = 500
MAX_MONTHS = 120
EDITABLE = (
    "title",
    "statement",
    "context",
    "obstacles",
    "goals",
    "budget_band",
    "time_frame_months",
    "themes",
    "sdg_goals",
    "language",
    "visibility",
    "city",
)
RELATIONS = ("themes", "sdg_goals")


def unique_slug(title: str, exclude_pk: int | None = None) -> str:
    others = Challenge.objects.exclude(pk=exclude_pk) if exclude_pk is not None else Challenge.objects.all()
    return core_unique_slug(others, title, fallback="challenge")


def obstacles_from_lines(text: str) -> list[str]:
    """One obstacle per line; list markers ("-", "•", "1.") and blank lines dropped."""
    items = (re.sub(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+", "", line).strip() for line in text.splitlines())
    return [item for item in items if item]


def clean_values(values: dict[str, Any], *, creating: bool) -> dict[str, Any]:
    """The values to save, in the model's terms; ValidationError naming each bad field otherwise."""
    unknown = sorted(set(values) - set(EDITABLE))
    if unknown:
        raise ValueError(f"not editable: {', '.join(unknown)}")
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    for name, limit in TEXT_FIELDS.items():
        if name in values:
            text = (values[name] or "").strip()
            if len(text) > limit:
                errors[name] = _("At most %(limit)s characters.") % {"limit": limit}
            cleaned[name] = text
    for name in ("title", "statement"):
        if (creating or name in values) and not cleaned.get(name):
            errors[name] = (
                _("Give the challenge a title.") if name == "title" else _("Describe the problem in a few sentences.")
            )
    if "obstacles" in values:
        obstacles = values["obstacles"] or []
        if not isinstance(obstacles, list) or not all(isinstance(item, str) for item in obstacles):
            errors["obstacles"] = _("The obstacles must be a list of texts.")
        else:
            obstacles = [" ".join(item.split()) for item in obstacles if item.strip()]
            if len(obstacles) > MAX_OBSTACLES:
                errors["obstacles"] = _("At most %(limit)s obstacles.") % {"limit": MAX_OBSTACLES}
            elif any(len(item) > MAX_OBSTACLE_LENGTH for item in obstacles):
                errors["obstacles"] = _("Each obstacle may have at most %(limit)s characters.") % {
                    "limit": MAX_OBSTACLE_LENGTH
                }
            cleaned["obstacles"] = obstacles
    if "budget_band" in values:
        band = values["budget_band"] or ""
        if band and band not in BudgetBand.values:
            errors["budget_band"] = _("Unknown budget band '%(band)s'.") % {"band": band}
        cleaned["budget_band"] = band
    if "time_frame_months" in values:
        months = values["time_frame_months"]
        if months in ("", None):
            cleaned["time_frame_months"] = None
        elif isinstance(months, bool) or not isinstance(months, int) or not 1 <= months <= MAX_MONTHS:
            errors["time_frame_months"] = _("The time frame is a number of months from 1 to %(limit)s.") % {
                "limit": MAX_MONTHS
            }
        else:
            cleaned["time_frame_months"] = months
    if "language" in values or creating:
        language = values.get("language") or "en"
        if language not in dict(settings.CONTENT_LANGUAGES):
            errors["language"] = _("Unknown language '%(language)s'.") % {"language": language}
        cleaned["language"] = language
    if "visibility" in values or creating:
        visibility = values.get("visibility") or Visibility.NETWORK
        if visibility not in Visibility.values:
            errors["visibility"] = _("Choose who may see the challenge: network or public.")
        cleaned["visibility"] = visibility
    for name, model in (("themes", Theme), ("sdg_goals", Goal)):
        if name in values:
            wanted = {item.pk if hasattr(item, "pk") else item for item in values[name] or []}
            found = set(model.objects.filter(pk__in=wanted).values_list("pk", flat=True))
            if found != wanted:
                errors[name] = _("Unknown choice(s).")
            cleaned[name] = sorted(found)
    if "city" in values:
        city = values["city"]
        if city is not None and not isinstance(city, City):
            errors["city"] = _("Unknown city.")
        cleaned["city"] = city
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save(challenge: Challenge, cleaned: dict[str, Any]) -> list[str]:
    """Apply the values; return the names of the fields that changed."""
    changed = []
    for name, value in cleaned.items():
        if name in RELATIONS:
            continue
        if name == "city":
            if challenge.city_id != (value.pk if value else None):
                challenge.city = value
                challenge.country_id = value.country_id if value else challenge.country_id
                changed.append(name)
        elif getattr(challenge, name) != value:
            setattr(challenge, name, value)
            changed.append(name)
    challenge.save()
    for name in RELATIONS:
        if name in cleaned:
            manager = getattr(challenge, name)
            if sorted(manager.values_list("pk", flat=True)) != cleaned[name]:
                manager.set(cleaned[name])
                changed.append(name)
    return changed


def post_challenge(user: AnyUser, values: dict[str, Any]) -> Challenge:
    """A focal point posts a challenge for one of their cities (the secretariat for any city)."""
    if not can_post(user):
        raise PermissionDenied(_("Only the focal points of member cities and the secretariat post challenges."))
    city = values.get("city")
    if city is None:
        raise ValidationError({"city": _("Name the city that meets this challenge.")})
    if not can_post_for(user, city):
        raise PermissionDenied(_("You may only post challenges for your own city."))
    cleaned = clean_values(values, creating=True)
    with transaction.atomic():
        challenge = Challenge(slug=unique_slug(cleaned["title"]), owner=user if isinstance(user, User) else None)
        _save(challenge, cleaned)
    return challenge


def update_challenge(challenge: Challenge, user: AnyUser, values: dict[str, Any]) -> list[str]:
    """Change the challenge; returns the fields that changed. Moving it to another city needs rights there too."""
    if not challenge.editable_by(user):
        raise PermissionDenied(_("Only the focal points of the challenge's city and the secretariat change it."))
    moved = "city" in values and (values["city"] is None or values["city"].pk != challenge.city_id)
    if moved and not can_post_for(user, values["city"]):
        raise PermissionDenied(_("You may only post challenges for your own city."))
    cleaned = clean_values(values, creating=False)
    with transaction.atomic():
        locked = Challenge.objects.select_for_update().get(pk=challenge.pk)
        changed = _save(locked, cleaned)
        if changed and locked.source_id:  # an imported record: the next import keeps these edits
            locked.edited_fields = sorted(set(locked.edited_fields) | set(changed))
            locked.save(update_fields=["edited_fields"])
    challenge.refresh_from_db()
    return changed


MATCH_CACHE_SECONDS = 600


def matches_for(challenge: Challenge, k: int = 8) -> MatchResult | None:
    """The practices that answer the challenge, with reasons, and the peer cities to talk to.

    Kept for ten minutes under the challenge's last change, so that an edit shows new matches at once.
    None when the challenge says too little to be matched.
    """
    key = f"challenge-matches:{challenge.pk}:{challenge.updated_at.timestamp()}:{k}"
    cached: MatchResult | None = cache.get(key)
    if cached is not None:
        return cached
    query = MatchingChallenge(
        text=challenge.matching_text()[:MAX_TEXT],  # the opening says what the challenge is about
        city=challenge.city,
        budget_band=challenge.budget_band,
        months=challenge.time_frame_months,
        themes=tuple(theme.slug for theme in challenge.themes.all()),
    )
    try:
        result = match_challenge(query, k=k)
    except MatchingError:
        return None
    cache.set(key, result, MATCH_CACHE_SECONDS)
    return result
