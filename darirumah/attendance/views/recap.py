"""Recap pages: BKPSDM's inbox of the OPDs' daily recaps with charts, one recap (sent by its OPD
with a note), and the day's XLSX export. Scope rules are shared with the API (api/recap.py)."""

from __future__ import annotations

import io
from datetime import date

import openpyxl
from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from darirumah.core.calendar import calendar_for
from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Agency
from darirumah.org.views.common import add_domain_errors, chosen_agency, page, person_name
from darirumah.roster.models import Mode

from .. import recap_pdf
from ..models import DailyRecap
from ..selectors_recap import own_opds, reads_all_recaps, recap_rows, visible_recap
from ..selectors_recap import recap_inbox as inbox_rows
from ..services import recap as services

# The counted figures, in the order the table, the detail and the export show them.
COUNTS = ("staff", "present", "late", "absent", "excused", "not_recorded", "unplanned")
VICON = ("present", "absent", "excused")


def count_labels() -> dict[str, str]:
    return {
        "staff": _("Staff"),
        "present": _("Present"),
        "late": _("Late"),
        "absent": _("Absent"),
        "excused": _("Excused"),
        "not_recorded": _("Not recorded"),
        "unplanned": _("Not in the roster"),
    }


def _day(request, agency: Agency) -> date:
    today = calendar_for(agency).today()
    raw = request.GET.get("date") or request.POST.get("date")
    if not raw:
        return today
    try:
        return date.fromisoformat(raw)
    except ValueError:
        messages.error(request, _("Give the date as YYYY-MM-DD."))
        return today


def _inbox_url(agency: Agency, day: date, access: Access) -> str:
    query = {"date": day.isoformat()}
    if access.agency_id != agency.pk:
        query["agency"] = agency.pk
    return reverse("recap_inbox") + "?" + urlencode(query)


def _totals(recaps: list[DailyRecap]) -> dict:
    totals = {key: sum(r.figures.get(key, 0) for r in recaps) for key in COUNTS}
    totals["vicon"] = {
        key: sum(r.figures.get("vicon", {}).get(key, 0) for r in recaps) for key in VICON
    }
    return totals


def _mode_totals(recaps: list[DailyRecap]) -> list[tuple[str, int]]:
    """(label, staff) per roster mode over the given recaps, with the unplanned last."""
    counts = {m.value: 0 for m in Mode}
    for r in recaps:
        for mode, n in r.figures.get("by_mode", {}).items():
            counts[mode] = counts.get(mode, 0) + n
    labels = dict(Mode.choices)
    out = [(str(labels.get(mode, mode)), n) for mode, n in counts.items()]
    out.append((_("Not in the roster"), sum(r.figures.get("unplanned", 0) for r in recaps)))
    return out


@page
def recap_inbox(request, access: Access):
    """The OPDs' recaps of a day: those not sent first, figures per OPD, totals and charts."""
    agency = chosen_agency(request, access)
    agencies = access.agencies().order_by("name") if access.is_operator else None
    if agency is None:  # a platform operator picks an agency first
        return render(
            request, "attendance/recap_inbox.html", {"agency": None, "agencies": agencies}
        )
    day = _day(request, agency)
    rows = sorted(recap_rows(access, agency, day), key=lambda r: (r["sent"], r["unit"].name))
    cal = calendar_for(agency, years=[day.year - 1, day.year, day.year + 1])
    for row in rows:
        recap = row["recap"]
        row["sent_local"] = cal.now(recap.sent_at) if recap and recap.sent_at else None
    recaps = [r["recap"] for r in rows if r["recap"] is not None]
    export_query = urlencode({"date": day.isoformat(), "agency": agency.pk})
    chart = {
        "labels": [r["unit"].name for r in rows if r["recap"] is not None],
        "series": [
            {
                "key": key,
                "label": count_labels()[key],
                "data": [r.figures.get(key, 0) for r in recaps],
            }
            for key in ("present", "late", "absent", "excused")
        ],
        "modes": [{"label": label, "value": n} for label, n in _mode_totals(recaps)],
    }
    return render(
        request,
        "attendance/recap_inbox.html",
        {
            "agency": agency,
            "agencies": agencies,
            "day": day,
            "rows": rows,
            "missing": sum(1 for r in rows if not r["sent"]),
            "produced": bool(recaps),
            "totals": _totals(recaps),
            "chart": chart,
            "working_day": cal.is_working_day(day),
            "day_off_reason": cal.day_off_reason(day),
            "previous_url": _inbox_url(agency, cal.previous_working_day(day), access),
            "next_url": _inbox_url(agency, cal.next_working_day(day), access),
            "reads_all": reads_all_recaps(access, agency),
            "export_url": reverse("recap_export") + "?" + export_query,
            "pdf_url": reverse("recap_export_pdf") + "?" + export_query,
        },
    )


class SendForm(BootstrapForm):
    note = forms.CharField(
        label=gettext_lazy("Note for BKPSDM"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


@page
def recap_detail(request, access: Access, pk: int):
    """One OPD's recap; its admin sends it to BKPSDM with a note. BKPSDM opening it reads it."""
    recap = visible_recap(access, pk)
    may_send = (
        recap.sent_at is None
        and any(u.pk == recap.unit_id for u in own_opds(access, recap.agency))
        and services.may_send(access, recap)
    )
    form = SendForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.recap_send(access=access, recap=recap, note=form.cleaned_data["note"])
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            add_domain_errors(form, exc)
        else:
            messages.success(request, _("The recap was sent to BKPSDM."))
            return redirect("recap_detail", pk=recap.pk)
    services.recap_mark_read(access=access, recap=recap)
    cal = calendar_for(recap.agency)
    figures = recap.figures
    labels = count_labels()
    return render(
        request,
        "attendance/recap_detail.html",
        {
            "recap": recap,
            # The unplanned show in the table of modes.
            "counts": [(labels[k], figures.get(k, 0)) for k in COUNTS if k != "unplanned"],
            "modes": _mode_totals([recap]),
            "vicon": figures.get("vicon", {}),
            "reports_submitted": figures.get("reports_submitted"),
            "produced_local": cal.now(recap.produced_at),
            "sent_local": cal.now(recap.sent_at) if recap.sent_at else None,
            "read_local": cal.now(recap.read_by_bkpsdm_at) if recap.read_by_bkpsdm_at else None,
            "sent_by": person_name(recap.sent_by),
            "may_send": may_send,
            "form": form,
            "inbox_url": _inbox_url(recap.agency, recap.date, access),
        },
        status=400 if form.errors else 200,
    )


def export_columns() -> list[str]:
    labels = count_labels()
    return [
        _("OPD code"),
        _("OPD"),
        _("Date"),
        _("Status"),
        _("Sent at"),
        _("Note from the OPD"),
        *[labels[key] for key in COUNTS],
        *[str(label) for label in Mode.labels],
        _("Video call: present"),
        _("Video call: absent"),
        _("Video call: excused"),
        _("Daily reports submitted"),
    ]


def export_row(row: dict, cal) -> dict:
    """One OPD's figures for the exports (XLSX and PDF): None where its recap is not produced
    yet; `sent` is the sending time in the agency's zone."""
    recap = row["recap"]
    figures = recap.figures if recap else {}
    if recap is None:
        status = _("Not produced yet")
    elif recap.sent_at:
        status = _("Sent")
    else:
        status = _("Not sent yet")
    by_mode = figures.get("by_mode", {})
    vicon = figures.get("vicon", {})
    return {
        "code": row["unit"].code,
        "name": row["unit"].name,
        "status": status,
        "sent": cal.now(recap.sent_at) if recap and recap.sent_at else None,
        "note": recap.note if recap else "",
        "counts": {key: figures.get(key) for key in COUNTS},
        "by_mode": {mode: by_mode.get(mode, 0) if recap else None for mode in Mode.values},
        "vicon": {key: vicon.get(key) for key in VICON},
        "reports_submitted": figures.get("reports_submitted"),
    }


def _export_rows(request, access: Access) -> tuple[Agency, date, list[dict]]:
    """The agency, the day and every OPD's export row (BKPSDM and the operator only)."""
    agency = chosen_agency(request, access)
    if agency is None:
        raise Http404(_("Choose an agency."))
    day = _day(request, agency)
    cal = calendar_for(agency, years=[day.year - 1, day.year, day.year + 1])
    rows = inbox_rows(access=access, agency=agency, day=day)
    return agency, day, [export_row(row, cal) for row in rows]


@page
def recap_export(request, access: Access):
    """The day's recaps as XLSX, one row per OPD with every figure (BKPSDM and the operator)."""
    _agency, day, rows = _export_rows(request, access)
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet(_("Recap"))
    sheet.append(export_columns())
    for row in rows:
        sheet.append(
            [
                row["code"],
                row["name"],
                day,
                row["status"],
                row["sent"].replace(tzinfo=None) if row["sent"] else None,
                row["note"],
                *row["counts"].values(),
                *row["by_mode"].values(),
                *row["vicon"].values(),
                row["reports_submitted"],
            ]
        )
    out = io.BytesIO()
    book.save(out)
    response = HttpResponse(
        out.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="recap-{day.isoformat()}.xlsx"'
    return response


PDF_COUNTS = ("present", "late", "absent", "excused", "not_recorded")


def pdf_columns() -> list[str]:
    labels = count_labels()
    return [
        _("OPD"),
        labels["staff"],
        *[str(label) for label in Mode.labels],
        labels["unplanned"],
        *[labels[key] for key in PDF_COUNTS],
        _("Video call: present"),
        _("Sent at"),
    ]


def pdf_row(row: dict, day: date) -> list:
    """An export row as the PDF's cells: the OPD, its figures, and when it was sent."""
    sent = row["sent"]
    if sent is None:
        sent_text = row["status"]
    elif sent.date() == day:
        sent_text = date_format(sent, "H:i")
    else:
        sent_text = date_format(sent, "j M H:i")
    counts = row["counts"]
    return [
        row["name"],
        counts["staff"],
        *row["by_mode"].values(),
        counts["unplanned"],
        *[counts[key] for key in PDF_COUNTS],
        row["vicon"]["present"],
        sent_text,
    ]


def letterhead(agency: Agency) -> recap_pdf.Letterhead:
    """The agency's letterhead as on its page: title (or name), subtitle, address, contacts."""
    contacts = " \u00b7 ".join(
        part
        for part in (
            agency.address,
            _("Phone %(phone)s") % {"phone": agency.phone} if agency.phone else "",
            agency.email,
            agency.website,
        )
        if part
    )
    title = agency.letterhead_title or agency.name
    lines = [agency.letterhead_subtitle]
    if agency.letterhead_title and agency.letterhead_title.casefold() != agency.name.casefold():
        lines.insert(0, agency.name)
    if contacts != agency.letterhead_subtitle:
        lines.append(contacts)
    return recap_pdf.Letterhead(title=title.upper(), lines=[line for line in lines if line])


@page
def recap_export_pdf(request, access: Access):
    """The day's recaps as an A4 landscape PDF under the agency's letterhead (same access as
    the XLSX export)."""
    agency, day, rows = _export_rows(request, access)
    cells = [pdf_row(row, day) for row in rows]
    now = calendar_for(agency).now()
    document = recap_pdf.RecapDocument(
        letterhead=letterhead(agency),
        title=_("OPD daily recap"),
        subtitle=date_format(day, "l, j F Y"),
        columns=pdf_columns(),
        rows=cells,
        totals=recap_pdf.totals_row(_("Total"), cells),
        footer=_("Generated on %(time)s %(zone)s")
        % {"time": date_format(now, "j F Y H:i"), "zone": agency.zone},
        page_label=_("Page %(page)s"),
        empty_text=_("No OPD."),
    )
    response = HttpResponse(recap_pdf.build_recap_pdf(document), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="recap-{day.isoformat()}.pdf"'
    return response


urlpatterns = [
    path("recaps/", recap_inbox, name="recap_inbox"),
    path("recaps/export.xlsx", recap_export, name="recap_export"),
    path("recaps/export.pdf", recap_export_pdf, name="recap_export_pdf"),
    path("recaps/<int:pk>/", recap_detail, name="recap_detail"),
]
