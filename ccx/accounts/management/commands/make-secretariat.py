from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.accounts.models import User
from ccx.accounts.services import make_secretariat


class Command(BaseCommand):
    help = "Give an existing account the secretariat role (staff, with every permission on the exchange's records)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account named {options['username']!r}.")
        make_secretariat(user)
        self.stdout.write(self.style.SUCCESS(f"{user.username} is now a member of the secretariat."))
