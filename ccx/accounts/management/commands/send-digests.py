"""Send the daily digest e-mails. Run once a day (cron or a systemd timer); running twice sends nothing twice."""

from typing import Any

from django.core.management.base import BaseCommand

from ccx.accounts.notifications import send_daily_digests
from ccx.core.management.base import command_progress


class Command(BaseCommand):
    help = "E-mail each person who chose the daily digest everything waiting for it, in one message."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        with command_progress(self, "Sending digests", options) as progress:
            sent = send_daily_digests(progress)
        self.stdout.write(self.style.SUCCESS(f"{sent} digest e-mail(s) sent"))
