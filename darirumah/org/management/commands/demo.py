"""`darirumah demo`: create the two demo agencies (Kota Serang, Kota Batu) and their logins.

Idempotent: what exists is left alone, so a second run changes nothing and prints the logins again.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from darirumah.core.calendar import AgencyCalendar
from darirumah.org.demo import DEMO_PASSWORD, DemoConflict, install, plan_demo

LABELS = {
    "agency": "agency",
    "offices": "offices",
    "rooms": "rooms",
    "units": "units",
    "employees": "employees",
    "users": "logins",
    "role grants": "role grants",
}


def login_table(rows) -> list[str]:
    """The logins as aligned text columns."""
    header = ("agency", "role", "username", "NIP", "password", "name", "unit / office")
    lines = [header]
    for row in rows:
        login = row.login
        agency = row.agency.removeprefix("Pemerintah ") or "(platform)"
        nip = login.nip or "-"
        lines.append(
            (agency, login.role, login.username, nip, row.password, login.name, login.where)
        )
    widths = [max(len(line[i]) for line in lines) for i in range(len(header) - 1)]
    out = []
    for n, line in enumerate(lines):
        cells = [cell.ljust(width) for cell, width in zip(line, widths, strict=False)]
        out.append("  ".join([*cells, line[-1]]))
        if n == 0:
            out.append("  ".join("-" * w for w in widths) + "  " + "-" * len(header[-1]))
    return out


class Command(BaseCommand):
    help = (
        "Create the demo agencies Pemerintah Kota Serang and Pemerintah Kota Batu with a few "
        "hundred employees each and one login per role. Safe to run again: nothing is changed."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Run even with DEBUG off. The demo logins share a published password.",
        )

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                f"The demo creates logins whose password ({DEMO_PASSWORD}) is published. Run it "
                "only on a demo or development set-up: set DEBUG=1 (as `make demo` does), or "
                "pass --force."
            )
        started = time.perf_counter()
        # Both demo agencies are in WIB; "today" anchors the newly-placed staff.
        today = AgencyCalendar(zone="WIB").today()
        try:
            outcomes, rows = install(plan_demo(today))
        except DemoConflict as exc:
            raise CommandError(str(exc)) from None

        for outcome in outcomes:
            if outcome.skipped:
                self.stdout.write(
                    self.style.WARNING(f"{outcome.name} ({outcome.code}): {outcome.skipped}.")
                )
            elif outcome.changed:
                made = ", ".join(
                    f"{outcome.created[noun]} {label}"
                    for noun, label in LABELS.items()
                    if outcome.created.get(noun)
                )
                self.stdout.write(self.style.SUCCESS(f"{outcome.name} ({outcome.code}): {made}."))
            else:
                self.stdout.write(
                    f"{outcome.name} ({outcome.code}): already present, nothing changed."
                )
        elapsed = time.perf_counter() - started
        self.stdout.write(f"Done in {elapsed:.1f} s.\n")

        self.stdout.write(
            self.style.WARNING(
                "DEMO CREDENTIALS — the password is public. Never use them on a real deployment."
            )
        )
        self.stdout.write(
            "Log in with the username or with the NIP. Every other demo employee has no usable "
            "password; the operator can also use /admin/."
        )
        self.stdout.write("")
        for line in login_table(rows):
            self.stdout.write(line)
