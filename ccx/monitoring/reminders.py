"""Reminders of reports due this year or overdue, through the notifications. Safe to run every day: each
focal point hears once per city, due year and state (and once a year while a report stays overdue)."""

from datetime import date

from django.urls import reverse
from django.utils.translation import gettext as _

from ccx.accounts.models import NotificationKind, User
from ccx.accounts.notifications import notify
from ccx.core.progress import Progress, silent
from ccx.monitoring.schedule import BoardState, board


def send_reminders(today: date | None = None, progress: Progress = silent) -> int:
    """Tell the focal points of each member whose report is due this year or overdue; return how many people
    were told something new."""
    today = today or date.today()
    owing = [row for row in board(today) if row.state in (BoardState.DUE_THIS_YEAR, BoardState.OVERDUE)]
    people: dict[int, list[User]] = {}
    for user in User.objects.filter(is_active=True, focal_point_of__in=[row.city.pk for row in owing]).prefetch_related(
        "focal_point_of"
    ):
        for city in user.focal_point_of.all():
            people.setdefault(city.pk, []).append(user)
    told = 0
    for done, row in enumerate(owing, start=1):
        values = {"city": row.city.name, "year": row.due_year}
        if row.state == BoardState.DUE_THIS_YEAR:
            subject = _("The monitoring report of %(city)s is due this year (%(year)s)") % values
        else:
            subject = _("The monitoring report of %(city)s, due in %(year)s, is overdue") % values
        body = _("Start it from the city's records: the form is pre-filled with what the exchange already knows.")
        url = reverse("monitoring:city_reports", args=[row.city.slug])
        key = f"report-reminder:{row.city.pk}:{row.due_year}:{row.state}:{today.year}"
        for user in people.get(row.city.pk, []):
            before = user.notifications.filter(key=key).exists()
            notify(user, subject, body, url, kind=NotificationKind.REPORTS, key=key)
            told += 0 if before else 1
        progress(done, len(owing), row.city.name)
    return told
