from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ccx.accounts.models import ApiToken, TokenScope, User
from ccx.accounts.tokens import TokenError, active_tokens, create_token, revoke_token


class Command(BaseCommand):
    help = (
        "Create a personal API token for USERNAME and print it once (or --list its tokens, or --revoke one by "
        "its first characters). Scripts send it as 'Authorization: Bearer <token>'."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--name", default="command line", help="what the token is for")
        parser.add_argument("--scope", choices=TokenScope.values, default=TokenScope.READ)
        parser.add_argument("--days", type=int, default=90, help="days until it expires; 0: never (default 90)")
        parser.add_argument("--list", action="store_true", help="list the account's live tokens")
        parser.add_argument("--revoke", metavar="PREFIX", help="revoke the token starting with PREFIX")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No account named {options['username']!r}.")
        if options["list"]:
            for token in active_tokens(user):
                used = token.last_used_at.isoformat(timespec="minutes") if token.last_used_at else "never"
                expires = token.expires_at.date().isoformat() if token.expires_at else "never"
                self.stdout.write(
                    f"{token.prefix}…  {token.scope:10}  expires {expires}  last used {used}  {token.name}"
                )
            return
        if options["revoke"]:
            matches = [
                t
                for t in ApiToken.objects.filter(user=user, revoked_at__isnull=True)
                if t.prefix.startswith(options["revoke"])
            ]
            if len(matches) != 1:
                raise CommandError(
                    f"{len(matches)} live tokens of {user.username} start with {options['revoke']!r}; give one."
                )
            revoke_token(matches[0])
            self.stdout.write(self.style.SUCCESS(f"Revoked {matches[0]}."))
            return
        try:
            new = create_token(user, options["name"], options["scope"], options["days"] or None)
        except TokenError as error:
            raise CommandError(str(error)) from None
        expires = new.token.expires_at.date().isoformat() if new.token.expires_at else "never"
        self.stderr.write(f"{new.token.scope} token for {user.username}, expires {expires}. Shown once; keep it safe:")
        self.stdout.write(new.secret)
