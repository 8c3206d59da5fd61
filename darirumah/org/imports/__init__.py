"""Import of units and employees from CSV or XLSX (SIMPEG-like columns), all or nothing.

One module per step: `reading` turns the uploaded bytes into a table of cells, `columns` knows
the column template and turns a cell into a value, `rows` parses each row on its own, `planning`
checks every row against the file and the database and works out what would change, `writing`
applies that plan in one transaction, `service` ties them together, `template` builds the
downloadable template and `sample` generates realistic files (examples, tests, benchmarks).
"""

from .report import ImportReport, RowError
from .service import import_employees
from .template import template_csv, template_xlsx

__all__ = ["ImportReport", "RowError", "import_employees", "template_csv", "template_xlsx"]
