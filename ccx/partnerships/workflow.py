"""The life of a partnership. One function per change: it checks, saves, records who and when, and notifies.

proposed ──(a party responds: confirms, discusses or amends)──▶ in discussion ──(every party confirmed)──▶ agreed
agreed ──activate──▶ active ──complete──▶ completed
proposed / in discussion ──decline (an invited party)──▶ declined
proposed / in discussion / agreed ──withdraw (the proposer)──▶ withdrawn

"Agreed" is never set by hand: it follows from the last confirmation of the current terms. Amending the
terms asks every other party to confirm again.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ccx.accounts.models import NotificationKind, Organisation, User
from ccx.accounts.notifications import notify_everyone
from ccx.accounts.permissions import AnyUser
from ccx.challenges.models import Challenge
from ccx.cities.models import City
from ccx.core.errors import Conflict, InvalidRequest
from ccx.core.slugs import unique_slug
from ccx.core.validation import messages
from ccx.partnerships.models import (
    OPEN_STATUSES,
    Framework,
    Milestone,
    Partnership,
    PartnershipEvent,
    PartnershipStatus,
    Party,
)
from ccx.partnerships.permissions import can_propose, may_confirm_for, represented_parties, represents
from ccx.partnerships.validation import terms_problems
from ccx.practices.models import Practice

Status = PartnershipStatus


class PartnershipError(Conflict):
    """The partnership's state does not allow the step; `problems` says why, for a person to read."""


class InvalidTerms(PartnershipError):
    """The proposed terms or parties cannot be used as given."""

    status = InvalidRequest.status


@dataclass
class Terms:
    """What the parties agree on. Proposals and amendments both carry a full set of terms."""

    title: str
    kind: str
    goals: str
    description: str = ""
    framework: Framework | None = None
    framework_other: str = ""
    start_date: date | None = None
    end_date: date | None = None
    milestones: list[tuple[date, str]] = field(default_factory=list)
    practices: list[Practice] = field(default_factory=list)
    challenges: list[Challenge] = field(default_factory=list)

    def values(self) -> dict[str, Any]:
        """The terms as the validator reads them (partnerships/validation.py)."""
        names = ("title", "kind", "goals", "description", "framework", "framework_other", "start_date", "end_date")
        return {**{name: getattr(self, name) for name in names}, "milestones": self.milestones}

    def problems(self) -> dict[str, list[str]]:
        """The validator's problems with the terms, by field."""
        return messages(terms_problems(self.values()))


def record_event(
    partnership: Partnership,
    user: AnyUser,
    action: str,
    *,
    to_status: str = "",
    party: Party | None = None,
    comment: str = "",
) -> PartnershipEvent:
    previous = partnership.status
    if to_status and to_status != previous:
        partnership.status = to_status
        if to_status == Status.AGREED:
            partnership.agreed_at = timezone.now()
        partnership.save(update_fields=["status", "agreed_at", "updated_at"])
    return PartnershipEvent.objects.create(
        partnership=partnership,
        actor=user if isinstance(user, User) else None,
        party=party,
        action=action,
        from_status=previous if to_status else "",
        to_status=to_status if to_status != previous else "",
        comment=comment,
    )


def representatives(party: Party) -> list[User]:
    if party.city_id is not None:
        return list(User.objects.filter(focal_point_of=party.city_id, is_active=True))
    return list(User.objects.filter(organisation=party.organisation_id, is_active=True))


def _tell_parties(partnership: Partnership, event: PartnershipEvent, subject: str, actor: AnyUser | None) -> None:
    """Every representative of every party hears of the event once (the key), except whoever did it."""
    notify_everyone(
        (person for party in partnership.parties.all() for person in representatives(party)),
        subject,
        event.comment,
        partnership.get_absolute_url(),
        kind=NotificationKind.PARTNERSHIPS,
        key=f"partnership-event:{event.pk}",
        except_for=actor,
    )


def _locked(partnership: Partnership) -> Partnership:
    """Read the partnership again under a row lock, so that two confirmations cannot both miss each other."""
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


def _require_status(partnership: Partnership, allowed: tuple[str, ...], action: str) -> None:
    if partnership.is_public_record:
        raise PartnershipError(
            [_("A tie recorded from public sources is confirmed, corrected or ended; it has no proposal workflow.")]
        )
    if partnership.status not in allowed:
        raise PartnershipError(
            [
                _("A partnership that is %(status)s cannot be %(action)s.")
                % {"status": Status(partnership.status).label.lower(), "action": action}
            ]
        )


def _party_of(user: AnyUser, partnership: Partnership) -> Party:
    parties = represented_parties(user, partnership)
    if not parties:
        raise PermissionDenied(_("Only the parties of a partnership can do this."))
    return parties[0]


@transaction.atomic
def propose(
    user: AnyUser,
    terms: Terms,
    *,
    proposer: City | Organisation,
    cities: list[City],
    organisations: list[Organisation],
) -> Partnership:
    """`proposer` is the party the person speaks for; it confirms its own proposal by making it."""
    if not can_propose(user):
        raise PermissionDenied(_("Only city focal points and members of partner organisations can propose."))
    all_cities = list(dict.fromkeys([*cities, *([proposer] if isinstance(proposer, City) else [])]))
    all_organisations = list(
        dict.fromkeys([*organisations, *([proposer] if isinstance(proposer, Organisation) else [])])
    )
    if not _speaks_for(user, proposer):
        raise PermissionDenied(_("You can only propose on behalf of your own city or organisation."))
    problems = terms.problems()
    if len(all_cities) + len(all_organisations) < 2:
        problems.setdefault("cities", []).append(_("A partnership needs at least two parties."))
    if any(not city.is_member for city in all_cities):
        problems.setdefault("cities", []).append(_("City parties must be member cities of the network."))
    if problems:
        raise InvalidTerms.by_field(problems)
    partnership = Partnership.objects.create(
        slug=unique_slug(Partnership.objects.all(), terms.title, fallback="partnership"),
        status=Status.PROPOSED,
        proposed_by=user if isinstance(user, User) else None,
        **_term_values(terms),
    )
    _set_links(partnership, terms)
    for city in all_cities:
        Party.objects.create(partnership=partnership, city=city, is_proposer=city == proposer)
    for organisation in all_organisations:
        Party.objects.create(partnership=partnership, organisation=organisation, is_proposer=organisation == proposer)
    proposing = partnership.parties.get(is_proposer=True)
    proposing.confirmed_at, proposing.confirmed_by = timezone.now(), user  # type: ignore[assignment]
    proposing.save(update_fields=["confirmed_at", "confirmed_by"])
    event = record_event(partnership, user, "proposed", party=proposing, comment=terms.goals)
    _tell_parties(
        partnership,
        event,
        _("%(party)s proposes a partnership: %(title)s") % {"party": proposing.name, "title": partnership.title},
        user,
    )
    return partnership


def _speaks_for(user: AnyUser, proposer: City | Organisation) -> bool:
    if isinstance(proposer, City):
        return represents(user, Party(city=proposer))
    return represents(user, Party(organisation=proposer))


def _term_values(terms: Terms) -> dict[str, object]:
    return {
        "title": terms.title.strip(),
        "kind": terms.kind,
        "goals": terms.goals.strip(),
        "description": terms.description.strip(),
        "framework": terms.framework,
        "framework_other": terms.framework_other.strip(),
        "start_date": terms.start_date,
        "end_date": terms.end_date,
    }


def _set_links(partnership: Partnership, terms: Terms) -> None:
    partnership.practices.set(terms.practices)
    partnership.challenges.set(terms.challenges)
    partnership.milestones.all().delete()
    Milestone.objects.bulk_create(
        Milestone(partnership=partnership, due_on=due_on, title=title) for due_on, title in terms.milestones
    )


def _respond(partnership: Partnership, user: AnyUser, action: str, party: Party, comment: str) -> PartnershipEvent:
    """The first response of any party other than the proposer opens the discussion."""
    target = Status.IN_DISCUSSION if partnership.status == Status.PROPOSED else ""
    return record_event(partnership, user, action, to_status=target, party=party, comment=comment)


def _agree_if_everyone_confirmed(partnership: Partnership, user: AnyUser) -> None:
    if partnership.parties.filter(confirmed_at__isnull=True).exists():
        return
    event = record_event(partnership, user, "agreed", to_status=Status.AGREED)
    _tell_parties(
        partnership,
        event,
        _("Every party confirmed: %(title)s is agreed") % {"title": partnership.title},
        None,  # everyone hears it, the last to confirm included
    )


@transaction.atomic
def confirm(partnership: Partnership, party: Party, user: AnyUser, comment: str = "") -> Partnership:
    partnership = _locked(partnership)
    party = partnership.parties.get(pk=party.pk)
    if not may_confirm_for(user, party):
        raise PermissionDenied(_("You cannot confirm on behalf of %(party)s.") % {"party": party.name})
    _require_status(partnership, OPEN_STATUSES, _("confirmed"))
    if party.confirmed:
        raise PartnershipError([_("%(party)s has already confirmed these terms.") % {"party": party.name}])
    party.confirmed_at, party.confirmed_by = timezone.now(), user  # type: ignore[assignment]
    party.save(update_fields=["confirmed_at", "confirmed_by"])
    event = _respond(partnership, user, "confirmed", party, comment)
    _tell_parties(
        partnership,
        event,
        _("%(party)s confirmed the partnership %(title)s") % {"party": party.name, "title": partnership.title},
        user,
    )
    _agree_if_everyone_confirmed(partnership, user)
    return partnership


@transaction.atomic
def discuss(partnership: Partnership, user: AnyUser, comment: str) -> PartnershipEvent:
    partnership = _locked(partnership)
    party = _party_of(user, partnership)
    _require_status(partnership, OPEN_STATUSES, _("discussed"))
    if not comment.strip():
        raise PartnershipError([_("Write a message.")])
    event = _respond(partnership, user, "commented", party, comment.strip())
    _tell_parties(
        partnership,
        event,
        _("%(party)s wrote about %(title)s") % {"party": party.name, "title": partnership.title},
        user,
    )
    return event


@transaction.atomic
def amend(partnership: Partnership, user: AnyUser, terms: Terms, comment: str = "") -> Partnership:
    """New terms: the amending party confirms them, every other party has to confirm again."""
    partnership = _locked(partnership)
    party = _party_of(user, partnership)
    _require_status(partnership, OPEN_STATUSES, _("amended"))
    if problems := terms.problems():
        raise InvalidTerms.by_field(problems)
    for name, value in _term_values(terms).items():
        setattr(partnership, name, value)
    partnership.save()
    _set_links(partnership, terms)
    partnership.parties.exclude(pk=party.pk).update(confirmed_at=None, confirmed_by=None)
    partnership.parties.filter(pk=party.pk).update(confirmed_at=timezone.now(), confirmed_by=user)
    event = _respond(partnership, user, "amended", party, comment)
    _tell_parties(
        partnership,
        event,
        _("%(party)s changed the terms of %(title)s: please confirm again")
        % {"party": party.name, "title": partnership.title},
        user,
    )
    _agree_if_everyone_confirmed(partnership, user)
    return partnership


@transaction.atomic
def decline(partnership: Partnership, user: AnyUser, comment: str = "") -> Partnership:
    partnership = _locked(partnership)
    party = _party_of(user, partnership)
    if party.is_proposer:
        raise PartnershipError([_("The proposer withdraws a proposal rather than declining it.")])
    _require_status(partnership, OPEN_STATUSES, _("declined"))
    event = record_event(partnership, user, "declined", to_status=Status.DECLINED, party=party, comment=comment)
    _tell_parties(
        partnership,
        event,
        _("%(party)s declined the partnership %(title)s") % {"party": party.name, "title": partnership.title},
        user,
    )
    return partnership


@transaction.atomic
def withdraw(partnership: Partnership, user: AnyUser, comment: str = "") -> Partnership:
    partnership = _locked(partnership)
    party = _party_of(user, partnership)
    if not party.is_proposer:
        raise PartnershipError([_("Only the proposer can withdraw a proposal; other parties can decline it.")])
    _require_status(partnership, (*OPEN_STATUSES, Status.AGREED), _("withdrawn"))
    event = record_event(partnership, user, "withdrawn", to_status=Status.WITHDRAWN, party=party, comment=comment)
    _tell_parties(partnership, event, _("Partnership withdrawn: %(title)s") % {"title": partnership.title}, user)
    return partnership


@transaction.atomic
def activate(partnership: Partnership, user: AnyUser, comment: str = "") -> Partnership:
    partnership = _locked(partnership)
    party = _party_of(user, partnership)
    _require_status(partnership, (Status.AGREED,), _("started"))
    event = record_event(partnership, user, "activated", to_status=Status.ACTIVE, party=party, comment=comment)
    _tell_parties(partnership, event, _("Partnership started: %(title)s") % {"title": partnership.title}, user)
    return partnership


@transaction.atomic
def complete(partnership: Partnership, user: AnyUser, comment: str = "") -> Partnership:
    partnership = _locked(partnership)
    party = _party_of(user, partnership)
    _require_status(partnership, (Status.ACTIVE,), _("completed"))
    event = record_event(partnership, user, "completed", to_status=Status.COMPLETED, party=party, comment=comment)
    _tell_parties(partnership, event, _("Partnership completed: %(title)s") % {"title": partnership.title}, user)
    return partnership


@transaction.atomic
def add_milestone(partnership: Partnership, user: AnyUser, due_on: date, title: str) -> Milestone:
    partnership = _locked(partnership)
    party = _party_of(user, partnership)
    _require_status(partnership, (*OPEN_STATUSES, Status.AGREED, Status.ACTIVE), _("planned further"))
    if not title.strip():
        raise PartnershipError([_("Name the milestone.")])
    milestone = Milestone.objects.create(partnership=partnership, due_on=due_on, title=title.strip())
    record_event(partnership, user, "milestone_added", party=party, comment=f"{due_on.isoformat()} {milestone.title}")
    return milestone


@transaction.atomic
def mark_milestone_done(milestone: Milestone, user: AnyUser, done_on: date | None = None) -> Milestone:
    partnership = _locked(milestone.partnership)
    party = _party_of(user, partnership)
    _require_status(partnership, (Status.AGREED, Status.ACTIVE), _("updated"))
    milestone.done_on = done_on or timezone.localdate()
    milestone.save(update_fields=["done_on"])
    record_event(partnership, user, "milestone_done", party=party, comment=milestone.title)
    return milestone


ACTIONS: dict[str, Callable[[Partnership, AnyUser, str], object]] = {
    "discuss": discuss,
    "decline": decline,
    "withdraw": withdraw,
    "activate": activate,
    "complete": complete,
}
