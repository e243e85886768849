from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.accounts.invitations import invite_focal_point, make_focal_point
from ccx.accounts.models import User
from ccx.cities.models import City


def find_city(name: str) -> City:
    """A city by its identifier ("lyon-fr") or, when that is unambiguous, by its name ("Lyon")."""
    city = City.objects.filter(slug=name.lower()).first()
    if city is not None:
        return city
    named = list(City.objects.filter(name__iexact=name).order_by("slug"))
    if len(named) == 1:
        return named[0]
    if named:
        raise CommandError(f"{len(named)} cities are called {name!r}: use one of {', '.join(c.slug for c in named)}.")
    raise CommandError(f"No city {name!r}: give its identifier as in its address, e.g. lyon-fr.")


class Command(BaseCommand):
    help = (
        "Make USER a focal point of CITY. USER is an account's user name or e-mail address; an e-mail address "
        "without an account gets an invitation by e-mail (a one-time link to choose a user name and password), "
        "and the link is printed too. CITY is the city's identifier (lyon-fr) or its name."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("user", help="user name or e-mail address")
        parser.add_argument("city", help="the city's identifier (as in its address) or name")

    def handle(self, *args: Any, **options: Any) -> None:
        city = find_city(options["city"])
        who = options["user"].strip()
        user = User.objects.filter(username=who).first() or User.objects.filter(email__iexact=who).first()
        if user is not None:
            make_focal_point(user, city)
            self.stdout.write(self.style.SUCCESS(f"{user.username} is now a focal point of {city.name}."))
            return
        if "@" not in who:
            raise CommandError(f"No account named {who!r}. Give an e-mail address to send an invitation instead.")
        secretariat = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
        if secretariat is None:
            raise CommandError("Create a secretariat account first (ccx setup or ccx make-secretariat).")
        try:
            invited = invite_focal_point(city, who, secretariat)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        self.stdout.write(self.style.SUCCESS(f"Invitation to be a focal point of {city.name} sent to {who}."))
        self.stdout.write(f"The one-time link (valid {invited.invitation.expires_at:%Y-%m-%d}): {invited.link}")
