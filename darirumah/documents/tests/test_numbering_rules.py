"""Letter numbers from an agency's pattern (documents.rules.numbering), table-driven."""

from datetime import date

import pytest

from darirumah.documents.models import Kind
from darirumah.documents.rules.numbering import (
    DEFAULT_FORMATS,
    MAX_NUMBER,
    MAX_PATTERN,
    render_number,
    to_roman,
    validate_pattern,
)

DAY = date(2020, 8, 17)  # the Batu WFH letters: month VIII


@pytest.mark.parametrize(
    ("n", "roman"),
    [(1, "I"), (2, "II"), (4, "IV"), (8, "VIII"), (9, "IX"), (11, "XI"), (12, "XII"),
     (40, "XL"), (1990, "MCMXC"), (2026, "MMXXVI"), (3999, "MMMCMXCIX")],
)  # fmt: skip
def test_roman_numerals(n, roman):
    assert to_roman(n) == roman


@pytest.mark.parametrize("n", [0, -1, 4000])
def test_roman_numerals_outside_their_range_are_refused(n):
    with pytest.raises(ValueError):
        to_roman(n)


NUMBERS = [
    # pattern, seq, code, unit, agency, expected
    ("{code}/{seq}/{agency}/{year}", 12, "800.1.6.4", "", "kota-batu",
     "800.1.6.4/012/KOTA-BATU/2020"),
    ("{seq}/SP-WFH/{unit}/{month_roman}/{year}", 7, "SP", "DISDUKCAPIL", "kota-batu",
     "007/SP-WFH/DISDUKCAPIL/VIII/2020"),
    ("{seq}/{code}/{month}/{year}", 1234, "SE", "", "x", "1234/SE/08/2020"),
    ("{seq}/{code}/{month_roman}/{year}", 1, "000", "", "x", "001/000/VIII/2020"),
    ("B-{seq}/{agency}.{unit}/{year}", 3, "", "BKPSDM", "kab-malang",
     "B-003/KAB-MALANG.BKPSDM/2020"),
    # An empty unit takes one separator along instead of leaving "//".
    ("{seq}/SP-WFH/{unit}/{month_roman}/{year}", 5, "", "", "x", "005/SP-WFH/VIII/2020"),
    ("{unit}/{seq}/{year}", 5, "", "", "x", "005/2020"),
    ("{seq}/{year}/{unit}", 5, "", "", "x", "005/2020"),
    ("{seq}/{seq}", 9, "", "", "x", "009/009"),
]  # fmt: skip


@pytest.mark.parametrize(("pattern", "seq", "code", "unit", "agency", "expected"), NUMBERS)
def test_render_number(pattern, seq, code, unit, agency, expected):
    number = render_number(pattern, seq=seq, day=DAY, code=code, unit_code=unit, agency_code=agency)
    assert number == expected


def test_every_kind_has_a_usable_default_format():
    assert set(DEFAULT_FORMATS) == set(Kind.values)
    for kind, (pattern, code) in DEFAULT_FORMATS.items():
        assert validate_pattern(pattern) == [], kind
        assert code, kind
    circular = DEFAULT_FORMATS["circular"]
    assert circular == ("{code}/{seq}/{agency}/{year}", "800.1.6.4")
    assert DEFAULT_FORMATS["statement"][0] == "{seq}/SP-WFH/{unit}/{month_roman}/{year}"
    assert DEFAULT_FORMATS["upload"][0] == "{seq}/{code}/{month_roman}/{year}"


PROBLEMS = [
    # pattern, words every problem message must contain (one list per expected problem)
    ("{seq}/{code}/{year}", []),
    ("{code}/{year}", [["{seq}"]]),
    ("", [["{seq}"]]),
    ("{seq}/{kode}/{year}", [["{kode}", "{seq}", "{month_roman}"]]),
    ("{seq}/{code:>5}/{year}", [["{code:>5}"]]),
    ("{seq}/{}/{year}", [["{}"]]),
    ("{seq/{year}", [["character 6"], ["{seq}"]]),  # the "{" of "{year}" opens a second one
    ("{seq}/{year", [["character 7"]]),
    ("{seq}}/{year}", [["character 6"]]),
    ("{seq}/{{year}}", [["character 8"]]),
    ("{seq}/" + "X" * MAX_PATTERN, [[str(MAX_PATTERN)]]),
    ("{seq}/{code}/{unit}/{agency}/" + "X" * 60, [[str(MAX_NUMBER)]]),
]


@pytest.mark.parametrize(("pattern", "expected"), PROBLEMS)
def test_validate_pattern_names_each_problem(pattern, expected):
    problems = validate_pattern(pattern)
    assert len(problems) == len(expected), problems
    for message, words in zip(problems, expected, strict=True):
        for word in words:
            assert word in message


def test_an_unusable_pattern_is_refused_when_numbering():
    with pytest.raises(ValueError, match="seq"):
        render_number("{year}", seq=1, day=DAY, code="", unit_code="", agency_code="x")
    with pytest.raises(ValueError):
        render_number("{seq}", seq=0, day=DAY, code="", unit_code="", agency_code="x")


def test_problems_speak_the_active_language():
    from django.utils import translation

    with translation.override("id"):
        indonesian = validate_pattern("{year}")
    assert len(indonesian) == 1 and "{seq}" in indonesian[0]
