"""The public JSON API (v1): one NinjaAPI mounting each app's router.

Auth is a personal token (`Authorization: Bearer drt_…`) or the web session (with CSRF).
Every error is `{"error": {"code", "message", "fields"}}` with a 4xx status.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from darirumah.core.errors import DomainError, from_django_validation
from darirumah.org.services import token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request, token):
        user = token_authenticate(token)
        if user is not None:
            request.user = user
        return user


class SessionAuth(APIKeyCookie):
    """The browser session; unsafe methods need the CSRF token like any form."""

    param_name = "sessionid"

    def __init__(self):
        super().__init__(csrf=True)

    def authenticate(self, request, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(
    title="DariRumah API",
    version="1.0.0",
    description="Work-from-home and flexible work for Indonesian civil servants (ASN).",
    urls_namespace="api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url="/docs",
    openapi_url="/openapi.json",
)


def _error(request, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request,
        {"error": {"code": code, "message": message, "fields": fields or {}}},
        status=status,
    )


@api.exception_handler(DomainError)
def on_domain_error(request, exc: DomainError):
    return _error(request, exc.status, exc.code, exc.message, exc.fields)


@api.exception_handler(DjangoValidationError)
def on_django_validation(request, exc):
    err = from_django_validation(exc, _("The input is not valid"))
    return _error(request, 400, err.code, err.message, err.fields)


@api.exception_handler(NinjaValidationError)
def on_validation(request, exc: NinjaValidationError):
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        loc = [str(p) for p in item.get("loc", []) if p not in ("body", "query", "path", "form")]
        key = ".".join(loc[1:] if loc and loc[0] == "payload" else loc) or "__all__"
        fields.setdefault(key, []).append(item.get("msg", ""))
    message = _("The input is not valid: %(f)s.") % {"f": ", ".join(sorted(fields))}
    return _error(request, 422, "invalid", message, fields)


@api.exception_handler(AuthenticationError)
def on_auth(request, exc):
    return _error(
        request,
        401,
        "unauthenticated",
        _("Log in, or send a personal token as 'Authorization: Bearer <token>'."),
    )


@api.exception_handler(PermissionDenied)
def on_forbidden(request, exc):
    return _error(request, 403, "forbidden", _("You do not have permission to do this."))


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return _error(request, 404, "not_found", _("Not found, or not visible to you."))


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    if exc.status_code == 400:  # ninja's own: the body is not valid JSON or form data
        message = _("The request body cannot be read: send valid JSON (or multipart for files).")
        return _error(request, 400, "bad_request", message)
    return _error(request, exc.status_code, "error", str(exc))


def _mount():
    from darirumah.attendance.api import routers as attendance_routers
    from darirumah.documents.api import router as documents_router
    from darirumah.health.api import router as health_router
    from darirumah.jobs.api import router as jobs_router
    from darirumah.notify.api import router as notify_router
    from darirumah.org.api import router as org_router
    from darirumah.performance.api import router as performance_router
    from darirumah.policy.api import router as policy_router
    from darirumah.roster.api import router as roster_router

    api.add_router("", org_router)
    api.add_router("", policy_router)
    api.add_router("", roster_router)
    for router in attendance_routers:
        api.add_router("", router)
    api.add_router("", performance_router)
    api.add_router("", health_router)
    api.add_router("", documents_router)
    api.add_router("", notify_router)
    api.add_router("", jobs_router)


_mount()
