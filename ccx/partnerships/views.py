from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.accounts.models import User
from ccx.accounts.permissions import is_focal_point_of, is_secretariat
from ccx.challenges.models import Challenge
from ccx.cities.models import City
from ccx.core.storage import serve_private
from ccx.core.validation import refusal_to_form
from ccx.partnerships import workflow
from ccx.partnerships.documents import add_document
from ccx.partnerships.forms import (
    CommentForm,
    ConfirmTwinningForm,
    CorrectTwinningForm,
    DocumentForm,
    EndTwinningForm,
    MilestoneForm,
    ProposalForm,
    TermsForm,
    TransferForm,
)
from ccx.partnerships.matchmaking import open_challenges, suggest_peers
from ccx.partnerships.models import (
    OPEN_STATUSES,
    Milestone,
    Partnership,
    PartnershipDocument,
    PartnershipEvent,
    PartnershipKind,
    PartnershipStatus,
    Transfer,
    tie_state_label,
)
from ccx.partnerships.permissions import (
    can_propose,
    may_confirm_for,
    represented_parties,
)
from ccx.partnerships.transfers import TransferError, record_transfer, shown_adapted_practice, update_transfer
from ccx.partnerships.twinnings import confirm_twinning, correct_twinning, end_twinning
from ccx.practices.models import Practice

PAGE_SIZE = 20


def _signed_in(request: HttpRequest) -> User:
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def partnership_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    kind = request.GET.get("kind", "")
    partnerships = Partnership.objects.visible_to(request.user)
    if status in PartnershipStatus.values:
        partnerships = partnerships.filter(status=status)
    if kind in PartnershipKind.values:
        partnerships = partnerships.filter(kind=kind)
    # Thousands of unconfirmed twinnings from public records would bury the partnerships cities made here:
    # they are listed when asked for (the twinning type or the "recorded" status) and on the network page.
    hidden_records = 0
    if not kind and status != PartnershipStatus.RECORDED:
        hidden_records = Partnership.objects.filter(status=PartnershipStatus.RECORDED).count()
        partnerships = partnerships.exclude(status=PartnershipStatus.RECORDED)
    partnerships = partnerships.select_related("framework").prefetch_related("parties__city", "parties__organisation")
    page = Paginator(partnerships.distinct(), PAGE_SIZE).get_page(request.GET.get("page"))
    mine = []
    if isinstance(request.user, User):
        mine = list(
            Partnership.objects.visible_to(request.user)
            .filter(parties__city__focal_points=request.user)
            .exclude(status__in=[PartnershipStatus.COMPLETED, PartnershipStatus.DECLINED, PartnershipStatus.WITHDRAWN])
            .distinct()[:10]
        )
    context = {
        "page": page,
        "status": status,
        "statuses": PartnershipStatus.choices,
        "kind": kind,
        "kinds": PartnershipKind.choices,
        "hidden_records": hidden_records,
        "mine": mine,
        "can_propose": can_propose(request.user),
    }
    return render(request, "partnerships/list.html", context)


def _partnership_or_404(request: HttpRequest, slug: str) -> Partnership:
    partnership = get_object_or_404(Partnership.objects.select_related("framework", "proposed_by"), slug=slug)
    if not partnership.is_visible_to(request.user):
        raise Http404
    return partnership


def partnership_detail(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_or_404(request, slug)
    parties = list(partnership.parties.select_related("city__country", "organisation", "confirmed_by"))
    mine = represented_parties(request.user, partnership)
    events = list(partnership.events.select_related("actor", "party__city", "party__organisation"))
    is_open = partnership.status in OPEN_STATUSES
    context = {
        **_public_record_context(request, partnership),
        "partnership": partnership,
        "parties": parties,
        "my_parties": mine,
        "confirmable": [party for party in parties if not party.confirmed and may_confirm_for(request.user, party)]
        if is_open
        else [],
        "is_open": is_open,
        "is_running": partnership.status in (PartnershipStatus.AGREED, PartnershipStatus.ACTIVE),
        "can_plan": partnership.status in (*OPEN_STATUSES, PartnershipStatus.AGREED, PartnershipStatus.ACTIVE),
        "can_withdraw": partnership.status in (*OPEN_STATUSES, PartnershipStatus.AGREED),
        "lifecycle": lifecycle(partnership),
        "passed": passed_steps(partnership, events),
        "is_proposer": any(party.is_proposer for party in mine),
        "milestones": partnership.milestones.all(),
        "documents": partnership.documents.all(),
        "practices": partnership.practices.select_related("lead_city"),
        "challenges": partnership.challenges.visible_to(request.user).select_related("city"),
        "transfers": partnership.transfers.for_listing(),
        "events": events,
        "comment_form": CommentForm(),
        "milestone_form": MilestoneForm(),
        "document_form": DocumentForm(),
        "map_points": [
            {"name": p.city.name, "lat": p.city.latitude, "lng": p.city.longitude, "url": p.city.get_absolute_url()}
            for p in parties
            if p.city and p.city.has_location
        ],
    }
    return render(request, "partnerships/detail.html", context)


def _public_record_context(request: HttpRequest, partnership: Partnership) -> dict[str, object]:
    if not partnership.is_public_record:
        return {"may_maintain": False}
    return {
        "may_maintain": partnership.editable_by(request.user),
        "wikidata_items": sorted({qid for qid in partnership.source_reference.replace(";", " ").split() if qid}),
        "confirm_form": ConfirmTwinningForm(prefix="confirm"),
        "correct_form": CorrectTwinningForm(prefix="correct", initial=CorrectTwinningForm.initial_from(partnership)),
        "end_form": EndTwinningForm(prefix="end"),
    }


@require_POST
def twinning_step(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    """Confirm, correct or end a tie recorded from public sources."""
    partnership = _partnership_or_404(request, slug)
    user = _signed_in(request)
    if not partnership.editable_by(user):
        raise PermissionDenied
    try:
        if step == "confirm":
            confirm = ConfirmTwinningForm(request.POST, request.FILES, prefix="confirm")
            if _form_is_valid(request, confirm):
                data = confirm.cleaned_data
                confirm_twinning(
                    partnership,
                    user,
                    start_year=data["start_year"],
                    comment=data["comment"],
                    documents=confirm.documents(),
                )
                messages.success(request, _("Thank you: the twinning now shows as confirmed."))
        elif step == "correct":
            correct = CorrectTwinningForm(request.POST, prefix="correct")
            if _form_is_valid(request, correct):
                correct_twinning(partnership, user, **correct.cleaned_data)
                messages.success(request, _("The record was corrected."))
        elif step == "end":
            end = EndTwinningForm(request.POST, prefix="end")
            if _form_is_valid(request, end):
                end_twinning(partnership, user, **end.cleaned_data)
                messages.success(request, _("The twinning now shows as ended."))
        else:
            raise Http404
    except workflow.PartnershipError as error:
        for problem in error.problems:
            messages.error(request, problem)
    return redirect(partnership)


def _form_is_valid(request: HttpRequest, form: Form) -> bool:
    if form.is_valid():
        return True
    _report_errors(request, form)
    return False


PUBLIC_RECORD_PATH = [PartnershipStatus.RECORDED, PartnershipStatus.ACTIVE, PartnershipStatus.ENDED]
MAIN_PATH = [
    PartnershipStatus.PROPOSED,
    PartnershipStatus.IN_DISCUSSION,
    PartnershipStatus.AGREED,
    PartnershipStatus.ACTIVE,
    PartnershipStatus.COMPLETED,
]


def lifecycle(partnership: Partnership) -> list[tuple[str, str]]:
    """The main path, with the end it actually took when it left the path (declined, withdrawn).
    A tie from public sources has its own: recorded, confirmed (active), ended."""
    if partnership.is_public_record:
        return [(step.value, tie_state_label(step)) for step in PUBLIC_RECORD_PATH]
    steps = [(step.value, str(step.label)) for step in MAIN_PATH]
    if partnership.status not in MAIN_PATH:
        status = PartnershipStatus(partnership.status)
        steps.append((status.value, str(status.label)))
    return steps


def passed_steps(partnership: Partnership, events: list[PartnershipEvent]) -> list[str]:
    reached = {event.to_status for event in events if event.to_status} | {PartnershipStatus.PROPOSED}
    path = PUBLIC_RECORD_PATH if partnership.is_public_record else MAIN_PATH
    return [step for step in path if step in reached and step != partnership.status]


def _prefill(request: HttpRequest) -> dict[str, object]:
    initial: dict[str, object] = {}
    city = City.objects.members().filter(slug=request.GET.get("city", "")).first()
    if city is not None:
        initial["cities"] = [city.pk]
    practice = Practice.objects.published().filter(slug=request.GET.get("practice", "")).first()
    if practice is not None:
        initial["practices"] = practice.slug
        initial["title"] = _("Adapting “%(title)s”") % {"title": practice.title}
    challenge = Challenge.objects.visible_to(request.user).filter(slug=request.GET.get("challenge", "")).first()
    if challenge is not None:
        initial["challenges"] = challenge.slug
        initial.setdefault("title", challenge.title)
    return initial


def propose(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = _signed_in(request)
    if not can_propose(user):
        raise PermissionDenied
    form = ProposalForm(request.POST or None, user=user, initial=_prefill(request))
    if request.method == "POST" and form.is_valid():
        try:
            partnership = workflow.propose(
                user,
                form.terms(),
                proposer=form.proposer_party(),
                cities=list(form.cleaned_data["cities"]),
                organisations=list(form.cleaned_data["organisations"]),
            )
        except workflow.PartnershipError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("Proposal sent. The other parties have been told."))
            return redirect(partnership)
    return render(request, "partnerships/form.html", {"form": form, "partnership": None})


def amend(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_or_404(request, slug)
    user = _signed_in(request)
    if not represented_parties(user, partnership) or partnership.status not in OPEN_STATUSES:
        raise PermissionDenied
    form = TermsForm(request.POST or None, user=user, initial=TermsForm.initial_from(partnership))
    comment_form = CommentForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and comment_form.is_valid():
        try:
            workflow.amend(partnership, user, form.terms(), comment_form.cleaned_data["comment"])
        except workflow.PartnershipError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("Terms changed. The other parties are asked to confirm again."))
            return redirect(partnership)
    context = {"form": form, "comment_form": comment_form, "partnership": partnership}
    return render(request, "partnerships/form.html", context)


@require_POST
def act(request: HttpRequest, slug: str, action: str) -> HttpResponse:
    """One life-cycle step: confirm (for a party), discuss, decline, withdraw, activate, complete."""
    partnership = _partnership_or_404(request, slug)
    user = _signed_in(request)
    form = CommentForm(request.POST)
    comment = form.cleaned_data["comment"] if form.is_valid() else ""
    try:
        if action == "confirm":
            party = get_object_or_404(partnership.parties, pk=request.POST.get("party"))
            workflow.confirm(partnership, party, user, comment)
        elif action in workflow.ACTIONS:
            step = workflow.ACTIONS[action]
            step(partnership, user, comment)
        else:
            raise Http404
    except workflow.PartnershipError as error:
        for problem in error.problems:
            messages.error(request, problem)
    else:
        partnership.refresh_from_db()
        messages.success(
            request,
            _("Done. The partnership is now: %(status)s.") % {"status": partnership.get_status_display().lower()},
        )
    return redirect(partnership)


@require_POST
def milestone_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_or_404(request, slug)
    form = MilestoneForm(request.POST)
    if not form.is_valid():
        _report_errors(request, form)
        return redirect(partnership)
    try:
        workflow.add_milestone(
            partnership, _signed_in(request), form.cleaned_data["due_on"], form.cleaned_data["title"]
        )
    except workflow.PartnershipError as error:
        messages.error(request, " ".join(error.problems))
    return redirect(partnership)


@require_POST
def milestone_done(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    partnership = _partnership_or_404(request, slug)
    milestone = get_object_or_404(Milestone, pk=pk, partnership=partnership)
    try:
        workflow.mark_milestone_done(milestone, _signed_in(request))
    except workflow.PartnershipError as error:
        messages.error(request, " ".join(error.problems))
    return redirect(partnership)


@require_POST
def document_add(request: HttpRequest, slug: str) -> HttpResponse:
    partnership = _partnership_or_404(request, slug)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        add_document(partnership, _signed_in(request), data["title"], upload=data["file"], url=data["url"])
        messages.success(request, _("Document added."))
    else:
        _report_errors(request, form)
    return redirect(partnership)


def _report_errors(request: HttpRequest, form: Form) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def document_download(request: HttpRequest, slug: str, pk: int) -> HttpResponseBase:
    partnership = _partnership_or_404(request, slug)
    document = get_object_or_404(PartnershipDocument, pk=pk, partnership=partnership)
    if not document.file:
        return redirect(document.url)
    return serve_private(document.file, document.download_name, document.media_type)


def transfer_detail(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(
        Transfer.objects.visible_to(request.user).for_listing().select_related("partnership"), pk=pk
    )
    context = {
        "transfer": transfer,
        "can_edit": transfer.editable_by(request.user),
        "adapted_practice": shown_adapted_practice(transfer, request.user),
        "partnership": transfer.partnership
        if transfer.partnership and transfer.partnership.is_visible_to(request.user)
        else None,
    }
    return render(request, "partnerships/transfer.html", context)


def transfer_new(request: HttpRequest, slug: str) -> HttpResponse:
    """Record that a city adapted the practice `slug`."""
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = _signed_in(request)
    practice = get_object_or_404(Practice.objects.published().select_related("lead_city"), slug=slug)
    initial = {
        "to_city": user.focal_point_of.exclude(pk=practice.lead_city_id or 0).values_list("pk", flat=True).first()
    }
    form = TransferForm(request.POST or None, user=user, practice=practice, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            transfer = record_transfer(user, practice, form.cleaned_data["to_city"], form.details())
        except TransferError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("Transfer recorded. It now shows on both practices and both cities."))
            return redirect(transfer)
    return render(request, "partnerships/transfer_form.html", {"form": form, "practice": practice, "transfer": None})


def transfer_edit(request: HttpRequest, pk: int) -> HttpResponse:
    transfer = get_object_or_404(Transfer.objects.for_listing(), pk=pk)
    user = _signed_in(request)
    if not transfer.editable_by(user):
        raise PermissionDenied
    form = TransferForm(
        request.POST or None, user=user, practice=transfer.practice, initial=TransferForm.initial_from(transfer)
    )
    form.fields["to_city"].disabled = True
    form.current_adapted = transfer.adapted_practice
    if request.method == "POST" and form.is_valid():
        try:
            update_transfer(user, transfer, form.details())
        except TransferError as error:
            refusal_to_form(form, error)
        else:
            messages.success(request, _("Transfer updated."))
            return redirect(transfer)
    context = {"form": form, "practice": transfer.practice, "transfer": transfer}
    return render(request, "partnerships/transfer_form.html", context)


@login_required
def my_peers(request: HttpRequest) -> HttpResponse:
    city = _signed_in(request).focal_point_of.order_by("name").first()
    if city is None:
        messages.info(request, _("Peer suggestions are made for a city: choose one."))
        return redirect("cities:directory")
    return redirect("partnerships:peers", slug=city.slug)


def peers(request: HttpRequest, slug: str) -> HttpResponse:
    """Suggested peers for a city, each with its reasons and one-click cooperation."""
    city = get_object_or_404(City.objects.members().select_related("country", "field"), slug=slug)
    own_city = is_focal_point_of(request.user, city) or is_secretariat(request.user)
    context = {
        "city": city,
        "suggestions": suggest_peers(city, request.user),
        "challenges": open_challenges(city, request.user),
        "own_city": own_city,
        "can_propose": own_city and can_propose(request.user),
        "next": _safe_next(request, request.get_full_path()),
    }
    return render(request, "partnerships/peers.html", context)


def _safe_next(request: HttpRequest, fallback: str) -> str:
    target = request.GET.get("next", "")
    allowed = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if target and allowed else fallback
