"""Who may open each organisation page (see darirumah/core/tests/matrix.py).

The login page is public and not listed (the walker knows it). Targets are objects of the first
agency; the outsider roles belong to the other one.
"""

from datetime import date

from darirumah.core.tests.matrix import EVERYONE, INSIDERS, Case
from darirumah.org.models import AgencyDay, ApiToken, Role, RoleAssignment

POSTED = (200, 302)
# BKPSDM and the operator run the organisation data; the other agency's BKPSDM does too, for its
# own agency, so pages that show "my agency" answer them with 200 as well.
ORG_MANAGERS = frozenset({"bkpsdm", "operator", "outsider_bkpsdm"})
# Those who add staff: organisation managers and OPD admins.
STAFF_ADDERS = ORG_MANAGERS | {"admin_opd"}
# Who sees the atasan's record: self, the unit's head (also the atasan's supervisor) and admin,
# the agency-wide roles and the operator. Not the pegawai below them (a subordinate does not
# open the supervisor's record), nor anyone of the other agency.
SEES_ATASAN = frozenset(
    {"atasan", "kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "kesehatan", "operator"}
)
# Who edits the atasan's record: the admin of the unit subtree, BKPSDM, the operator.
EDITS_ATASAN = frozenset({"admin_opd", "bkpsdm", "operator"})


def _pegawai_token(cast):
    """An active token of the pegawai (made again if an earlier role revoked it)."""
    from darirumah.org.services import token_create

    token = ApiToken.objects.filter(user=cast.pegawai.user, revoked_at__isnull=True).first()
    if token is None:
        token, _key = token_create(user=cast.pegawai.user, name="ponsel")
    return {"pk": token.pk}


def _peer_grant(cast):
    """An active grant in the first agency that revoking does not take from a cast member."""
    grant = RoleAssignment.objects.filter(
        user=cast.peer.user, role=Role.PIMPINAN, agency=cast.agency, revoked_at__isnull=True
    ).first()
    if grant is None:
        grant = RoleAssignment.objects.create(
            user=cast.peer.user, role=Role.PIMPINAN, agency=cast.agency
        )
    return {"pk": grant.pk}


def _grant_body(cast, role):
    # Each BKPSDM grants within its own agency; the operator names the agency.
    if role == "outsider_bkpsdm":
        return {"user": cast.outsider.nip, "role": "kesehatan", "agency": cast.other_agency.pk}
    return {"user": cast.peer.nip, "role": "kesehatan", "agency": cast.agency.pk}


# Who changes an agency's settings, calendar and offices: its BKPSDM and the operator. Targets are
# the first agency's, so the other agency's BKPSDM gets 404.
AGENCY_MANAGERS = frozenset({"bkpsdm", "operator"})


def _first_agency(cast):
    return {"agency": cast.agency.pk}


def _agency_day(cast):
    """A day off of the first agency (made again if an earlier role removed it)."""
    day, _created = AgencyDay.objects.get_or_create(
        agency=cast.agency, date=date(2026, 8, 19), defaults={"name": "Hari Jadi Kota"}
    )
    return {"pk": day.pk}


def _office(cast):
    return {"pk": cast.office.pk}


PAGES = {
    "home": Case(EVERYONE),
    "logout": Case(EVERYONE, method="POST", ok=POSTED),
    # The unit tree is the caller's own agency: everyone has one (the operator picks).
    "unit_list": Case(EVERYONE),
    "unit_detail": Case(INSIDERS, path=lambda c: {"pk": c.disdukcapil.pk}),
    # The list shows what each caller may see (at least themselves).
    "employee_list": Case(EVERYONE),
    "employee_detail": Case(SEES_ATASAN, path=lambda c: {"pk": c.atasan.pk}),
    "employee_edit": Case(EDITS_ATASAN, path=lambda c: {"pk": c.atasan.pk}),
    # The person (health flags, travel), their unit's head and admin, BKPSDM, health officers
    # (health flags) and the operator (work criteria); not pimpinan, not a subordinate.
    "employee_criteria": Case(
        frozenset({"atasan", "kepala_opd", "admin_opd", "bkpsdm", "kesehatan", "operator"}),
        path=lambda c: {"pk": c.atasan.pk},
    ),
    "employee_create": Case(STAFF_ADDERS),
    "employee_lookup": Case(STAFF_ADDERS, query=lambda c: {"q": "Pegawai"}),
    "employee_import": Case(ORG_MANAGERS),
    "import_template": Case(ORG_MANAGERS, path=lambda c: {"fmt": "csv"}),
    "profile": Case(EVERYONE),
    "password_change": Case(EVERYONE),
    "token_create": Case(
        EVERYONE, method="POST", body=lambda c, role: {"name": f"token {role}"}, ok=POSTED
    ),
    "token_revoke": Case(frozenset({"pegawai"}), method="POST", path=_pegawai_token, ok=(302,)),
    "role_list": Case(ORG_MANAGERS),
    "role_grant": Case(ORG_MANAGERS, method="POST", body=_grant_body, ok=POSTED),
    "role_revoke": Case(
        frozenset({"bkpsdm", "operator"}), method="POST", path=_peer_grant, ok=(302,)
    ),
    # The agency page: everyone in the agency reads it; ?agency= of another agency is a 404.
    "agency_detail": Case(INSIDERS, query=_first_agency),
    "agency_edit": Case(AGENCY_MANAGERS, query=_first_agency),
    "agency_day_set": Case(
        AGENCY_MANAGERS,
        method="POST",
        body=lambda c, role: {
            "agency": c.agency.pk,
            "date": "2026-08-18",
            "kind": "off",
            "name": f"Cuti bersama daerah ({role})",
        },
        ok=POSTED,
    ),
    "agency_day_delete": Case(AGENCY_MANAGERS, method="POST", path=_agency_day, ok=(302,)),
    # Offices: the list is the caller's own agency (everyone has one; the operator picks).
    "office_list": Case(EVERYONE),
    "office_detail": Case(INSIDERS, path=_office),
    "office_create": Case(AGENCY_MANAGERS, query=_first_agency),
    "office_edit": Case(AGENCY_MANAGERS, path=_office),
    "room_create": Case(
        AGENCY_MANAGERS,
        method="POST",
        path=_office,
        body=lambda c, role: {"name": f"Ruang {role}", "floor": "2", "capacity": "12"},
        ok=POSTED,
    ),
}
