"""`darirumah import_employees FILE [--agency CODE] [--dry-run] [--user USERNAME]`."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from darirumah.core.errors import DomainError
from darirumah.org import imports
from darirumah.org.access import Access, access_for
from darirumah.org.models import Agency, User


class Command(BaseCommand):
    help = (
        "Import units and employees from a CSV or XLSX file (SIMPEG-like columns, see "
        "docs/import-template.md). All or nothing: with any bad row nothing is written and "
        "every bad row is listed."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="the .xlsx or .csv file")
        parser.add_argument("--agency", help="agency code; needed when there is more than one")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")
        parser.add_argument(
            "--user",
            help="import as this user (recorded in the history and checked for the right to "
            "import); by default the command acts as the platform operator",
        )

    def handle(self, *args, **options):
        agency = self._agency(options["agency"])
        access = self._access(options["user"])
        try:
            with open(options["file"], "rb") as upload:
                report = imports.import_employees(
                    access=access,
                    agency=agency,
                    upload=upload,
                    filename=options["file"],
                    dry_run=options["dry_run"],
                )
        except OSError as exc:
            raise CommandError(
                _("Cannot open %(file)s: %(why)s") % {"file": options["file"], "why": exc.strerror}
            ) from exc
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self._print(report)
        if report.errors:
            raise CommandError(report.message)

    def _agency(self, code: str | None) -> Agency:
        if code:
            agency = Agency.objects.filter(code=code).first()
            if agency is None:
                raise CommandError(_("There is no agency with code %(code)s.") % {"code": code})
            return agency
        agencies = list(Agency.objects.all()[:2])
        if len(agencies) != 1:
            codes = ", ".join(Agency.objects.values_list("code", flat=True)) or "-"
            raise CommandError(
                _("Say which agency with --agency (one of: %(codes)s).") % {"codes": codes}
            )
        return agencies[0]

    def _access(self, username: str | None) -> Access:
        if not username:
            # Whoever runs commands on the server already has the platform operator's power.
            return Access(user=None, is_operator=True)
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(_("There is no user %(user)s.") % {"user": username})
        return access_for(user)

    def _print(self, report: imports.ImportReport) -> None:
        counts = (
            f"rows={report.rows} created={report.created} updated={report.updated} "
            f"units_created={report.units_created} units_updated={report.units_updated} "
            f"dry_run={report.dry_run} imported={report.imported}"
        )
        self.stdout.write(counts)
        for error in report.errors:
            where = _("row %(row)s") % {"row": error.row} if error.row else _("file")
            nip = f" (NIP {error.nip})" if error.nip else ""
            for problem in error.problems:
                self.stdout.write(f"  {where}{nip}: {problem}")
        if not report.errors:
            self.stdout.write(self.style.SUCCESS(report.message))
