"""Who may call each organisation endpoint (see darirumah/core/tests/matrix.py)."""

import io
from datetime import date

from openpyxl import Workbook

from darirumah.core.tests.matrix import EVERYONE, INSIDERS, Case
from darirumah.org.models import AgencyDay, ApiToken, RoleAssignment
from darirumah.org.tests.factories import nip_for

P = "/api/v1"
ORG_ADMINS = frozenset({"bkpsdm", "operator"})
UNIT_ADMINS = ORG_ADMINS | {"admin_opd"}
# Who sees the pegawai's record: self, the supervisor chain, the unit's head and admin, and the
# agency-wide roles.
SEES_PEGAWAI = frozenset(
    {"pegawai", "atasan", "kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "kesehatan", "operator"}
)


def _agency(cast):
    return {"agency_id": cast.agency.pk}


def _agency_day(cast):
    """An agency day off of the first agency (made again if an earlier role removed it)."""
    AgencyDay.objects.get_or_create(
        agency=cast.agency, date=date(2026, 8, 19), defaults={"name": "Hari Jadi Kota"}
    )
    return {"agency_id": cast.agency.pk, "date": "2026-08-19"}


def _import_file(cast, role):
    wb = Workbook()
    ws = wb.active
    ws.append(["NIP", "NAMA", "JABATAN", "KODE_UNIT"])
    ws.append([nip_for(9000 + len(role)), f"Impor {role}", "Analis", "DISDUKCAPIL"])
    buf = io.BytesIO()
    wb.save(buf)
    buf.seek(0)
    buf.name = "pegawai.xlsx"
    return {"file": buf}


def _kesehatan_grant(cast):
    grant = RoleAssignment.objects.get(user=cast.kesehatan.user, role="kesehatan")
    return {"grant_id": grant.pk}


def _pegawai_token(cast):
    token = ApiToken.objects.filter(user=cast.pegawai.user).first()
    if token is None:
        from darirumah.org.services import token_create

        token, _key = token_create(user=cast.pegawai.user, name="ponsel")
    return {"token_id": token.pk}


API = {
    ("GET", f"{P}/ping"): Case(EVERYONE),
    ("GET", f"{P}/me"): Case(EVERYONE),
    # agencies
    ("GET", f"{P}/agencies"): Case(EVERYONE),
    ("POST", f"{P}/agencies"): Case(
        frozenset({"operator"}),
        body=lambda c, role: {
            "name": f"Pemerintah Kabupaten {role}",
            "code": f"kab-{role.replace('_', '-')}",
            "kind": "pemkab",
            "region": "Jawa Barat",
        },
    ),
    ("GET", f"{P}/agencies/{{agency_id}}"): Case(INSIDERS, path=_agency),
    ("PATCH", f"{P}/agencies/{{agency_id}}"): Case(
        ORG_ADMINS, path=_agency, body=lambda c, role: {"risk_zone": "medium"}
    ),
    ("GET", f"{P}/agencies/{{agency_id}}/calendar"): Case(
        INSIDERS, path=_agency, query=lambda c: {"start": "2026-08-01", "end": "2026-08-31"}
    ),
    ("POST", f"{P}/agencies/{{agency_id}}/calendar"): Case(
        ORG_ADMINS,
        path=_agency,
        body=lambda c, role: {"date": "2026-08-18", "kind": "off", "name": "Cuti bersama daerah"},
    ),
    ("DELETE", f"{P}/agencies/{{agency_id}}/calendar/{{date}}"): Case(ORG_ADMINS, path=_agency_day),
    # units
    ("GET", f"{P}/units"): Case(EVERYONE),
    ("POST", f"{P}/units"): Case(
        UNIT_ADMINS,
        body=lambda c, role: {
            "agency": c.agency.pk,
            "parent": c.disdukcapil.pk,
            "code": f"SEKSI-{role}",
            "name": f"Seksi {role}",
            "kind": "seksi",
        },
    ),
    ("GET", f"{P}/units/{{unit_id}}"): Case(INSIDERS, path=lambda c: {"unit_id": c.disdukcapil.pk}),
    ("PATCH", f"{P}/units/{{unit_id}}"): Case(
        UNIT_ADMINS,
        path=lambda c: {"unit_id": c.disdukcapil.pk},
        body=lambda c, role: {"min_on_site": 4},
    ),
    # offices
    ("GET", f"{P}/offices"): Case(EVERYONE),
    ("POST", f"{P}/offices"): Case(
        ORG_ADMINS,
        body=lambda c, role: {
            "agency": c.agency.pk,
            "name": f"Gedung {role}",
            "latitude": -6.11,
            "longitude": 106.16,
        },
    ),
    ("GET", f"{P}/offices/{{office_id}}"): Case(
        INSIDERS, path=lambda c: {"office_id": c.office.pk}
    ),
    ("PATCH", f"{P}/offices/{{office_id}}"): Case(
        ORG_ADMINS, path=lambda c: {"office_id": c.office.pk}, body=lambda c, r: {"radius_m": 200}
    ),
    ("POST", f"{P}/offices/{{office_id}}/rooms"): Case(
        ORG_ADMINS,
        path=lambda c: {"office_id": c.office.pk},
        body=lambda c, role: {"name": f"Ruang {role}", "floor": "2"},
    ),
    # employees
    ("GET", f"{P}/employees"): Case(EVERYONE),
    ("POST", f"{P}/employees"): Case(
        UNIT_ADMINS,
        body=lambda c, role: {
            "agency": c.agency.pk,
            "nip": nip_for(8000 + len(role) * 3),
            "name": f"Pegawai Baru {role}",
            "position": "Pengadministrasi",
            "unit": c.pelayanan.pk,
        },
    ),
    ("POST", f"{P}/employees/import"): Case(
        ORG_ADMINS,
        query=lambda c: {"dry_run": "true", "agency": c.agency.pk},
        files=_import_file,
    ),
    ("GET", f"{P}/employees/{{employee_id}}"): Case(
        SEES_PEGAWAI, path=lambda c: {"employee_id": c.pegawai.pk}
    ),
    ("PATCH", f"{P}/employees/{{employee_id}}"): Case(
        UNIT_ADMINS,
        path=lambda c: {"employee_id": c.pegawai.pk},
        body=lambda c, role: {"phone": "081234567890"},
    ),
    # roles
    ("GET", f"{P}/roles"): Case(ORG_ADMINS | {"outsider_bkpsdm"}),
    ("POST", f"{P}/roles"): Case(
        ORG_ADMINS,
        body=lambda c, role: {
            "user": c.peer.user.pk,
            "role": "pimpinan",
            "agency": c.agency.pk,
            "note": role,
        },
        # A second grant of the same active role is a conflict, not a new row.
        ok=(201, 409),
    ),
    ("POST", f"{P}/roles/{{grant_id}}/revoke"): Case(ORG_ADMINS, path=_kesehatan_grant),
    # personal tokens: each caller's own
    ("GET", f"{P}/tokens"): Case(EVERYONE),
    ("POST", f"{P}/tokens"): Case(EVERYONE, body=lambda c, role: {"name": f"skrip {role}"}),
    ("DELETE", f"{P}/tokens/{{token_id}}"): Case(frozenset({"pegawai"}), path=_pegawai_token),
}
