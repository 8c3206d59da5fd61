"""The import as one action: check access, read, check every row, then write all or nothing."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import DatabaseError, IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from darirumah.core.calendar import AgencyCalendar
from darirumah.org.access import Access
from darirumah.org.models import Agency

from . import planning, writing
from .columns import map_columns
from .reading import FileProblem, read_table
from .report import ImportReport, RowError
from .rows import Context, parse_rows

DEFAULT_MAX_ROWS = 20_000
logger = logging.getLogger(__name__)


def import_employees(
    *, access: Access, agency: Agency, upload, filename: str, dry_run: bool
) -> ImportReport:
    """Import units and employees of `agency` from a CSV or XLSX upload.

    `upload` is a file object (an uploaded file, an open file) or bytes; its kind is judged by
    its content, so `filename` is only a label. With errors nothing is written and the report
    names every bad row; with `dry_run` nothing is written either way.
    """
    access.require(
        access.can_import(agency.pk),
        _("Only BKPSDM of this agency (or the platform operator) can import employees."),
    )
    report = ImportReport(dry_run=dry_run)
    max_rows = getattr(settings, "IMPORT_MAX_ROWS", DEFAULT_MAX_ROWS)
    try:
        table = read_table(upload, max_bytes=settings.IMPORT_MAX_BYTES, max_rows=max_rows)
        columns = map_columns(table)
    except FileProblem as exc:
        return report.fail(exc.message, row=exc.row)
    # "Today" in the agency's zone decides whether a NIP's appointment month is in the future.
    ctx = Context(columns, today=AgencyCalendar(zone=agency.zone).today(), is_xlsx=table.is_xlsx)
    rows = parse_rows(table, ctx)
    if not rows:
        return report.fail(_("The file has no data rows in the columns of the template."))
    plan = planning.build(agency, rows, ctx)
    report.rows = len(plan.rows)
    if plan.bad_rows:
        return _refused(report, plan)
    _count(report, plan)
    if not dry_run:
        try:
            writing.apply(plan, actor=access.user)
        except IntegrityError:
            # Someone changed the same data between our checks and the write; the transaction
            # has rolled back, so nothing is half-written.
            return report.fail(
                _(
                    "The data changed while the file was being imported, so nothing was "
                    "imported. Upload the file again."
                )
            )
        except DatabaseError:
            # A value our checks let through but the database refuses is our bug, not the
            # officer's: log it for us, tell them plainly, and keep the all-or-nothing promise.
            logger.exception("import into agency %s failed while writing", agency.pk)
            return report.fail(
                _(
                    "The database refused the data, so nothing was imported. Please report "
                    "this to the platform operator with the file."
                )
            )
    report.message = _summary(report, plan)
    return report


def _refused(report: ImportReport, plan: planning.Plan) -> ImportReport:
    bad = plan.bad_rows
    report.errors = [
        RowError(row=r.number, nip=r.nip or r.raw_nip, problems=r.problems) for r in bad
    ]
    report.message = ngettext(
        "Nothing was imported: %(n)s row has problems. Correct it and upload the file again.",
        "Nothing was imported: %(n)s rows have problems. Correct them and upload the file again.",
        len(bad),
    ) % {"n": len(bad)}
    return report


def _count(report: ImportReport, plan: planning.Plan) -> None:
    rows = plan.employee_rows
    report.created = sum(1 for r in rows if r.existing is None)
    report.updated = sum(1 for r in rows if r.existing is not None and r.changes)
    report.units_created = sum(1 for u in plan.units.values() if u.existing is None)
    report.units_updated = sum(1 for u in plan.units.values() if u.existing and u.changes)


def _summary(report: ImportReport, plan: planning.Plan) -> str:
    values = {
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
        "same": len(plan.employee_rows) - report.created - report.updated,
        "units_created": report.units_created,
        "units_updated": report.units_updated,
    }
    if report.dry_run:
        message = _(
            "Check passed, nothing written yet. Rows ready: %(rows)s. Employees to add: "
            "%(created)s, to update: %(updated)s, unchanged: %(same)s. Units to add: "
            "%(units_created)s, to update: %(units_updated)s."
        )
    else:
        message = _(
            "Import done. Rows: %(rows)s. Employees added: %(created)s, updated: %(updated)s, "
            "unchanged: %(same)s. Units added: %(units_created)s, updated: %(units_updated)s."
        )
    message %= values
    if plan.ctx.columns.ignored:
        message += " " + _("Columns not used: %(cols)s.") % {
            "cols": ", ".join(plan.ctx.columns.ignored)
        }
    return message
