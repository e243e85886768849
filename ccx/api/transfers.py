"""Transfers (a practice adapted from one city to another) over HTTP.

Reading follows the site's visibility; writing needs a signed-in session and goes through the same domain
functions as the pages.
"""

from datetime import date, datetime

from django.db.models import Q
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from ccx.accounts.permissions import AnyUser
from ccx.api.auth import signed_in
from ccx.api.errors import errors
from ccx.api.pagination import Converted, pages
from ccx.api.schemas import limited, one_of
from ccx.cities.models import City
from ccx.core.filters import FilterError
from ccx.partnerships.models import Partnership, Transfer, TransferStatus
from ccx.partnerships.transfers import (
    TransferDetails,
    TransferError,
    record_transfer,
    shown_adapted_practice,
    update_transfer,
)
from ccx.practices.models import Practice

router = Router(tags=["cooperation"])


class TransferQuery(Schema):
    practice: str = Field("", description="Slug of the practice adapted (or of the adapted version)")
    city: str = Field("", description="Slug of a city at either end")
    status: str = Field("", description="exploring, adapting, implemented or abandoned")


class TransferOut(Schema):
    id: int
    practice: str
    from_city: str | None
    to_city: str
    adapted_practice: str | None
    partnership: str | None
    what_adapted: str
    status: str
    started_on: date | None
    results: str
    lessons: str
    created_at: datetime
    updated_at: datetime


def transfer_out(transfer: Transfer, viewer: AnyUser) -> TransferOut:
    adapted = shown_adapted_practice(transfer, viewer)
    return TransferOut(
        id=transfer.pk,
        practice=transfer.practice.slug,
        from_city=transfer.from_city.slug if transfer.from_city else None,
        to_city=transfer.to_city.slug,
        adapted_practice=adapted.slug if adapted else None,
        partnership=transfer.partnership.slug if transfer.partnership and transfer.partnership.is_public else None,
        what_adapted=transfer.what_adapted,
        status=transfer.status,
        started_on=transfer.started_on,
        results=transfer.results,
        lessons=transfer.lessons,
        created_at=transfer.created_at,
        updated_at=transfer.updated_at,
    )


@router.get(
    "/transfers", response={200: list[TransferOut], **errors(422)}, summary="Practices adapted from one city to another"
)
@paginate(pages(50))
def transfer_list(request: HttpRequest, query: Query[TransferQuery]) -> Converted[Transfer]:
    practice, city, status = query.practice, query.city, query.status
    if status and status not in TransferStatus.values:
        raise FilterError(f"Unknown status '{status}'.")
    transfers = Transfer.objects.visible_to(request.user).for_listing().select_related("partnership")
    if practice:
        transfers = transfers.filter(Q(practice__slug=practice) | Q(adapted_practice__slug=practice))
    if city:
        transfers = transfers.filter(Q(from_city__slug=city) | Q(to_city__slug=city))
    if status:
        transfers = transfers.filter(status=status)
    return Converted(transfers, lambda transfer: transfer_out(transfer, request.user))


@router.get("/transfers/{transfer_id}", response={200: TransferOut, **errors(404)}, summary="One transfer")
def transfer_detail(request: HttpRequest, transfer_id: int) -> TransferOut:
    return transfer_out(
        get_object_or_404(Transfer.objects.visible_to(request.user).for_listing(), pk=transfer_id), request.user
    )


class TransferIn(Schema):
    what_adapted: str = limited(Transfer, "what_adapted", ...)
    status: str = Field(description="The transfer's status", json_schema_extra=one_of(TransferStatus.values))
    started_on: date | None = None
    results: str = limited(Transfer, "results", "")
    lessons: str = limited(Transfer, "lessons", "")
    adapted_practice: str = limited(Practice, "slug", "", description="Slug of the adapting city's own version, if any")
    partnership: str = limited(Partnership, "slug", "", description="Slug of the partnership it happens in, if any")


class NewTransferIn(TransferIn):
    practice: str = limited(Practice, "slug", ..., description="Slug of the practice adapted")
    to_city: str = limited(City, "slug", ..., description="Slug of the adapting city")


def _details(payload: TransferIn) -> tuple[TransferDetails, dict[str, list[str]]]:
    """The details, and the names that match no record, by field (the values are the domain's to check)."""
    problems: dict[str, list[str]] = {}
    adapted = None
    if payload.adapted_practice:
        adapted = Practice.objects.alive().filter(slug=payload.adapted_practice).first()
        if adapted is None:
            problems["adapted_practice"] = [f"No practice '{payload.adapted_practice}'."]
    partnership = None
    if payload.partnership:
        partnership = Partnership.objects.public().filter(slug=payload.partnership).first()
        if partnership is None:
            problems["partnership"] = [f"No agreed partnership '{payload.partnership}'."]
    details = TransferDetails(
        what_adapted=payload.what_adapted,
        status=payload.status,
        results=payload.results,
        lessons=payload.lessons,
        started_on=payload.started_on,
        adapted_practice=adapted,
        partnership=partnership,
    )
    return details, problems


@router.post(
    "/transfers",
    auth=signed_in,
    response={201: TransferOut, **errors(403, 422)},
    summary="Record that a city adapted a practice (focal points at either end, the secretariat)",
)
def transfer_create(request: HttpRequest, payload: NewTransferIn) -> tuple[int, object]:
    details, problems = _details(payload)
    practice = Practice.objects.alive().filter(slug=payload.practice).first()
    to_city = City.objects.filter(slug=payload.to_city).first()
    if practice is None:
        problems["practice"] = [f"No practice '{payload.practice}'."]
    if to_city is None:
        problems["to_city"] = [f"No city '{payload.to_city}'."]
    if problems or practice is None or to_city is None:
        raise TransferError.by_field(problems)
    transfer = record_transfer(request.user, practice, to_city, details)
    return 201, transfer_out(transfer, request.user)


@router.patch(
    "/transfers/{transfer_id}",
    auth=signed_in,
    response={200: TransferOut, **errors(403, 404, 422)},
    summary="Update a transfer (its status moves forward only)",
)
def transfer_update(request: HttpRequest, transfer_id: int, payload: TransferIn) -> tuple[int, object]:
    transfer = get_object_or_404(Transfer.objects.for_listing(), pk=transfer_id)
    details, problems = _details(payload)
    if problems:
        raise TransferError.by_field(problems)
    transfer = update_transfer(request.user, transfer, details)
    return 200, transfer_out(transfer, request.user)
