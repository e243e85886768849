from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ccx.core.management.base import command_progress
from ccx.monitoring.reminders import send_reminders


class Command(BaseCommand):
    help = (
        "Remind the focal points of members whose monitoring report is due this year or overdue (in the site and "
        "by e-mail, as each person chose). Running it again the same year tells nobody twice."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--no-progress", action="store_true", help="Do not draw a progress bar")

    def handle(self, *args: Any, **options: Any) -> None:
        with command_progress(self, "Reminders", options) as progress:
            told = send_reminders(progress=progress)
        self.stdout.write(self.style.SUCCESS(f"{told} reminder(s) sent"))
