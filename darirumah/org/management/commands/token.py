"""`darirumah token`: personal API tokens from the command line.

darirumah token create <NIP or username> [--name NAME] [--expires-days N]
darirumah token list <NIP or username>
darirumah token revoke <id>

For scripts and integrations run by whoever administers the server; people make their own tokens
in the app. The key is printed once: only its hash is stored.
"""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from darirumah.core.calendar import utcnow, zone_info
from darirumah.core.errors import DomainError
from darirumah.org import services
from darirumah.org.models import ApiToken, Employee, User
from darirumah.org.rules import normalise_nip


def find_user(login: str) -> User:
    """The user with this NIP or username (the same lookup as logging in), or CommandError."""
    login = (login or "").strip()
    candidate = normalise_nip(login)
    if candidate.isdigit() and len(candidate) == 18:
        employee = Employee.objects.select_related("user").filter(nip=candidate).first()
        if employee is not None:
            if employee.user is None:
                raise CommandError(
                    f"Employee {employee.name} (NIP {employee.nip}) has no login account yet."
                )
            return employee.user
    user = User.objects.filter(username__iexact=login).first()
    if user is None:
        raise CommandError(f"No user or employee with NIP or username {login!r}.")
    return user


class Command(BaseCommand):
    help = "Create, list or revoke personal API tokens (Authorization: Bearer <key>)."

    def add_arguments(self, parser):
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a token and print its key once")
        create.add_argument("user", help="NIP or username")
        create.add_argument("--name", default="command line", help="what the token is for")
        create.add_argument(
            "--expires-days", type=int, default=None, help="expire after this many days"
        )
        listing = actions.add_parser("list", help="list a user's tokens")
        listing.add_argument("user", help="NIP or username")
        revoke = actions.add_parser("revoke", help="revoke a token by its id")
        revoke.add_argument("id", type=int, help="the token id (see `token list`)")

    def handle(self, *args, **options):
        return getattr(self, f"_{options['action']}")(options)

    def _create(self, options):
        user = find_user(options["user"])
        if not user.is_active:
            raise CommandError(f"User {user.username} is inactive; a token would not work.")
        days = options["expires_days"]
        if days is not None and days < 1:
            raise CommandError("--expires-days must be 1 or more.")
        expires_at = utcnow() + timedelta(days=days) if days else None
        try:
            token, key = services.token_create(
                user=user, name=options["name"], expires_at=expires_at
            )
        except DomainError as exc:
            raise CommandError(exc.message) from None
        self.stdout.write(f"Token {token.pk} ({token.name}) for {user.username}:")
        self.stdout.write(key)
        self.stdout.write(
            "Store the key now: it is not shown again. Send it as 'Authorization: Bearer <key>'."
        )

    def _list(self, options):
        user = find_user(options["user"])
        tokens = list(ApiToken.objects.filter(user=user))
        if not tokens:
            self.stdout.write(f"{user.username} has no API tokens.")
            return
        employee = Employee.objects.filter(user=user).select_related("agency").first()
        zone = employee.agency.zone if employee else None
        self.stdout.write(f"API tokens of {user.username}:")
        for t in tokens:
            if t.revoked_at:
                state = f"revoked {self._when(t.revoked_at, zone)}"
            elif t.expires_at and t.expires_at <= utcnow():
                state = f"expired {self._when(t.expires_at, zone)}"
            else:
                state = "active"
                if t.expires_at:
                    state += f", expires {self._when(t.expires_at, zone)}"
            used = self._when(t.last_used_at, zone) if t.last_used_at else "never"
            self.stdout.write(
                f"  {t.pk:>5}  {t.prefix}…  {t.name}  created {self._when(t.created_at, zone)}"
                f"  last used {used}  {state}"
            )

    def _revoke(self, options):
        token = ApiToken.objects.select_related("user").filter(pk=options["id"]).first()
        if token is None:
            raise CommandError(f"No API token with id {options['id']}.")
        if token.revoked_at:
            self.stdout.write(f"Token {token.pk} ({token.name}) was already revoked.")
            return
        services.token_revoke(user=token.user, token=token)
        self.stdout.write(f"Token {token.pk} ({token.name}) of {token.user.username} revoked.")

    @staticmethod
    def _when(moment, zone: str | None) -> str:
        # Shown in the agency's zone when the user has one, else in UTC.
        if zone:
            return f"{moment.astimezone(zone_info(zone)):%Y-%m-%d %H:%M} {zone}"
        return f"{moment:%Y-%m-%d %H:%M} UTC"
