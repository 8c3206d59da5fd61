"""Organisation rules: the NIP (BKN format YYYYMMDD YYYYMM S NNN), coordinates, reporting loops."""

import math
from datetime import date

import pytest

from darirumah.org.rules import (
    MIN_APPOINTMENT_AGE,
    Nip,
    NipError,
    chain_has_loop,
    check_coordinates,
    find_cycle,
    format_nip,
    normalise_nip,
    parse_nip,
)
from darirumah.org.tests.factories import nip_for

# --- NIP -------------------------------------------------------------------------------------

VALID_NIPS = [
    # raw input, birth date, appointment (year, month), sex, sequence
    ("198503302010011002", date(1985, 3, 30), (2010, 1), "L", 2),
    ("19850330 201001 1 002", date(1985, 3, 30), (2010, 1), "L", 2),  # as printed on cards
    ("  198503302010011002\n", date(1985, 3, 30), (2010, 1), "L", 2),
    ("19850330\t201001\u00a01002", date(1985, 3, 30), (2010, 1), "L", 2),  # tab, no-break space
    ("199012152009032001", date(1990, 12, 15), (2009, 3), "P", 1),
    ("197001011995121999", date(1970, 1, 1), (1995, 12), "L", 999),
    ("199202292015022010", date(1992, 2, 29), (2015, 2), "P", 10),  # born on a leap day
    ("194001011960011001", date(1940, 1, 1), (1960, 1), "L", 1),  # the earliest birth year
    # Exactly 18 years by month: born December 1990, appointed December 2008.
    ("199012152008121001", date(1990, 12, 15), (2008, 12), "L", 1),
    ("200001312018011001", date(2000, 1, 31), (2018, 1), "L", 1),
]


@pytest.mark.parametrize(("raw", "birth", "appointed", "sex", "seq"), VALID_NIPS)
def test_parse_valid_nip(raw, birth, appointed, sex, seq):
    parts = parse_nip(raw)
    assert parts == Nip(birth, appointed[0], appointed[1], sex, seq)
    assert parts.birth_date == birth
    assert (parts.appointment_year, parts.appointment_month) == appointed


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("", "exactly 18 digits"),
        ("19850330201001100", "exactly 18 digits (got 17"),
        ("1985033020100110021", "exactly 18 digits (got 19"),
        ("1985-03-30 2010 01 1 002", "exactly 18 digits"),  # dashes are not separators
        ("19850330201001100A", "only the digits"),
        ("198503302010011OO2", "only the digits"),  # letter O typed for zero
        ("１９８５０３３０２０１００１１００２", "only the digits"),  # full-width digits
        ("١٩٨٥٠٣٣٠٢٠١٠٠١١٠٠٢", "only the digits"),  # Arabic-Indic digits
        ("1985033020²0011002", "only the digits"),  # a superscript two
        ("198502302010011002", "real birth date"),  # 30 February
        ("198513012010011002", "real birth date"),  # month 13
        ("198504002010011002", "real birth date"),  # day 00
        ("199002292015011002", "real birth date"),  # 29 February in a common year
        ("193912312010011002", "birth year 1939 is not plausible"),
        ("198503302010001002", "appointment month (01–12); 00"),
        ("198503302010131002", "appointment month (01–12); 13"),
        ("198503302002011002", "less than 18 years"),  # appointed at 16
        ("198503302003021002", "less than 18 years"),  # appointed at 17 (February 2003)
        ("199012152008011001", "less than 18 years"),  # born Dec 1990, appointed Jan 2008: 17
        ("198503302010013002", "digit 15 must be the sex code"),
        ("198503302010010002", "digit 15 must be the sex code"),
        ("198503302010019002", "digit 15 must be the sex code"),
        ("198503302010011000", "cannot be 000"),
    ],
)
def test_parse_invalid_nip_names_the_problem(raw, problem):
    with pytest.raises(NipError) as exc:
        parse_nip(raw)
    assert problem in str(exc.value)


def test_nip_error_is_a_value_error():
    assert issubclass(NipError, ValueError)


def test_minimum_appointment_age_is_eighteen():
    assert MIN_APPOINTMENT_AGE == 18


TODAY = date(2026, 3, 2)


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("198503302026031002", None),  # appointed this month
        ("198503302026021002", None),
        ("198503302026041002", "in the future"),  # next month
        ("198503302027011002", "in the future"),
        ("200801012026011001", None),  # 18 this year
        ("203001012050011001", "not plausible"),  # born in the future
    ],
)
def test_parse_nip_with_today_refuses_the_future(raw, problem):
    if problem is None:
        assert parse_nip(raw, today=TODAY).birth_date.year <= TODAY.year
    else:
        with pytest.raises(NipError, match=problem):
            parse_nip(raw, today=TODAY)


def test_without_today_only_the_shape_is_checked():
    # Future dates can only be judged against a "today" from the calendar service.
    assert parse_nip("203001012050011001").birth_date == date(2030, 1, 1)


def test_parse_nip_accepts_a_number():
    assert parse_nip(198503302010011002).sequence == 2


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("19850330 201001 1 002", "198503302010011002"),
        (" 198503302010011002 ", "198503302010011002"),
        ("198503302010011002", "198503302010011002"),
    ],
)
def test_normalise_nip_drops_spaces(raw, normal):
    assert normalise_nip(raw) == normal


@pytest.mark.parametrize(("raw", "birth", "appointed", "sex", "seq"), VALID_NIPS)
def test_format_nip_round_trip(raw, birth, appointed, sex, seq):
    parts = parse_nip(raw)
    text = format_nip(
        parts.birth_date,
        parts.appointment_year,
        parts.appointment_month,
        parts.sex,
        parts.sequence,
    )
    assert text == normalise_nip(raw)
    assert len(text) == 18
    assert parse_nip(text) == parts


@pytest.mark.parametrize(
    ("parts", "nip"),
    [
        ((date(1985, 3, 30), 2010, 1, "L", 2), "198503302010011002"),
        ((date(1990, 12, 5), 2019, 3, "P", 41), "199012052019032041"),
        ((date(1976, 8, 17), 2001, 11, "P", 999), "197608172001112999"),
    ],
)
def test_format_nip_pads_every_part(parts, nip):
    assert format_nip(*parts) == nip


@pytest.mark.parametrize("n", [0, 1, 2, 11, 12, 29, 30, 997, 998, 999, 1000, 5000])
def test_test_factory_nips_are_valid(n):
    # Without today: some factory NIPs (n = 29: born 1999, appointed 2030) lie in the future.
    nip = nip_for(n)
    parts = parse_nip(nip)
    assert (
        format_nip(
            parts.birth_date,
            parts.appointment_year,
            parts.appointment_month,
            parts.sex,
            parts.sequence,
        )
        == nip
    )


# --- coordinates -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lat", "lon", "problem"),
    [
        (None, None, None),  # no home location given
        (-6.12, 106.15, None),  # Kota Serang
        (-7.87, 112.52, None),  # Kota Batu
        (-2.53, 140.72, None),  # Jayapura
        (0.0, 0.0, None),
        (90, 180, None),
        (-90, -180, None),
        (-6.12, None, "both latitude and longitude"),
        (None, 106.15, "both latitude and longitude"),
        (106.15, -6.12, "Latitude must be between -90 and 90"),  # swapped
        (90.0001, 0, "Latitude must be between -90 and 90"),
        (-91, 0, "Latitude must be between -90 and 90"),
        (0, 180.5, "Longitude must be between -180 and 180"),
        (0, -181, "Longitude must be between -180 and 180"),
        (math.nan, 106.15, "Latitude"),
        (-6.12, math.nan, "Longitude"),
        (math.inf, 0, "Latitude"),
        (0, -math.inf, "Longitude"),
    ],
)
def test_check_coordinates(lat, lon, problem):
    result = check_coordinates(lat, lon)
    if problem is None:
        assert result is None
    else:
        assert result is not None and problem in result


# --- reporting lines and unit trees ----------------------------------------------------------


@pytest.mark.parametrize(
    ("parents", "loop"),
    [
        ({}, None),
        ({"A": None}, None),
        ({"pegawai": "atasan", "atasan": "kepala", "kepala": None}, None),
        ({"B": "A", "C": "A", "D": "B", "A": None}, None),  # a tree with shared parents
        ({"A": "X"}, None),  # a parent outside the map ends the chain
        ({"A": "A"}, ["A", "A"]),
        ({"A": "B", "B": "A"}, ["A", "B", "A"]),
        ({"A": "B", "B": "C", "C": "A"}, ["A", "B", "C", "A"]),
        ({"D": "A", "A": "B", "B": "C", "C": "B"}, ["B", "C", "B"]),  # a tail into a loop
        ({"A": None, "B": "A", "X": "Y", "Y": "X"}, ["X", "Y", "X"]),  # loop in another part
        ({1: 2, 2: 3, 3: 1}, [1, 2, 3, 1]),  # ids work too
    ],
)
def test_find_cycle(parents, loop):
    found = find_cycle(parents)
    assert found == loop
    if found:
        assert found[0] == found[-1]
        for child, parent in zip(found, found[1:], strict=False):
            assert parents[child] == parent


# employee → supervisor: pegawai reports to atasan, atasan to kepala.
LINE = {"pegawai": "atasan", "atasan": "kepala", "kepala": None, "peer": None}


@pytest.mark.parametrize(
    ("start", "proposed", "loops"),
    [
        ("pegawai", "kepala", False),  # skip a level: fine
        ("peer", "pegawai", False),
        ("pegawai", None, False),  # no supervisor
        ("pegawai", "stranger", False),  # someone outside the map
        ("kepala", "pegawai", True),  # the head reporting to their own staff
        ("kepala", "atasan", True),
        ("atasan", "pegawai", True),
        ("pegawai", "pegawai", True),  # nobody supervises themselves
    ],
)
def test_chain_has_loop(start, proposed, loops):
    assert chain_has_loop(start, proposed, LINE.get) is loops


def test_chain_has_loop_stops_at_an_existing_loop_elsewhere():
    broken = {"X": "Y", "Y": "X"}
    assert chain_has_loop("A", "X", broken.get) is True  # terminates instead of spinning
