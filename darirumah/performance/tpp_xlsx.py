"""The monthly TPP list as an XLSX workbook (openpyxl): one sheet with a unit column, header
rows naming the agency, the month and the rounding rule, rupiah number formats and a totals
row. Values are written (not formulas), so any reader sees the same totals."""

from __future__ import annotations

import io
from collections.abc import Iterable
from datetime import date

import openpyxl
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import TppLine
from .rules.tpp import rounding_rule_text
from .selectors.tpp import MONEY_FIELDS

RUPIAH_FORMAT = '"Rp" #,##0'
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Rows above the column headers: agency, month, rounding rule, generated, an empty line.
HEADER_ROWS = 5


def money_labels() -> dict[str, str]:
    return {
        "base": _("Monthly allowance"),
        "performance_part": _("Performance part"),
        "discipline_part": _("Discipline part"),
        "performance_amount": _("Performance paid"),
        "late_deduction": _("Late arrival deduction"),
        "early_leave_deduction": _("Early leave deduction"),
        "absence_deduction": _("Absence deduction"),
        "discipline_amount": _("Discipline paid"),
        "sanction_cut": _("Sanction cut"),
        "net": _("Net allowance"),
    }


def columns() -> list[str]:
    labels = money_labels()
    return [
        _("Unit"),
        _("NIP"),
        _("Name"),
        _("Job class"),
        _("Working days"),
        _("Days counted as worked"),
        _("Evaluation score"),
        *[labels[name] for name in MONEY_FIELDS],
        _("Problem"),
    ]


def _score(line: TppLine):
    evaluation = line.breakdown.get("evaluation") or {}
    if evaluation.get("awaiting", True):
        return _("awaiting")
    return float(evaluation["score"]) if evaluation.get("score") is not None else None


def build(
    *, agency_name: str, period: date, lines: Iterable[TppLine], generated: str = ""
) -> bytes:
    """The workbook's bytes."""
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_("TPP %(month)s") % {"month": period.strftime("%Y-%m")})
    bold = Font(bold=True)

    def text(value, strong=False):
        cell = WriteOnlyCell(sheet, value=value)
        if strong:
            cell.font = bold
        return cell

    def money(value, strong=False):
        cell = WriteOnlyCell(sheet, value=int(value))
        cell.number_format = RUPIAH_FORMAT
        if strong:
            cell.font = bold
        return cell

    sheet.append([text(_("TPP allowance"), True), text(agency_name, True)])
    sheet.append([text(_("Month")), text(date_format(period, "F Y"))])
    sheet.append([text(_("Rounding")), text(rounding_rule_text())])
    sheet.append([text(_("Generated")), text(generated)])
    sheet.append([])
    sheet.append([text(name, True) for name in columns()])
    totals = dict.fromkeys(MONEY_FIELDS, 0)
    count = 0
    for line in lines:
        count += 1
        for name in MONEY_FIELDS:
            totals[name] += getattr(line, name)
        sheet.append(
            [
                text(line.unit.name),
                text(line.employee.nip),
                text(line.employee.name),
                text(line.job_class),
                text(line.working_days),
                text(line.worked_days),
                text(_score(line)),
                *[money(getattr(line, name)) for name in MONEY_FIELDS],
                text(line.problem),
            ]
        )
    sheet.append(
        [
            text(_("Total"), True),
            text(""),
            text(ngettext("%(n)d person", "%(n)d people", count) % {"n": count}, True),
            text(""),
            text(""),
            text(""),
            text(""),
            *[money(totals[name], True) for name in MONEY_FIELDS],
            text(""),
        ]
    )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def filename(period: date, unit_code: str | None = None) -> str:
    suffix = f"-{unit_code}" if unit_code else ""
    safe = "".join(c for c in suffix if c.isalnum() or c in "-_")
    return f"tpp-{period.strftime('%Y-%m')}{safe}.xlsx"
