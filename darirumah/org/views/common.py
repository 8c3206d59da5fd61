"""What every page shares: the access wrapper, form errors from services, history rows."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import Http404
from django.utils.translation import gettext as _

from darirumah.core.errors import DomainError, NotAllowed, NotFound

from ..access import Access, access_for, get_visible
from ..models import Agency

HISTORY_LIMIT = 30


def page(view):
    """A logged-in page that gets the caller's Access as its second argument.

    NotFound from access or a service becomes the 404 page, NotAllowed the 403 page: outside the
    caller's scope an object does not exist; inside it, a refused action is forbidden.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, access_for(request.user), *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from exc
        except NotAllowed as exc:
            raise PermissionDenied(exc.message) from exc

    return wrapper


def deny(allowed: bool, message: str | None = None) -> None:
    """Stop with the 403 page unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message or _("You do not have permission to do this."))


def posted(request, *, files: bool = False):
    """The submitted data for a bound form on POST (even when empty), None otherwise."""
    if request.method != "POST":
        return None
    return request.FILES if files else request.POST


def visible_or_404(queryset: models.QuerySet, pk):
    """The object from a scoped queryset, or the 404 page (see access.get_visible)."""
    try:
        return get_visible(queryset, pk)
    except NotFound as exc:
        raise Http404(exc.message) from exc


def add_domain_errors(form, exc: DomainError, *, aliases: dict[str, str] | None = None) -> None:
    """Put a service's refusal on the form: its message on top, per-field messages on their fields.

    NotAllowed and NotFound are not form problems: callers let them through to the 403/404 pages.
    `aliases` maps a model field to the form field that carries it (e.g. birth_date → nip).
    """
    aliases = aliases or {}
    form.add_error(None, exc.message)
    for name, messages in exc.fields.items():
        target = aliases.get(name, name)
        for message in messages:
            if target in form.fields:
                form.add_error(target, message)
            elif target in ("__all__", "non_field_errors"):
                if message not in exc.message:
                    form.add_error(None, message)
            else:
                form.add_error(None, f"{target}: {message}")


# --- agencies ------------------------------------------------------------------------------


def home_agency(access: Access) -> Agency | None:
    """The caller's own agency (None for a platform operator without one)."""
    if access.agency_id is None:
        return None
    return Agency.objects.filter(pk=access.agency_id).first()


def chosen_agency(request, access: Access) -> Agency | None:
    """The agency a page is about: `?agency=` among those visible, else the caller's own.

    An operator without an agency of their own gets None when none is chosen (they pick one).
    """
    raw = request.GET.get("agency") or request.POST.get("agency")
    if raw:
        try:
            pk = int(raw)
        except ValueError:
            raise Http404(_("Not found, or not visible to you.")) from None
        return visible_or_404(access.agencies(), pk)
    return home_agency(access)


# --- audit history -------------------------------------------------------------------------


@dataclass
class Change:
    label: str
    old: Any
    new: Any


@dataclass
class HistoryRow:
    when: datetime
    who: str | None
    kind: str
    changes: list[Change]


def person_name(user) -> str | None:
    """How a login is named to people: the employee's name, else the account's name."""
    if user is None:
        return None
    employee = getattr(user, "employee", None)
    if employee is not None:
        return employee.name
    return user.get_full_name() or user.get_username()


def _display(field, value, related: dict) -> Any:
    if value is None or value == "":
        return "—"
    if isinstance(field, models.ManyToManyField):
        key = field.m2m_reverse_field_name()
        names = [str(related.get((field.related_model, item[key]), item[key])) for item in value]
        return ", ".join(names) or "—"
    if isinstance(field, models.ForeignKey):
        obj = related.get((field.related_model, value))
        return str(obj) if obj is not None else _("(removed, #%(pk)s)") % {"pk": value}
    if field.choices:
        return dict(field.flatchoices).get(value, value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return value


def history_rows(obj, *, limit: int = HISTORY_LIMIT) -> list[HistoryRow]:
    """The object's audit trail, newest first, each change with its fields' old and new values."""
    records = list(
        obj.history.select_related("history_user__employee").order_by(
            "-history_date", "-history_id"
        )[: limit + 1]
    )
    kinds = {"+": _("created"), "~": _("changed"), "-": _("deleted")}
    model = type(obj)
    deltas = []
    for i, record in enumerate(records[:limit]):
        previous = records[i + 1] if i + 1 < len(records) else None
        if previous is not None and record.history_type == "~":
            deltas.append((record, record.diff_against(previous).changes))
        else:
            deltas.append((record, []))
    # Resolve every foreign key named in the changes in one query per related model.
    wanted: dict[type, set] = {}
    for _record, changes in deltas:
        for change in changes:
            field = model._meta.get_field(change.field)
            if isinstance(field, models.ManyToManyField):
                key = field.m2m_reverse_field_name()
                for value in (change.old, change.new):
                    for item in value or []:
                        wanted.setdefault(field.related_model, set()).add(item[key])
            elif isinstance(field, models.ForeignKey):
                for value in (change.old, change.new):
                    if value is not None:
                        wanted.setdefault(field.related_model, set()).add(value)
    related = {
        (related_model, o.pk): o
        for related_model, pks in wanted.items()
        for o in related_model._base_manager.filter(pk__in=pks)
    }
    rows = []
    for record, changes in deltas:
        shown = []
        for change in changes:
            field = model._meta.get_field(change.field)
            shown.append(
                Change(
                    label=str(field.verbose_name),
                    old=_display(field, change.old, related),
                    new=_display(field, change.new, related),
                )
            )
        rows.append(
            HistoryRow(
                when=record.history_date,
                who=person_name(record.history_user),
                kind=kinds.get(record.history_type, record.history_type),
                changes=shown,
            )
        )
    return rows
