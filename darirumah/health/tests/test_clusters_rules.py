"""The cluster verdict over plain data: links by shared presence within the incubation window,
and the verdict from the likely places of infection of the linked cases (Batu, 2020: 22
confirmed staff infected outside the office are not a workplace cluster)."""

from datetime import date, timedelta

import pytest

from darirumah.health.rules.cluster import (
    CLUSTER,
    NOT_CLUSTER,
    UNDETERMINED,
    ClusterCase,
    Link,
    Reason,
    cluster_verdict,
    find_links,
    shared_days,
)


def d(day: int, month: int = 8) -> date:
    return date(2026, month, day)


def days(*numbers) -> frozenset[date]:
    return frozenset(d(n) for n in numbers)


def case(id, ref, place="unknown", on_site=()):
    return ClusterCase(id=id, reference=d(ref), place=place, on_site=days(*on_site))


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        # Both on site on 10 and 11 August; the later case's onset 18 August.
        (case(1, 12, on_site=(10, 11, 13)), case(2, 18, on_site=(10, 11, 13)), (d(10), d(11))),
        # The 13th is after the first case's reference date: not counted.
        (case(1, 12, on_site=(13,)), case(2, 18, on_site=(13,)), ()),
        # The reference day itself counts.
        (case(1, 12, on_site=(12,)), case(2, 18, on_site=(12,)), (d(12),)),
        # 14 days before the later case's reference date is the edge of the window.
        (case(1, 12, on_site=(4,)), case(2, 18, on_site=(4,)), (d(4),)),
        (case(1, 12, on_site=(3,)), case(2, 18, on_site=(3,)), ()),
        # Never on site on the same day.
        (case(1, 12, on_site=(10,)), case(2, 18, on_site=(11,)), ()),
    ],
)
def test_shared_days(first, second, expected):
    assert shared_days(first, second, 14) == expected
    assert shared_days(second, first, 14) == expected


def test_a_shorter_incubation_window_cuts_the_older_days():
    first, second = case(1, 12, on_site=(5, 10)), case(2, 18, on_site=(5, 10))
    assert shared_days(first, second, 14) == (d(5), d(10))
    assert shared_days(first, second, 10) == (d(10),)
    assert shared_days(first, second, 5) == ()


def test_links_are_ordered_by_reference_date():
    cases = [
        case(7, 18, on_site=(10,)),
        case(3, 12, on_site=(10,)),
        case(5, 15, on_site=(11,)),
    ]
    assert find_links(cases, 14) == (Link(3, 7, (d(10),)),)


@pytest.mark.parametrize(
    ("cases", "verdict", "last_reason"),
    [
        ([], NOT_CLUSTER, Reason("too_few", {"cases": 0, "needed": 2})),
        ([case(1, 12, "office", (10,))], NOT_CLUSTER, Reason("too_few", {"cases": 1, "needed": 2})),
        (
            [case(1, 12, "office", (10,)), case(2, 18, "office", (11,))],
            NOT_CLUSTER,
            Reason("no_links", {"incubation_days": 14}),
        ),
        (
            [case(1, 12, "office", (10,)), case(2, 18, "unknown", (10,))],
            CLUSTER,
            Reason("office_likely", {"office": 1}),
        ),
        (
            [case(1, 12, "outside", (10,)), case(2, 18, "office", (10,))],
            CLUSTER,
            Reason("office_likely", {"office": 1}),
        ),
        (
            [case(1, 12, "outside", (10,)), case(2, 18, "unknown", (10,))],
            UNDETERMINED,
            Reason("place_unknown", {"unknown": 1}),
        ),
        (
            [case(1, 12, "unknown", (10,)), case(2, 18, "unknown", (10,))],
            UNDETERMINED,
            Reason("place_unknown", {"unknown": 2}),
        ),
        (
            [case(1, 12, "outside", (10,)), case(2, 18, "outside", (10,))],
            NOT_CLUSTER,
            Reason("all_outside", {"linked": 2}),
        ),
        # An office infection not linked to anyone, beside two linked outside infections.
        (
            [
                case(1, 12, "outside", (10,)),
                case(2, 18, "outside", (10,)),
                case(3, 19, "office", (17,)),
            ],
            NOT_CLUSTER,
            Reason("all_outside", {"linked": 2}),
        ),
    ],
)
def test_the_verdict(cases, verdict, last_reason):
    result = cluster_verdict(cases, 14)
    assert result.verdict == verdict
    assert result.reasons[-1] == last_reason
    assert result.reasons[0] == Reason("confirmed", {"cases": len(cases)})


def test_the_batu_shape_is_not_a_cluster():
    """22 confirmed staff, every one infected outside (family gatherings, a market), most of them
    at the office on the same days in the weeks before: not a workplace cluster."""
    start = d(1, 7)
    cases = []
    for i in range(22):
        onset = start + timedelta(days=10 + i % 7)
        on_site = frozenset(start + timedelta(days=n) for n in range(3, 10) if n % 5 != i % 5)
        cases.append(ClusterCase(id=100 + i, reference=onset, place="outside", on_site=on_site))
    result = cluster_verdict(cases, 14)
    assert result.verdict == NOT_CLUSTER
    assert len(result.linked) == 22 and len(result.links) == 231  # every pair shared a day
    assert result.places == {"office": 0, "outside": 22, "unknown": 0}
    assert result.linked_places == {"office": 0, "outside": 22, "unknown": 0}
    assert [r.code for r in result.reasons] == [
        "confirmed",
        "shared",
        "places",
        "linked_places",
        "all_outside",
    ]
    shared = result.reasons[1].numbers
    assert shared["linked"] == 22 and shared["pairs"] == 231 and shared["days"] == 7

    # One of them found to have been infected at the office turns it into a cluster.
    cases[5] = ClusterCase(
        id=105, reference=cases[5].reference, place="office", on_site=cases[5].on_site
    )
    assert cluster_verdict(cases, 14).verdict == CLUSTER


def test_the_counts_per_place_cover_every_case_and_the_linked_ones():
    cases = [
        case(1, 12, "office", (10,)),
        case(2, 14, "unknown", (10,)),
        case(3, 15, "outside", ()),
        case(4, 16, "outside", (20,)),
    ]
    result = cluster_verdict(cases, 14)
    assert result.verdict == CLUSTER
    assert result.links == (Link(1, 2, (d(10),)),)
    assert result.linked == (1, 2)
    assert result.places == {"office": 1, "outside": 2, "unknown": 1}
    assert result.linked_places == {"office": 1, "outside": 0, "unknown": 1}
