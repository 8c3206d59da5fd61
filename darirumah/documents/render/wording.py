"""The sentences of the letters, from plain data: what a circular's rule set decides, the
grounds of a discipline decree, dates and names as Indonesian letters print them.

No ORM and no clock: documents.selectors.sources reads the records and passes the facts; the
caller picks the language (letters are built under the default language, Indonesian).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from darirumah.policy import rules as policy_rules
from darirumah.policy.selectors import PLACEMENT_LABELS, criterion_label, percent

DASH = "\u2013"


def day_text(value: date) -> str:
    """23 November 2026 (the active language's month names)."""
    return date_format(value, "j F Y")


def nip_printed(nip: str) -> str:
    """A NIP as printed on letters: "19850330 201001 1 002"."""
    if len(nip) == 18 and nip.isdigit():
        return f"{nip[:8]} {nip[8:14]} {nip[14]} {nip[15:]}"
    return nip


def and_list(names: list[str]) -> str:
    """ "A", "A and B", "A, B and C"."""
    if len(names) < 2:
        return "".join(names)
    return _("%(first)s and %(last)s") % {"first": ", ".join(names[:-1]), "last": names[-1]}


def period_text(start: date, end: date | None) -> str:
    if end is None:
        return _("in the period from %(start)s until it is withdrawn") % {"start": day_text(start)}
    return _("in the period %(start)s to %(end)s") % {
        "start": day_text(start),
        "end": day_text(end),
    }


# --- the circular ------------------------------------------------------------------------------


@dataclass
class CircularFacts:
    """What a circular's letter states, read from its record and its newest rule set."""

    agency_name: str
    zone: str  # WIB, WITA, WIT
    starts_on: date
    ends_on: date | None
    ruleset: policy_rules.RuleSet
    units: list[str] = field(default_factory=list)  # the scope; both empty: the whole agency
    offices: list[str] = field(default_factory=list)
    early: list[tuple[str, date]] = field(default_factory=list)  # (unit, first day)
    exempt_kinds: list[str] = field(default_factory=list)  # labels of the unit kinds
    minimums: list[tuple[str, int, float]] = field(default_factory=list)  # (unit, count, share)
    preset: str = ""  # the cap the agency's zone or PPKM level gives, described; "" for none
    office_caps: list[tuple[str, float]] = field(default_factory=list)  # (office, share)


def _scope(facts: CircularFacts) -> str:
    if not facts.units and not facts.offices:
        return _("This circular covers every unit of %(agency)s.") % {"agency": facts.agency_name}
    parts = []
    if facts.units:
        parts.append(
            _("the units %(names)s with the units below them") % {"names": and_list(facts.units)}
        )
    if facts.offices:
        parts.append(_("the staff housed in %(names)s") % {"names": and_list(facts.offices)})
    return _("This circular covers %(scope)s.") % {"scope": and_list(parts)}


def _minimum(unit: str, count: int, share: float) -> str:
    values = {"unit": unit, "count": count, "share": percent(share)}
    if count and share:
        return (
            _("%(unit)s: at least %(count)s staff or %(share)s of its staff, whichever is more")
            % values
        )
    if share:
        return _("%(unit)s: at least %(share)s of its staff") % values
    return (
        ngettext(
            "%(unit)s: at least %(count)s staff member", "%(unit)s: at least %(count)s staff", count
        )
        % values
    )


def _criteria(ruleset: policy_rules.RuleSet) -> str:
    grouped: dict[str, list[str]] = {}
    for flag, placement in ruleset.criteria.items():
        label = criterion_label(flag)
        if flag == "over_50":
            label = _("%(label)s (%(age)s years)") % {"label": label, "age": ruleset.over_age}
        grouped.setdefault(placement, []).append(label[:1].lower() + label[1:])
    lines = [
        _("Where staff work follows the criteria of %(cite)s:") % {"cite": policy_rules.SE_58_2020}
    ]
    for placement, text in PLACEMENT_LABELS.items():
        if placement in grouped:
            lines.append(f"{DASH} {text}: {', '.join(grouped[placement])}")
    return "\n".join(lines)


def _sub_list(intro: str, lines: list[str]) -> str:
    return intro + "".join(f"\n{DASH} {line}" for line in lines)


def circular_provisions(facts: CircularFacts) -> list[str]:
    """What the circular decides, one numbered item each, in plain sentences."""
    rules = facts.ruleset
    items = [
        _("Civil servants work from home %(period)s.")
        % {"period": period_text(facts.starts_on, facts.ends_on)},
        _scope(facts),
    ]
    if facts.early:
        early = [
            _("%(unit)s from %(date)s") % {"unit": unit, "date": day_text(day)}
            for unit, day in facts.early
        ]
        items.append(_("These units start earlier: %(list)s.") % {"list": "; ".join(early)})
    if facts.exempt_kinds:
        items.append(
            _("%(kinds)s keep working at the office and serving the public (%(cite)s).")
            % {"kinds": and_list(facts.exempt_kinds), "cite": policy_rules.EXEMPT_CITATION}
        )
    if facts.minimums:
        items.append(
            _sub_list(
                _("Units that serve the public keep a minimum of staff at the office:"),
                [_minimum(*row) for row in facts.minimums],
            )
        )
    if rules.cap_preset == "agency" and facts.preset:
        items.append(
            _("Staff at the office are capped by the region's status: %(preset)s")
            % {"preset": facts.preset}
        )
    elif rules.cap_preset != "custom" and not facts.office_caps:
        items.append(_("The number of staff at the office is not capped."))
    if facts.office_caps:
        items.append(
            _sub_list(
                _("These offices have their own cap:"),
                [
                    _("%(office)s: at most %(share)s of its staff")
                    % {"office": office, "share": percent(share)}
                    for office, share in facts.office_caps
                ],
            )
        )
    items.append(_criteria(rules))
    if rules.flexible.enabled:
        items.append(
            _(
                "Flexible location (WFA) is allowed on at most %(days)s working days a week "
                "(%(cite)s); staff serving or awaiting a disciplinary sanction, and staff placed "
                "in their post less than %(months)s months ago, may not take it."
            )
            % {
                "days": rules.flexible.max_days_per_week,
                "cite": rules.flexible.citation,
                "months": rules.flexible.new_placement_months,
            }
        )
    times = {
        "checkin": rules.checkin_deadline.strftime("%H.%M"),
        "vicon": rules.vicon_time.strftime("%H.%M"),
        "report": rules.report_time.strftime("%H.%M"),
        "zone": facts.zone,
        "radius": rules.geofence_radius_m,
    }
    items += [
        _(
            "Every working day staff check in by %(checkin)s %(zone)s, at home within "
            "%(radius)s m of their registered home or at the office; a later check-in counts as "
            "late."
        )
        % times,
        _("Check-ins outside that area are refused.")
        if rules.outside_checkin == "refuse"
        else _("Check-ins outside that area are marked for the supervisor to review."),
        _(
            "Staff working from home attend the unit's video call at %(vicon)s %(zone)s and "
            "report their work with evidence every day."
        )
        % times,
        _("Each OPD sends its daily recap to BKPSDM at %(report)s %(zone)s.") % times,
        _(
            "After %(days)s working days the policy is reviewed: where less than %(share)s of "
            "the tasks given to staff are done, it may be withdrawn."
        )
        % {"days": rules.review_after_days, "share": percent(rules.effectiveness_threshold)},
        _("Every civil servant working from home signs a statement letter."),
    ]
    return items


# --- the discipline decree ---------------------------------------------------------------------


def _first_ground(evidence: dict, person: dict, summary: str) -> str:
    kind = evidence.get("kind")
    if kind == "absence_year" and "days" in evidence:
        return _(
            "that %(name)s, NIP %(nip)s, was absent from work without a valid reason on "
            "%(days)s working days in total in %(year)s;"
        ) % {**person, "days": evidence["days"], "year": evidence.get("year", "")}
    if kind == "absence_run" and "first" in evidence and "last" in evidence:
        return _(
            "that %(name)s, NIP %(nip)s, was absent from work without a valid reason on "
            "%(days)s consecutive working days, from %(first)s to %(last)s;"
        ) % {
            **person,
            "days": evidence.get("days", ""),
            "first": day_text(date.fromisoformat(evidence["first"])),
            "last": day_text(date.fromisoformat(evidence["last"])),
        }
    if kind == "missed_targets" and "month" in evidence:
        return _(
            "that %(name)s, NIP %(nip)s, reached %(achievement)s%% of the agreed performance "
            "targets in %(month)s, below the required %(threshold)s%%;"
        ) % {
            **person,
            "achievement": evidence.get("achievement", ""),
            "threshold": evidence.get("threshold", ""),
            "month": date_format(date.fromisoformat(evidence["month"] + "-01"), "F Y"),
        }
    return _("that %(name)s, NIP %(nip)s, is found to have breached discipline: %(what)s;") % {
        **person,
        "what": summary,
    }


def considering(evidence: dict, *, name: str, nip: str, summary: str) -> str:
    """The decree's "Menimbang": what the case's evidence shows, the breach, the need to
    decide (points a, b, c)."""
    person = {"name": name, "nip": nip_printed(nip)}
    grounds = [
        _first_ground(evidence or {}, person, summary),
        _(
            "that this breaches the duties of civil servants under Government Regulation "
            "94 of 2021 on Civil Servant Discipline, as the examination found;"
        ),
        _(
            "that on the grounds in points a and b a decision on imposing a disciplinary "
            "sanction must be set;"
        ),
    ]
    return "\n".join(f"{mark}. {text}" for mark, text in zip("abc", grounds, strict=True))


def legal_grounds_discipline() -> str:
    """The decree's "Mengingat"."""
    return "\n".join(
        [
            "1. " + _("Law 20 of 2023 on the State Civil Apparatus;"),
            "2. " + _("Government Regulation 94 of 2021 on Civil Servant Discipline;"),
        ]
    )
