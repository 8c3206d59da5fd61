"""The inbox page: the caller's notices, unread ones first in the eye, and marking them read."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from darirumah.org.access import Access
from darirumah.org.views.common import page, visible_or_404

from . import selectors, services


def _unread_only(request) -> bool:
    return request.GET.get("unread") in ("1", "true", "on")


@page
def notification_list(request, access: Access):
    unread = _unread_only(request)
    page_obj = selectors.notification_page(
        access=access, page=request.GET.get("page"), unread=unread
    )
    context = {
        "page_obj": page_obj,
        "notifications": page_obj.object_list,
        "unread_only": unread,
        "unread_count": selectors.unread_count(access=access),
    }
    return render(request, "notify/notification_list.html", context)


@require_POST
@page
def notification_read(request, access: Access, pk: int):
    """Mark one notice read; with `open`, go on to where it points."""
    target = visible_or_404(selectors.notifications_for(access=access), pk)
    services.mark_read(access=access, ids=[target.pk])
    if request.POST.get("open") and target.link and services.is_local_link(target.link):
        return redirect(target.link)
    return redirect("notification_list")


@require_POST
@page
def notification_read_all(request, access: Access):
    marked = services.mark_read(access=access, ids="all")
    if marked:
        messages.success(
            request,
            ngettext(
                "%(n)s notification marked as read.",
                "%(n)s notifications marked as read.",
                marked,
            )
            % {"n": marked},
        )
    else:
        messages.info(request, _("Nothing was unread."))
    return redirect("notification_list")
