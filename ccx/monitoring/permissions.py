"""Who may see and change a monitoring report. Views, the API and commands all ask these functions."""

from typing import TYPE_CHECKING

from django.db.models import Q

from ccx.accounts.permissions import AnyUser, is_focal_point_of, is_secretariat
from ccx.cities.models import City

if TYPE_CHECKING:
    from ccx.monitoring.models import Report, ReportQuerySet


def _focal_city_ids(user: object) -> list[int]:
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return []
    return list(user.focal_point_of.values_list("pk", flat=True))  # type: ignore[attr-defined]


def visible_reports(reports: "ReportQuerySet", user: object) -> "ReportQuerySet":
    """Everyone sees accepted reports; a city's focal points and the secretariat also see its drafts."""
    from ccx.monitoring.models import ReportStatus

    if is_secretariat(user):  # type: ignore[arg-type]
        return reports
    return reports.filter(Q(status=ReportStatus.ACCEPTED) | Q(city__in=_focal_city_ids(user)))


def is_responsible_for(user: AnyUser, city: City) -> bool:
    """The city's own focal points and the secretariat write, submit and see its reports."""
    return is_secretariat(user) or is_focal_point_of(user, city)


def can_view_report(user: object, report: "Report") -> bool:
    from ccx.monitoring.models import ReportStatus

    return report.status == ReportStatus.ACCEPTED or is_responsible_for(user, report.city)  # type: ignore[arg-type]


def can_edit_report(user: object, report: "Report") -> bool:
    """Texts change while the report is a draft or sent back for changes; never once submitted or accepted."""
    from ccx.monitoring.models import ReportStatus

    editable = report.status in (ReportStatus.DRAFT, ReportStatus.CHANGES_REQUESTED)
    return editable and is_responsible_for(user, report.city)  # type: ignore[arg-type]


def can_review(user: object) -> bool:
    return is_secretariat(user)  # type: ignore[arg-type]


def can_manage_schedule(user: object) -> bool:
    """The reporting rule and each member's due date: the secretariat."""
    return is_secretariat(user)  # type: ignore[arg-type]
