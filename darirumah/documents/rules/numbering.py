"""Letter numbers from an agency's pattern, e.g. "{seq}/SP-WFH/{unit}/{month_roman}/{year}".

Pure functions over plain data (no ORM, no clock): the services take the next sequence number
under a row lock (documents.models.NumberSequence) and call `render_number` with it.

Placeholders:

- `{seq}` the letter's sequence number in the year, zero-padded to three digits (1000 and up
  keep all their digits);
- `{code}` the kind's classification code (kode klasifikasi arsip), e.g. "800.1.6.4" or "SE";
- `{unit}` the unit's code, e.g. "DISDUKCAPIL";
- `{agency}` the agency's code in capitals, e.g. "KOTA-BATU";
- `{month_roman}` the month in Roman numerals (I–XII), as Indonesian letter numbers write it;
- `{month}` the month as two digits; `{year}` the year as four digits.
"""

from __future__ import annotations

import re
from datetime import date

from django.utils.translation import gettext as _

PLACEHOLDERS = ("seq", "code", "unit", "agency", "month_roman", "month", "year")
# LetterFormat.pattern and Document.number hold at most this many characters.
MAX_PATTERN = 120
MAX_NUMBER = 100
# What a long but ordinary letter gets for each placeholder, to tell whether the fixed text of
# a pattern leaves room for the number in the register.
_SAMPLE = {
    "seq": "1234",
    "code": "800.1.6.4.12",
    "unit": "DISDUKCAPIL-01",
    "agency": "KOTA-BATU-0001",
    "month_roman": "VIII",
    "month": "08",
    "year": "2026",
}
_SEPARATORS = "/-."
_PLACEHOLDER = re.compile(r"\{([^{}]*)\}")

# Each kind's default (pattern, classification code). The codes follow the archive
# classification's "800 Kepegawaian" family; agencies replace them with their own.
DEFAULT_FORMATS: dict[str, tuple[str, str]] = {
    "circular": ("{code}/{seq}/{agency}/{year}", "800.1.6.4"),
    "statement": ("{seq}/SP-WFH/{unit}/{month_roman}/{year}", "SP"),
    "evaluation": ("{code}/{seq}/{unit}/{month_roman}/{year}", "800"),
    "recap": ("{code}/{seq}/REKAP/{agency}/{month_roman}/{year}", "800"),
    "discipline": ("{code}/{seq}/KEP/{agency}/{year}", "800"),
    "upload": ("{seq}/{code}/{month_roman}/{year}", "000"),
}

_ROMAN = (
    (1000, "M"),
    (900, "CM"),
    (500, "D"),
    (400, "CD"),
    (100, "C"),
    (90, "XC"),
    (50, "L"),
    (40, "XL"),
    (10, "X"),
    (9, "IX"),
    (5, "V"),
    (4, "IV"),
    (1, "I"),
)


def to_roman(n: int) -> str:
    """1 → "I", 11 → "XI", 2026 → "MMXXVI" (1–3999)."""
    if not 1 <= n <= 3999:
        raise ValueError(f"Roman numerals cover 1–3999, got {n}")
    out = []
    for value, numeral in _ROMAN:
        count, n = divmod(n, value)
        out.append(numeral * count)
    return "".join(out)


def _brace_problem(pattern: str) -> str | None:
    """A message naming the first brace without its partner (or a nested one), or None."""
    depth_at = None
    for pos, char in enumerate(pattern, start=1):
        if char == "{":
            if depth_at is not None:
                break
            depth_at = pos
        elif char == "}":
            if depth_at is None:
                break
            depth_at = None
    else:
        if depth_at is None:
            return None
        pos = depth_at
    return _(
        "The braces do not match at character %(pos)d: write each placeholder as one name "
        "between { and }, e.g. {seq}."
    ) % {"pos": pos}


def validate_pattern(pattern: str) -> list[str]:
    """Every problem of a pattern, as messages a person can act on (empty: it is usable)."""
    problems = []
    brace = _brace_problem(pattern)
    if brace:
        problems.append(brace)
    names = _PLACEHOLDER.findall(pattern)
    unknown = list(dict.fromkeys(n for n in names if n not in PLACEHOLDERS))
    if unknown:
        problems.append(
            _("Unknown placeholder %(names)s; use only %(known)s.")
            % {
                "names": ", ".join(f"{{{n}}}" for n in unknown),
                "known": ", ".join(f"{{{n}}}" for n in PLACEHOLDERS),
            }
        )
    if "seq" not in names:
        problems.append(
            _("Add {seq}, the letter's sequence number: without it two letters get one number.")
        )
    if len(pattern) > MAX_PATTERN:
        problems.append(
            _("The pattern has %(length)d characters; shorten it to at most %(max)d.")
            % {"length": len(pattern), "max": MAX_PATTERN}
        )
    elif not brace and not unknown:
        longest = len(_fill(pattern, _SAMPLE))
        if longest > MAX_NUMBER:
            problems.append(
                _(
                    "A number made with this pattern can reach %(length)d characters and the "
                    "register keeps %(max)d: shorten the fixed text or use fewer placeholders."
                )
                % {"length": longest, "max": MAX_NUMBER}
            )
    return problems


def _fill(pattern: str, values: dict[str, str]) -> str:
    """The pattern with its placeholders replaced. An empty value takes one separator next to it
    along, so a letter without a unit reads "001/SP/XI/2026" rather than "001/SP//XI/2026"."""
    out = ""
    skip_separator = False
    last = 0
    for match in _PLACEHOLDER.finditer(pattern):
        literal = pattern[last : match.start()]
        if skip_separator and literal[:1] in _SEPARATORS and literal:
            literal = literal[1:]
        out += literal
        value = values[match.group(1)]
        skip_separator = False
        if not value:
            if out and out[-1] in _SEPARATORS:
                out = out[:-1]
            else:
                skip_separator = True
        out += value
        last = match.end()
    tail = pattern[last:]
    if skip_separator and tail[:1] in _SEPARATORS:
        tail = tail[1:]
    return out + tail


def render_number(
    pattern: str, *, seq: int, day: date, code: str, unit_code: str, agency_code: str
) -> str:
    """The letter number for sequence `seq` dated `day` (ValueError for an unusable pattern)."""
    problems = validate_pattern(pattern)
    if problems:
        raise ValueError(" ".join(problems))
    if seq < 1:
        raise ValueError(f"sequence numbers start at 1, got {seq}")
    values = {
        "seq": f"{seq:03d}",
        "code": code.strip(),
        "unit": unit_code.strip(),
        "agency": agency_code.strip().upper(),
        "month_roman": to_roman(day.month),
        "month": f"{day.month:02d}",
        "year": f"{day.year:04d}",
    }
    return _fill(pattern, values)
