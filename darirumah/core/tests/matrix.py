"""The format of the role × endpoint access matrix.

Each app lists its endpoints in `darirumah/<app>/tests/matrix_api.py` (a dict `API` keyed by
(method, path template as the OpenAPI document shows it)) and its pages in
`darirumah/<app>/tests/matrix_pages.py` (a dict `PAGES` keyed by URL name). The walker in
darirumah/tests/test_access_matrix.py fails when an endpoint or page exists without an entry.

Roles are the keys of `Cast.users()` in darirumah/conftest.py: pegawai, atasan, kepala_opd,
admin_opd, bkpsdm, pimpinan, kesehatan, operator, outsider (an employee of the other agency),
outsider_bkpsdm (BKPSDM of the other agency). Targets are objects of the first agency.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

ROLES = (
    "pegawai",
    "atasan",
    "kepala_opd",
    "admin_opd",
    "bkpsdm",
    "pimpinan",
    "kesehatan",
    "operator",
    "outsider",
    "outsider_bkpsdm",
)
EVERYONE = frozenset(ROLES)
INSIDERS = EVERYONE - {"outsider", "outsider_bkpsdm"}


@dataclass(frozen=True)
class Case:
    """How to call one endpoint or page, and who may.

    allowed: the roles that succeed (status in `ok`); every other role must get 403 or 404.
    path: builds the path parameters (API) or URL kwargs (pages) from the cast.
    body: builds the JSON body (API) or form data (pages) for a role; gets (cast, role).
    query: builds the query string parameters from the cast.
    files: builds multipart files (API uploads) for a role; gets (cast, role).
    """

    allowed: frozenset[str]
    path: Callable[[Any], dict] = field(default=lambda cast: {})
    body: Callable[[Any, str], dict] | None = None
    query: Callable[[Any], dict] = field(default=lambda cast: {})
    files: Callable[[Any, str], dict] | None = None
    ok: tuple[int, ...] = (200, 201, 204)
    denied: tuple[int, ...] = (403, 404)
    # Pages: a method other than GET (e.g. a POST-only action).
    method: str = "GET"
    # Open without logging in (document verification): anonymous callers get `ok` too.
    public: bool = False
