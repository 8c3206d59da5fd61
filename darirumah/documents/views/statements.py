"""The statement letters of a circular (R25): how many have signed, and who has not, for the
OPD head and BKPSDM; BKPSDM and pimpinan make the missing letters (staff who joined since)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from darirumah.core.errors import DomainError, NotAllowed, NotFound
from darirumah.org.access import Access
from darirumah.org.forms import BootstrapForm
from darirumah.org.models import Unit
from darirumah.org.views.common import deny, page, visible_or_404
from darirumah.policy.models import Circular

from ..models import Document
from ..selectors import statements as selectors
from ..services import statements as services
from . import common

UNSIGNED, SIGNED, ALL = "unsigned", "signed", "all"
ROW_CSS = {"signed": "success", "pending": "warning", "missing": "danger"}


def _circulars(access: Access):
    return Circular.objects.filter(agency__in=access.agencies())


class FilterForm(BootstrapForm):
    status = forms.ChoiceField(label=gettext_lazy("Show"), required=False)
    unit = forms.ModelChoiceField(label=gettext_lazy("Unit"), queryset=None, required=False)

    def __init__(self, *args, agency_id: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (UNSIGNED, _("Not signed yet")),
            (SIGNED, _("Signed")),
            (ALL, _("Everyone")),
        ]
        self.fields["unit"].queryset = Unit.objects.filter(
            agency_id=agency_id, is_active=True
        ).order_by("path")
        self.fields["unit"].empty_label = _("All units")


@page
def statement_index(request, access: Access):
    """The circulars, in force first, each leading to its statement letters."""
    deny(access.is_operator or access.agency_id is not None)
    rows = sorted(
        _circulars(access).select_related("agency")[:200],
        key=lambda c: (c.status not in Circular.IN_FORCE, -c.starts_on.toordinal(), -c.pk),
    )
    return render(
        request,
        "documents/statement_index.html",
        {"circulars": rows, "in_force": Circular.IN_FORCE},
    )


@page
def statement_list(request, access: Access, circular_id: int):
    circular = visible_or_404(_circulars(access).select_related("agency"), circular_id)
    data = request.GET.copy()
    data.setdefault("status", UNSIGNED)
    form = FilterForm(data, agency_id=circular.agency_id)
    filters = form.cleaned_data if form.is_valid() else {"status": UNSIGNED}
    unit = filters.get("unit")
    status = filters.get("status") or UNSIGNED
    rows = selectors.statement_rows(
        access=access, circular=circular, status=status if status == SIGNED else "", unit=unit
    )
    if status == UNSIGNED:
        # Filtered here rather than with status="unsigned": the selector's exclude() drops the
        # people without a letter (NULL), who are the first the head must see.
        rows = rows.filter(
            Q(statement_status__isnull=True) | Q(statement_status=Document.Status.PENDING)
        )
    page_obj = Paginator(rows, common.PAGE_SIZE).get_page(request.GET.get("page"))
    people = list(page_obj.object_list)
    for person in people:
        person.letter_status = person.statement_status or "missing"
        person.letter_css = ROW_CSS.get(person.letter_status, "light")
    return render(
        request,
        "documents/statements.html",
        {
            "circular": circular,
            "form": form,
            "page_obj": page_obj,
            "people": people,
            "counts": selectors.statement_counts(access=access, circular=circular, unit=unit),
            "in_force": circular.status in Circular.IN_FORCE,
            "may_generate": access.decides_policy(circular.agency_id),
        },
    )


@require_POST
@page
def statement_generate(request, access: Access, circular_id: int):
    circular = visible_or_404(_circulars(access).select_related("agency"), circular_id)
    try:
        made = services.statements_request(access=access, circular=circular)
    except (NotAllowed, NotFound):
        raise
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if made:
            messages.success(
                request,
                ngettext(
                    "%(n)d statement letter made; each person is told to sign it.",
                    "%(n)d statement letters made; each person is told to sign theirs.",
                    made,
                )
                % {"n": made},
            )
        else:
            messages.info(request, _("Every person the circular covers already has a letter."))
    return redirect("documents-statements", circular_id=circular.pk)


urlpatterns = [
    path("statements/", statement_index, name="documents-statements-index"),
    path("statements/<int:circular_id>/", statement_list, name="documents-statements"),
    path(
        "statements/<int:circular_id>/generate/",
        statement_generate,
        name="documents-statements-generate",
    ),
]
