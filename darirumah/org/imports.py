"""Import of units and employees from CSV/XLSX (placeholder interface, being written)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class RowError:
    row: int
    nip: str
    problems: list[str]


@dataclass
class ImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    units_created: int = 0
    units_updated: int = 0
    errors: list[RowError] = field(default_factory=list)
    message: str = ""

    @property
    def imported(self) -> bool:
        return not self.dry_run and not self.errors

    def as_dict(self) -> dict:
        return {
            "dry_run": self.dry_run,
            "imported": self.imported,
            "rows": self.rows,
            "created": self.created,
            "updated": self.updated,
            "units_created": self.units_created,
            "units_updated": self.units_updated,
            "errors": [e.__dict__ for e in self.errors],
            "message": self.message,
        }


def import_employees(*, access, agency, upload, filename: str, dry_run: bool) -> ImportReport:
    raise NotImplementedError
