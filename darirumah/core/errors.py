"""Errors a person can act on. Services raise these; the API and pages turn them into messages.

An API error is always JSON `{"error": {"code", "message", "fields"}}` with a 4xx status.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError


class DomainError(Exception):
    """A refused action: `code` for programs, `message` for people, `fields` per input field."""

    status = 400
    code = "invalid"

    def __init__(self, message: str, *, code: str | None = None, fields: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        if code:
            self.code = code
        self.fields = {k: [str(m) for m in v] for k, v in (fields or {}).items()}

    def as_dict(self) -> dict:
        return {"error": {"code": self.code, "message": self.message, "fields": self.fields}}


class NotAllowed(DomainError):
    status = 403
    code = "forbidden"


class NotFound(DomainError):
    status = 404
    code = "not_found"


class Conflict(DomainError):
    status = 409
    code = "conflict"


def from_django_validation(exc: DjangoValidationError, message: str) -> DomainError:
    """A DomainError carrying a model's full_clean() errors per field."""
    if hasattr(exc, "error_dict"):
        fields = {k: [m for e in v for m in e.messages] for k, v in exc.error_dict.items()}
    else:
        fields = {"__all__": list(exc.messages)}
    all_messages = fields.get("__all__") or fields.get("non_field_errors")
    if all_messages and len(fields) == 1:
        message = f"{message}: {all_messages[0]}"
    return DomainError(message, code="invalid", fields=fields)
