"""Is an office a workplace cluster? Pure rules, no ORM.

A workplace cluster is two or more confirmed cases linked by shared presence on site within the
incubation window, with office infection likely. Two cases are linked when both were physically
at the office on a common day that lies within the incubation window before the later case's
reference date (symptom onset, else confirmation) and not after either case's reference date:
a day after a case's onset or test could not have infected the other through that case.

The verdict:
- "cluster": at least one link has a case whose likely place of infection is the office;
- "not_cluster": fewer than two confirmed cases, or no links, or every linked case was infected
  outside the office (Batu, 2020: 22 confirmed staff, many sharing the office, all infected
  outside — not a workplace cluster);
- "undetermined": links exist, none of the linked cases is marked infected at the office, and
  for some the place is unknown: the task force must find out.

The reasons are codes with their numbers; the selector turns them into sentences.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import combinations

OFFICE = "office"
OUTSIDE = "outside"
UNKNOWN = "unknown"
PLACES = (OFFICE, OUTSIDE, UNKNOWN)

CLUSTER = "cluster"
NOT_CLUSTER = "not_cluster"
UNDETERMINED = "undetermined"
MIN_CASES = 2

# Reason codes, in the order they are told.
R_CONFIRMED = "confirmed"  # {"cases": n}
R_SHARED = "shared"  # {"linked": cases in a link, "pairs": links, "days": distinct shared days}
R_PLACES = "places"  # {"office": n, "outside": n, "unknown": n} over every case
R_LINKED_PLACES = "linked_places"  # the same over the linked cases
R_TOO_FEW = "too_few"  # {"cases": n, "needed": 2}
R_NO_LINKS = "no_links"  # {"incubation_days": n}
R_OFFICE_LIKELY = "office_likely"  # {"office": linked cases infected at the office}
R_ALL_OUTSIDE = "all_outside"  # {"linked": n}
R_PLACE_UNKNOWN = "place_unknown"  # {"unknown": linked cases with an unknown place}


@dataclass(frozen=True)
class ClusterCase:
    id: int
    reference: date  # symptom onset, else the confirmation day
    place: str  # office, outside or unknown
    on_site: frozenset[date] = frozenset()


@dataclass(frozen=True)
class Link:
    a: int  # the case with the earlier reference date (the lower id on a tie)
    b: int
    days: tuple[date, ...]


@dataclass(frozen=True)
class Reason:
    code: str
    numbers: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Verdict:
    verdict: str
    links: tuple[Link, ...]
    places: dict[str, int]  # every case, per likely place
    linked_places: dict[str, int]  # the linked cases, per likely place
    linked: tuple[int, ...]  # ids of the cases in at least one link
    reasons: tuple[Reason, ...]


def shared_days(first: ClusterCase, second: ClusterCase, incubation_days: int) -> tuple[date, ...]:
    """The days both were on site within the incubation window before the later reference date
    and not after either reference date, in order."""
    later = max(first.reference, second.reference)
    earlier = min(first.reference, second.reference)
    since = later - timedelta(days=incubation_days)
    return tuple(sorted(d for d in first.on_site & second.on_site if since <= d <= earlier))


def find_links(cases: Iterable[ClusterCase], incubation_days: int) -> tuple[Link, ...]:
    """Every pair of cases linked by shared presence, ordered by the first case."""
    ordered = sorted(cases, key=lambda c: (c.reference, c.id))
    links = []
    for first, second in combinations(ordered, 2):
        days = shared_days(first, second, incubation_days)
        if days:
            links.append(Link(first.id, second.id, days))
    return tuple(links)


def _count(cases: Iterable[ClusterCase]) -> dict[str, int]:
    counts = dict.fromkeys(PLACES, 0)
    for case in cases:
        counts[case.place if case.place in counts else UNKNOWN] += 1
    return counts


def cluster_verdict(cases: Iterable[ClusterCase], incubation_days: int) -> Verdict:
    """The verdict over the confirmed cases of an office in a period, with its evidence."""
    cases = list(cases)
    by_id = {c.id: c for c in cases}
    places = _count(cases)
    reasons = [Reason(R_CONFIRMED, {"cases": len(cases)})]
    if len(cases) < MIN_CASES:
        reasons += [
            Reason(R_PLACES, places),
            Reason(R_TOO_FEW, {"cases": len(cases), "needed": MIN_CASES}),
        ]
        return Verdict(NOT_CLUSTER, (), places, _count(()), (), tuple(reasons))
    links = find_links(cases, incubation_days)
    linked_ids = sorted(
        {i for link in links for i in (link.a, link.b)},
        key=lambda i: (by_id[i].reference, i),
    )
    linked = [by_id[i] for i in linked_ids]
    linked_places = _count(linked)
    reasons += [
        Reason(
            R_SHARED,
            {
                "linked": len(linked),
                "pairs": len(links),
                "days": len({d for link in links for d in link.days}),
            },
        ),
        Reason(R_PLACES, places),
    ]
    if not links:
        verdict = NOT_CLUSTER
        reasons.append(Reason(R_NO_LINKS, {"incubation_days": incubation_days}))
    else:
        reasons.append(Reason(R_LINKED_PLACES, linked_places))
        office_linked = {i for link in links for i in (link.a, link.b) if by_id[i].place == OFFICE}
        if office_linked:
            verdict = CLUSTER
            reasons.append(Reason(R_OFFICE_LIKELY, {"office": len(office_linked)}))
        elif linked_places[UNKNOWN]:
            verdict = UNDETERMINED
            reasons.append(Reason(R_PLACE_UNKNOWN, {"unknown": linked_places[UNKNOWN]}))
        else:
            verdict = NOT_CLUSTER
            reasons.append(Reason(R_ALL_OUTSIDE, {"linked": len(linked)}))
    return Verdict(verdict, links, places, linked_places, tuple(linked_ids), tuple(reasons))
