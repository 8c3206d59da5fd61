from datetime import datetime, time

import pytest

from darirumah.attendance import rules

DEADLINE = time(7, 30)


@pytest.mark.parametrize(
    ("clock", "late"),
    [
        ("07:00:00", 0),
        ("07:30:00", 0),
        ("07:30:59", 0),  # the deadline's own minute is on time
        ("07:31:00", 1),
        ("07:31:59", 1),
        ("07:45:10", 15),
        ("09:30:00", 120),
    ],
)
def test_minutes_late_after_the_deadline_minute(clock, late):
    checked = datetime.fromisoformat(f"2020-03-23T{clock}")
    assert rules.minutes_late(checked, DEADLINE) == late


def test_distance_between_known_points():
    # Serang city hall to Serang railway station: about 1.3 km.
    d = rules.distance_m(-6.1104, 106.1640, -6.1187, 106.1551)
    assert 1300 < d < 1400
    assert rules.distance_m(-6.1, 106.1, -6.1, 106.1) == 0


def test_area_for_each_mode():
    assert rules.area_for("WFO") == "office"
    assert rules.area_for("WFH") == "home"
    assert rules.area_for("WFA") is None
    assert rules.area_for("") is None


@pytest.mark.parametrize(
    ("point", "accuracy", "outcome"),
    [
        ((-6.1104, 106.1640), 10, "inside"),
        ((-6.1110, 106.1640), 10, "inside"),  # about 67 m away, radius 100
        ((-6.1187, 106.1551), 10, "outside"),
        ((-6.1104, 106.1640), 500, "unknown"),  # too inaccurate to judge
        ((None, None), 10, "unknown"),
    ],
)
def test_place_against_the_geofence(point, accuracy, outcome):
    got, _distance = rules.place(
        latitude=point[0],
        longitude=point[1],
        accuracy_m=accuracy,
        centre=(-6.1104, 106.1640),
        radius_m=100,
        max_accuracy_m=150,
    )
    assert got == outcome


def test_no_area_means_unknown():
    assert rules.place(
        latitude=-6.1, longitude=106.1, accuracy_m=5, centre=None, radius_m=100, max_accuracy_m=150
    ) == ("unknown", None)
