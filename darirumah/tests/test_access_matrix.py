"""Every API endpoint and every page, with every role and with users of another agency.

The matrices live beside each app (`darirumah/<app>/tests/matrix_api.py` with `API`,
`matrix_pages.py` with `PAGES`; the format is darirumah/core/tests/matrix.py). An endpoint or page
added without an entry fails `test_every_*_is_in_the_matrix`, so new endpoints join automatically.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import types

import pytest
from django.conf import settings
from django.test import Client, override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls import path as url_path

import darirumah
from darirumah.api import api
from darirumah.core.tests.matrix import ROLES, Case

# URL prefixes that are not our pages: the admin (Django's own staff checks), the API (walked
# through its OpenAPI document), the language switch and static files.
NOT_PAGES = ("admin/", "api/", "i18n/", "static/", "media/")
# Pages anyone may open without logging in.
PUBLIC_PAGES = {"login"}


def _load(kind: str) -> dict:
    merged: dict = {}
    for app in settings.INSTALLED_APPS:
        if not app.startswith("darirumah."):
            continue
        try:
            module = importlib.import_module(f"{app}.tests.matrix_{kind}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app}.tests.matrix_{kind}":
                raise
            continue
        entries = getattr(module, kind.upper())
        overlap = set(merged) & set(entries)
        assert not overlap, f"listed twice: {overlap}"
        merged.update(entries)
    return merged


def api_operations(ninja_api=api) -> set[tuple[str, str]]:
    schema = ninja_api.get_openapi_schema()
    return {
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
        if method in {"get", "post", "put", "patch", "delete"}
    }


def _walk(patterns, prefix=""):
    for p in patterns:
        route = prefix + str(p.pattern)
        if isinstance(p, URLResolver):
            if route.startswith(NOT_PAGES):
                continue
            yield from _walk(p.url_patterns, route)
        elif isinstance(p, URLPattern):
            if route.startswith(NOT_PAGES):
                continue
            yield route, p.name


def page_names() -> set[str]:
    names = set()
    for route, name in _walk(get_resolver().url_patterns):
        assert name, f"page {route!r} has no URL name: name it and add it to a PAGES matrix"
        names.add(name)
    return names


API = _load("api")
PAGES = _load("pages")


def test_every_endpoint_is_in_the_matrix():
    missing = api_operations() - set(API)
    assert not missing, f"endpoints missing from a matrix_api.py: {sorted(missing)}"
    stale = set(API) - api_operations()
    assert not stale, f"matrix entries for endpoints that do not exist: {sorted(stale)}"


def test_every_page_is_in_the_matrix():
    missing = page_names() - set(PAGES) - PUBLIC_PAGES
    assert not missing, f"pages missing from a matrix_pages.py: {sorted(missing)}"
    stale = set(PAGES) - page_names()
    assert not stale, f"matrix entries for pages that do not exist: {sorted(stale)}"


def test_an_endpoint_added_without_an_entry_is_caught():
    """An endpoint on a router without a matrix entry is reported by the same comparison."""
    from ninja import NinjaAPI, Router

    probe_router = Router()

    @probe_router.get("/matrix-probe")
    def matrix_probe(request):  # pragma: no cover - never called
        return {}

    probe = NinjaAPI(urls_namespace="matrix-probe")
    probe.add_router("", probe_router)
    urlconf = types.ModuleType("matrix_probe_urls")
    urlconf.urlpatterns = [url_path("api/v1/", probe.urls)]
    with override_settings(ROOT_URLCONF=urlconf):
        assert api_operations(probe) - set(API) == {("GET", "/api/v1/matrix-probe")}


def _call_api(client: Client, method: str, path: str, case: Case, cast, role: str):
    url = path.format(**case.path(cast))
    query = case.query(cast)
    if query:
        url += "?" + "&".join(f"{k}={v}" for k, v in query.items())
    if case.files is not None:
        return client.post(url, data=case.files(cast, role))
    body = case.body(cast, role) if case.body else None
    if body is None:
        return client.generic(method, url)
    return client.generic(method, url, json.dumps(body), content_type="application/json")


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API), ids=lambda o: f"{o[0]} {o[1]}")
def test_api_role_matrix(operation, cast):
    method, path = operation
    case: Case = API[operation]
    failures = []
    for role in ROLES:
        user = cast.users()[role]
        client = Client()
        client.force_login(user)
        response = _call_api(client, method, path, case, cast, role)
        expected = case.ok if role in case.allowed else case.denied
        if response.status_code not in expected:
            failures.append(
                f"{role}: {response.status_code} (expected {expected}) {response.content[:200]!r}"
            )
    assert not failures, f"{method} {path}:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("operation", sorted(API), ids=lambda o: f"{o[0]} {o[1]}")
def test_api_refuses_anonymous(operation, cast):
    method, path = operation
    case: Case = API[operation]
    response = _call_api(Client(), method, path, case, cast, "anonymous")
    if case.public:
        assert response.status_code in case.ok, response.content[:200]
        return
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_role_matrix(name, cast):
    case: Case = PAGES[name]
    failures = []
    for role in ROLES:
        client = Client()
        client.force_login(cast.users()[role])
        url = reverse(name, kwargs=case.path(cast))
        if case.method == "POST":
            response = client.post(url, data=case.body(cast, role) if case.body else {})
        else:
            response = client.get(url, case.query(cast))
        expected = case.ok if role in case.allowed else case.denied
        if response.status_code not in expected:
            failures.append(f"{role}: {response.status_code} (expected {expected})")
    assert not failures, f"page {name}:\n" + "\n".join(failures)


@pytest.mark.django_db
@pytest.mark.parametrize("name", sorted(PAGES))
def test_page_sends_anonymous_to_login(name, cast):
    case: Case = PAGES[name]
    url = reverse(name, kwargs=case.path(cast))
    client = Client()
    if case.public:
        response = client.get(url, case.query(cast))
        assert response.status_code in case.ok
        return
    response = client.post(url) if case.method == "POST" else client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_matrix_modules_are_importable():
    """Every app package is scanned: a typo in a matrix module name would hide its entries."""
    found = {m.name for m in pkgutil.walk_packages(darirumah.__path__, "darirumah.")}
    for name in found:
        if name.rsplit(".", 1)[-1].startswith("matrix_"):
            assert name.rsplit(".", 1)[-1] in {"matrix_api", "matrix_pages"}, name
