"""The employee import page (BKPSDM and the platform operator) and its template downloads."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from darirumah.core.errors import DomainError, NotAllowed, NotFound

from .. import imports
from ..access import Access
from ..forms import ImportForm
from .common import chosen_agency, deny, page, posted

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _may_import(access: Access) -> bool:
    return access.is_operator or access.can_import(access.agency_id)


@page
def employee_import(request, access: Access):
    deny(_may_import(access), _("Only BKPSDM can import employees."))
    agency = chosen_agency(request, access)
    form = ImportForm(posted(request), posted(request, files=True), access=access, agency=agency)
    report = None
    if request.method == "POST" and form.is_valid():
        target = form.cleaned_data.get("agency") or agency
        deny(
            target is not None and access.can_import(target.pk),
            _("Only BKPSDM can import employees."),
        )
        upload = form.cleaned_data["file"]
        try:
            report = imports.import_employees(
                access=access,
                agency=target,
                upload=upload,
                filename=upload.name or "",
                dry_run=form.cleaned_data["dry_run"],
            )
        except (NotAllowed, NotFound):
            raise
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            if report.imported:
                messages.success(request, _("The import is done."))
            agency = target
    return render(request, "org/import.html", {"form": form, "report": report, "agency": agency})


@page
def import_template(request, access: Access, fmt: str):
    """The empty import template, as an attachment."""
    deny(_may_import(access), _("Only BKPSDM can import employees."))
    if fmt == "xlsx":
        content, content_type = imports.template_xlsx(), XLSX_TYPE
    elif fmt == "csv":
        content = imports.template_csv()
        if isinstance(content, str):
            # With the byte-order mark Excel opens the file as UTF-8 (names keep their letters).
            content = content.encode("utf-8" if content.startswith("\ufeff") else "utf-8-sig")
        content_type = "text/csv; charset=utf-8"
    else:
        raise Http404(_("Not found, or not visible to you."))
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="darirumah-pegawai.{fmt}"'
    return response
