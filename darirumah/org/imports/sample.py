"""Realistic import files of any size: the template's example, tests and benchmarks use them.

Deterministic (the same count gives the same file) and valid: OPDs with their divisions, heads
supervising their staff, division heads reporting to the OPD head.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from typing import Any

import openpyxl
from openpyxl.cell import WriteOnlyCell

from darirumah.org import rules

from .columns import COLUMNS

FIRST = ("Siti", "Agus", "Dewi", "Budi", "Rina", "Hendra", "Nur", "Yusuf", "Ratna", "Dedi")
LAST = ("Aminah", "Santoso", "Lestari", "Hidayat", "Wulandari", "Saputra", "Rahmawati", "Fauzi")
OPDS = ("DINKES", "DISDIK", "DPUPR", "DISHUB", "DISPERKIM", "DLH", "BAPPEDA", "BPKAD")
GRADES = ("II/c", "III/a", "III/b", "III/c", "III/d", "IV/a")
DIVISIONS_PER_OPD = 4  # an OPD and its 4 divisions: 5 units


def sample_nip(i: int) -> str:
    """A valid NIP, unique for i < 5,000,000.

    Birth years are odd offsets from 1970 and months odd, a combination the test factories
    (darirumah/org/tests/factories.py) never produce, so sample NIPs never collide with theirs.
    """
    birth = date(1971 + 2 * (i % 15), 1 + 2 * (i // 15 % 6), 1 + i // 90 % 28)
    sex = "LP"[i // 2520 % 2]
    return rules.format_nip(birth, birth.year + 25, 1 + i % 12, sex, 1 + i // 5040 % 999)


def sample_units(count: int) -> list[dict[str, Any]]:
    """`count` units: OPDs (top level) each followed by up to four of its divisions."""
    units = []
    for i in range(count):
        opd, part = divmod(i, DIVISIONS_PER_OPD + 1)
        code = f"{OPDS[opd % len(OPDS)]}{'' if opd < len(OPDS) else opd // len(OPDS) + 1}"
        if part == 0:
            units.append({"code": code, "name": f"Dinas {code}", "kind": "dinas", "parent": ""})
        else:
            units.append(
                {
                    "code": f"{code}-B{part}",
                    "name": f"Bidang {part} {code}",
                    "kind": "bidang",
                    "parent": code,
                }
            )
    return units


def sample_rows(
    count: int, *, units: int = 40, office: str = "", start: int = 0
) -> list[dict[str, Any]]:
    """`count` employee rows (keys = template columns) spread over `units` units.

    The first employee of each unit heads it: an OPD head has no supervisor, a division head
    reports to the OPD head, everyone else to the head of their unit. `start` shifts the NIPs,
    so several files (e.g. for several agencies) do not share employees.
    """
    tree = sample_units(min(units, count))
    heads = {u["code"]: i for i, u in enumerate(tree)}
    rows = []
    for i in range(count):
        unit = tree[i % len(tree)]
        boss = heads.get(unit["parent"]) if i < len(tree) else heads[unit["code"]]
        boss_nip = sample_nip(start + boss) if boss is not None else ""
        rows.append(_row(i, sample_nip(start + i), unit, boss_nip, office))
    return rows


def _row(i: int, nip: str, unit: dict[str, Any], boss_nip: str, office: str) -> dict[str, Any]:
    return {
        "NIP": nip,
        "NAMA": f"{FIRST[i % len(FIRST)]} {LAST[i // len(FIRST) % len(LAST)]} {i}",
        "JENIS_ASN": "PPPK" if i % 7 == 6 else "PNS",
        "JABATAN": "Kepala" if not boss_nip else "Analis Kebijakan",
        "GOLONGAN": GRADES[i % len(GRADES)],
        "KELAS_JABATAN": 5 + i % 8,
        "KODE_UNIT": unit["code"],
        "NAMA_UNIT": unit["name"],
        "JENIS_UNIT": unit["kind"],
        "KODE_UNIT_INDUK": unit["parent"],
        "UNIT_LAYANAN_PUBLIK": "tidak",
        "MIN_DI_KANTOR": 1 if unit["kind"] == "dinas" else 0,
        "KANTOR": office,
        "RUANG": "",
        "NIP_ATASAN": boss_nip,
        "LINTANG_RUMAH": round(-6.12 - (i % 100) / 1000, 4),
        "BUJUR_RUMAH": round(106.15 + (i % 97) / 1000, 4),
        "TELEPON": f"0812{i:08d}",
        "EMAIL": f"pegawai{i}@example.go.id",
        "TMT_JABATAN": date(2015 + i % 9, 1 + i % 12, 1 + i % 28),
        "AKTIF": "ya",
    }


def to_xlsx(rows: list[dict[str, Any]], *, sheet: str = "Pegawai") -> bytes:
    """An .xlsx like Excel writes: NIPs and phone numbers as text, dates as real dates."""
    book = openpyxl.Workbook(write_only=True)
    ws = book.create_sheet(sheet)
    keys = [c.key for c in COLUMNS]
    as_text = {c.key for c in COLUMNS if c.text}
    ws.append(keys)
    for row in rows:
        ws.append([_xlsx_cell(ws, row.get(k), k in as_text) for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(ws, value: Any, as_text: bool):
    if not as_text:
        return value
    cell = WriteOnlyCell(ws, value=value)
    cell.number_format = "@"  # formatted as Text, as the template asks
    return cell


def to_csv(rows: list[dict[str, Any]], *, delimiter: str = ";", bom: bool = True) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    keys = [c.key for c in COLUMNS]
    writer.writerow(keys)
    for row in rows:
        writer.writerow([_csv_cell(row.get(k)) for k in keys])
    return ("\ufeff" if bom else "").encode() + out.getvalue().encode("utf-8")


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d-%m-%Y")
    return str(value)
