import json
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ccx.accounts.permissions import is_secretariat
from ccx.core.decorators import role_required
from ccx.core.htmx import is_htmx
from ccx.core.pagecache import fragment
from ccx.practices import search_hooks, workflow
from ccx.practices.browse import (
    FACET_TITLES,
    FACETS,
    PARAMETERS,
    facet_counts,
    filter_practices,
    listed,
    parse_filters,
    ranking,
)
from ccx.practices.cards import library_cards
from ccx.practices.forms import STEP_NAMES, STEPS, ImageForm, StepForm
from ccx.practices.images import ImageRejected, attach_image, remove_image
from ccx.practices.models import FormDraft, Practice, PracticeImage, Revision, Status
from ccx.practices.permissions import PracticeLocked, can_create, can_review, can_see_contact, check_content_editable
from ccx.practices.revisions import differences
from ccx.practices.services import create_practice, restore_revision, update_practice

PAGE_SIZE = 20


def library(request: HttpRequest) -> HttpResponse:
    filters = parse_filters(dict(request.GET.lists()), strict=False)
    ranked = ranking(filters) if filters.q else None  # searched once, for the results and the facet counts
    ids = Paginator(listed(filters, ranked), PAGE_SIZE).get_page(request.GET.get("page"))
    language = search_hooks.engine.query_language(filters.q) if filters.q else ""
    cards = library_cards([int(pk) for pk in ids.object_list], filters.q, language)
    # The same for every visitor: counted once per filter combination and data version, not per request.
    counts = fragment("library-facets", lambda: facet_counts(filters, ranked), filters.as_query())
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "read_as": search_hooks.read_as(language) if filters.q else None,
        "filters": filters,
        "facets": [(name, PARAMETERS[name], _(FACET_TITLES[name]), counts[name]) for name in FACETS],
        "page": Page[Any](cards, ids.number, ids.paginator),
        "query_without_page": query.urlencode(),
    }
    template = "practices/library.html#library" if is_htmx(request) else "practices/library.html"
    return render(request, template, context)


def _practice_or_404(request: HttpRequest, slug: str) -> Practice:
    practice = get_object_or_404(
        Practice.objects.select_related("lead_city__country", "lead_city__field", "country", "owner", "adapted_from"),
        slug=slug,
    )
    if not practice.is_visible_to(request.user):
        raise Http404
    return practice


def detail(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    language_parts = {part: practice.localized(part) for part in ("title", "tagline", "summary", "description")}
    context = {
        "practice": practice,
        "text": language_parts,
        "partner_cities": practice.partner_cities.select_related("country"),
        "actors": practice.actors.all(),
        "indicators": practice.indicators.all(),
        "images": practice.images.all(),
        "adaptations": practice.adaptations.published().select_related("lead_city"),
        "can_edit": practice.editable_by(request.user),
        "can_review": can_review(request.user),
        "show_contact": can_see_contact(request.user),
        "events": practice.events.select_related("actor")[:10] if practice.editable_by(request.user) else [],
        "missing": workflow.missing_for_submission(practice)
        if practice.status in (Status.DRAFT, Status.CHANGES_REQUESTED)
        else [],
        "map_points": _map_points(practice),
        "similar": _similar(practice),
    }
    return render(request, "practices/detail.html", context)


def practice_jsonld(request: HttpRequest, slug: str) -> HttpResponse:
    """One practice in the exchange format (JSON-LD, schema.org), ready for `ccx import-practices --format jsonld`."""
    from ccx.practices.exchange.jsonld_out import practice_to_jsonld

    practice = _practice_or_404(request, slug)
    document = practice_to_jsonld(practice, include_contact=practice.editable_by(request.user))
    response = HttpResponse(json.dumps(document, ensure_ascii=False, indent=2), content_type="application/ld+json")
    response["Content-Disposition"] = f'inline; filename="{practice.slug}.jsonld"'
    return response


SIMILAR_SHOWN = 6


def _similar(practice: Practice) -> list[Practice]:
    if not practice.is_published:
        return []
    ranked = search_hooks.engine.similar(practice, SIMILAR_SHOWN)
    found = {p.pk: p for p in Practice.objects.published().for_listing().filter(pk__in=ranked)}
    return [found[pk] for pk in ranked if pk in found][:SIMILAR_SHOWN]


def _map_points(practice: Practice) -> list[dict[str, Any]]:
    points = []
    cities = (
        [practice.lead_city, *practice.partner_cities.all()]
        if practice.lead_city
        else list(practice.partner_cities.all())
    )
    for city in cities:
        if city is not None and city.has_location:
            points.append(
                {"name": city.name, "lat": city.latitude, "lng": city.longitude, "url": city.get_absolute_url()}
            )
    if not points and practice.latitude is not None and practice.longitude is not None:
        points.append(
            {
                "name": practice.place_name or practice.title,
                "lat": practice.latitude,
                "lng": practice.longitude,
                "url": "",
            }
        )
    return points


def _step_form(step: str) -> type[StepForm]:
    if step not in STEP_NAMES:
        raise Http404
    return STEPS[STEP_NAMES.index(step)]


def _step_context(practice: Practice | None, step: str, form: StepForm, restored: FormDraft | None) -> dict[str, Any]:
    index = STEP_NAMES.index(step)
    return {
        "practice": practice,
        "form": form,
        "step": step,
        "steps": [(form_class.step, form_class.title_text) for form_class in STEPS],
        "step_number": index + 1,
        "next_step": STEP_NAMES[index + 1] if index + 1 < len(STEP_NAMES) else "images",
        "restored": restored,
    }


def _draft_for(request: HttpRequest, practice: Practice | None, step: str) -> FormDraft | None:
    draft = FormDraft.objects.filter(user=request.user.pk, practice=practice, step=step).order_by("-updated_at").first()
    if draft is None or (practice is not None and draft.updated_at <= practice.updated_at):
        return None
    return draft


def _as_querydict(data: dict[str, list[str]]) -> QueryDict:
    query = QueryDict(mutable=True)
    for key, values in data.items():
        query.setlist(key, values)
    return query


@login_required
def new(request: HttpRequest) -> HttpResponse:
    if not can_create(request.user):
        raise PermissionDenied
    form_class = _step_form("basics")
    restored = _draft_for(request, None, "basics") if request.method == "GET" else None
    data = request.POST if request.method == "POST" else (_as_querydict(restored.data) if restored else None)
    form = form_class(data, practice=None, user=request.user)
    if request.method == "POST" and form.is_valid():
        practice = create_practice(request.user, form.values())
        FormDraft.objects.filter(user=request.user.pk, practice=None, step="basics").delete()
        messages.success(request, _("The draft was saved. Continue with the next step, or come back later."))
        return redirect("practices:edit", practice.slug, "story")
    return render(request, "practices/form.html", _step_context(None, "basics", form, restored))


def _locked(request: HttpRequest, practice: Practice) -> HttpResponse | None:
    """Refuse (403) who may not edit; send an author back to the practice while its state forbids edits."""
    try:
        check_content_editable(request.user, practice)
    except PracticeLocked as locked:
        messages.error(request, str(locked))
        return redirect(practice)
    return None


@login_required
def edit(request: HttpRequest, slug: str, step: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    if locked := _locked(request, practice):
        return locked
    form_class = _step_form(step)
    restored = _draft_for(request, practice, step) if request.method == "GET" else None
    data = request.POST if request.method == "POST" else (_as_querydict(restored.data) if restored else None)
    form = form_class(data, practice=practice, user=request.user)
    if request.method == "POST" and form.is_valid():
        changed = update_practice(practice, request.user, form.values())
        FormDraft.objects.filter(user=request.user.pk, practice=practice, step=step).delete()
        messages.success(request, _("Saved.") if changed else _("Nothing was changed."))
        destination = request.POST.get("then", "")
        if destination == "preview":
            return redirect("practices:preview", practice.slug)
        next_step = _step_context(practice, step, form, None)["next_step"]
        if next_step == "images":
            return redirect("practices:images", practice.slug)
        return redirect("practices:edit", practice.slug, next_step)
    return render(request, "practices/form.html", _step_context(practice, step, form, restored))


@login_required
@require_POST
def autosave(request: HttpRequest, step: str, slug: str = "") -> HttpResponse:
    """Keep what the person typed so far (htmx posts the form every few seconds while they type)."""
    _step_form(step)
    practice = _practice_or_404(request, slug) if slug else None
    if practice is not None and not practice.editable_by(request.user):
        raise PermissionDenied
    if practice is None and not can_create(request.user):
        raise PermissionDenied
    data = {key: values for key, values in request.POST.lists() if key not in ("csrfmiddlewaretoken", "then")}
    FormDraft.objects.update_or_create(user_id=request.user.pk, practice=practice, step=step, defaults={"data": data})
    return render(request, "practices/_autosaved.html")


@login_required
@require_POST
def discard_draft(request: HttpRequest, step: str, slug: str = "") -> HttpResponse:
    practice = _practice_or_404(request, slug) if slug else None
    FormDraft.objects.filter(user=request.user.pk, practice=practice, step=step).delete()
    if practice is None:
        return redirect("practices:new")
    return redirect("practices:edit", practice.slug, step)


@login_required
def images(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    if locked := _locked(request, practice):
        return locked
    form = ImageForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            attach_image(
                practice,
                form.cleaned_data["image"],
                form.cleaned_data["alt_text"],
                form.cleaned_data["caption"],
                form.cleaned_data["credit"],
            )
        except ImageRejected as rejection:
            form.add_error("image", str(rejection))
        else:
            messages.success(request, _("The image was added."))
            return redirect("practices:images", practice.slug)
    context = {
        "practice": practice,
        "form": form,
        "images": practice.images.all(),
        "steps": [(form_class.step, form_class.title_text) for form_class in STEPS],
        "step": "images",
    }
    return render(request, "practices/images.html", context)


@login_required
@require_POST
def delete_image(request: HttpRequest, slug: str, image_id: int) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    if locked := _locked(request, practice):
        return locked
    remove_image(get_object_or_404(PracticeImage, pk=image_id, practice=practice))
    messages.success(request, _("The image was removed."))
    return redirect("practices:images", practice.slug)


@login_required
def preview(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    if not practice.editable_by(request.user):
        raise PermissionDenied
    return detail(request, slug)


@login_required
@require_POST
def act(request: HttpRequest, slug: str) -> HttpResponse:
    """One button per workflow step; each calls the matching domain function."""
    practice = _practice_or_404(request, slug)
    comment = request.POST.get("comment", "").strip()
    try:
        workflow.perform(practice, request.user, request.POST.get("action", ""), comment)
    except workflow.WorkflowError as error:
        for problem in error.problems:
            messages.error(request, problem)
    else:
        messages.success(request, _("The practice is now: %(status)s.") % {"status": Status(practice.status).label})
    return redirect(practice)


def history(request: HttpRequest, slug: str) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    if not practice.editable_by(request.user):
        raise PermissionDenied
    revisions = list(practice.revisions.select_related("author").order_by("-number"))
    rows = []
    for index, revision in enumerate(revisions):
        older = revisions[index + 1].snapshot if index + 1 < len(revisions) else {}
        rows.append((revision, differences(older, revision.snapshot)))
    return render(request, "practices/history.html", {"practice": practice, "rows": rows})


@login_required
@require_POST
def restore(request: HttpRequest, slug: str, number: int) -> HttpResponse:
    practice = _practice_or_404(request, slug)
    revision = get_object_or_404(Revision, practice=practice, number=number)
    changed = restore_revision(practice, revision, request.user)
    if changed:
        messages.success(request, _("Revision %(number)s was restored.") % {"number": number})
    else:
        messages.info(request, _("The practice already matches revision %(number)s.") % {"number": number})
    return redirect(practice)


@role_required(is_secretariat)
@require_POST
def delete(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    workflow.delete(practice, request.user)
    messages.success(request, _("The practice was deleted. It can be restored from the deleted practices list."))
    return redirect("practices:review")


@role_required(is_secretariat)
@require_POST
def undelete(request: HttpRequest, slug: str) -> HttpResponse:
    practice = get_object_or_404(Practice, slug=slug)
    workflow.undelete(practice, request.user)
    messages.success(request, _("The practice was restored."))
    return redirect(practice)


@role_required(is_secretariat)
def review(request: HttpRequest) -> HttpResponse:
    waiting = (
        Practice.objects.alive()
        .filter(status__in=[Status.SUBMITTED, Status.IN_REVIEW])
        .select_related("lead_city", "owner")
        .order_by("updated_at")
    )
    deleted = Practice.objects.filter(deleted_at__isnull=False).select_related("lead_city").order_by("-deleted_at")
    return render(request, "practices/review.html", {"waiting": waiting, "deleted": deleted})


@login_required
def mine(request: HttpRequest) -> HttpResponse:
    """The practices a person writes or that their cities lead, whatever their status."""
    cities = request.user.focal_point_of.values("pk")  # type: ignore[union-attr]
    practices = (
        Practice.objects.alive()
        .filter(Q(owner=request.user.pk) | Q(lead_city__in=cities))
        .select_related("lead_city")
        .order_by("-updated_at")
    )
    return render(request, "practices/mine.html", {"practices": practices, "can_create": can_create(request.user)})


EXPORT_TYPES = {"jsonld": "application/ld+json", "csv": "text/csv; charset=utf-8"}


def export(request: HttpRequest, format: str) -> HttpResponse:
    """The published practices that match the browse filters, as JSON-LD or CSV."""
    if format not in EXPORT_TYPES:
        raise Http404
    filters = parse_filters(dict(request.GET.lists()), strict=False)
    practices = (
        filter_practices(Practice.objects.published(), filters)
        .prefetch_related(
            "fields",
            "themes",
            "technologies",
            "sdg_goals",
            "sdg_targets",
            "partner_cities",
            "actors",
            "indicators",
            "translations",
        )
        .select_related("lead_city", "country", "adapted_from")
    )
    from ccx.practices.exchange.csv_out import practices_to_csv
    from ccx.practices.exchange.jsonld_out import library_to_jsonld

    if format == "jsonld":
        body = json.dumps(library_to_jsonld(practices), ensure_ascii=False)
    else:
        body = practices_to_csv(practices)
    response = HttpResponse(body, content_type=EXPORT_TYPES[format])
    response["Content-Disposition"] = (
        f'attachment; filename="good-practices.{"jsonld" if format == "jsonld" else "csv"}"'
    )
    return response
