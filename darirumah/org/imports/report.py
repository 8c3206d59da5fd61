"""What an import tells the person who ran it: counts, and every bad row with its problems."""

from __future__ import annotations

from dataclasses import dataclass, field

# Row numbers are the ones the spreadsheet shows (the header is row 1). Row 0 means the file as a
# whole: it is empty, damaged, too big or of a kind we cannot read.
FILE_ROW = 0


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

    def fail(self, message: str, *, row: int = FILE_ROW) -> ImportReport:
        """The whole file is refused with one message; nothing was (or will be) written."""
        self.created = self.updated = self.units_created = self.units_updated = 0
        self.errors = [RowError(row=row, nip="", problems=[message])]
        self.message = message
        return self
