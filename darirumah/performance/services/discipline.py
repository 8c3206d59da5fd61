"""Discipline cases (PP 94/2021): the daily scan that recommends cases from attendance and
targets, cases opened by hand, the decision, and the flag on recommendations left undecided.

Nothing is sanctioned automatically: the scan only opens recommendations; a person (the direct
supervisor, the head of the unit or BKPSDM) accepts, changes or dismisses each with a reason.
The rules (bands, runs, deadlines) are in performance/rules/discipline.py; who may act is in
performance/selectors/discipline.py.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from simple_history.utils import bulk_create_with_history

from darirumah.attendance.models import Attendance
from darirumah.core import calendar as calendar_service
from darirumah.core.errors import Conflict, DomainError, NotAllowed, from_django_validation
from darirumah.notify.models import Notification
from darirumah.notify.services import notify
from darirumah.org.access import Access
from darirumah.org.models import Agency, Employee, Role, RoleAssignment, Unit

from .. import config
from ..models import DisciplineCase, Evaluation
from ..rules import discipline as rules
from ..selectors import discipline as selectors
from ..selectors.evaluation import performance_config

Source = DisciplineCase.Source
Status = DisciplineCase.Status
KIND_RECOMMENDED = "performance.discipline_recommended"
KIND_OPENED = "performance.discipline_opened"
KIND_DECIDED = "performance.discipline_decided"
KIND_OVERDUE = "performance.discipline_overdue"
DECISIONS = ("accept", "change", "dismiss")
MAX_SUMMARY = DisciplineCase._meta.get_field("summary").max_length
MAX_TEXT = 4000
BATCH = 500


def discipline_config(agency: Agency) -> config.DisciplineConfig:
    """The agency's discipline settings (the defaults without a rule set)."""
    return performance_config(agency).discipline


def _default_language():
    return translation.override(settings.LANGUAGE_CODE)


def _case_link(case_id: int | None = None) -> str:
    if case_id is None:
        return reverse("performance-discipline-list") + "?status=recommended"
    return reverse("performance-discipline-detail", args=[case_id])


def _bkpsdm_user_ids(agency_id: int) -> list[int]:
    return list(
        RoleAssignment.objects.filter(
            role=Role.BKPSDM, agency_id=agency_id, revoked_at__isnull=True, user__is_active=True
        )
        .values_list("user_id", flat=True)
        .distinct()
    )


# --- who must act: the direct supervisor, else the head of the nearest unit up ---------------


PERSON_FIELDS = ("pk", "user_id", "supervisor_id", "unit__path", "is_active")


def _staff(agency_id: int) -> dict[int, rules.Person]:
    """Every employee of the agency, in one query."""
    rows = Employee.objects.filter(agency_id=agency_id).values_list(*PERSON_FIELDS)
    return {row[0]: rules.Person(*row) for row in rows}


def _unit_heads(agency_id: int) -> dict[int, int | None]:
    return dict(Unit.objects.filter(agency_id=agency_id).values_list("pk", "head_id"))


# --- the scan --------------------------------------------------------------------------------


def _absences(agency: Agency, start: date, through: date, index: dict) -> dict[int, list[date]]:
    """Each active employee's unexcused absent working days, in one query."""
    found: dict[int, list[date]] = defaultdict(list)
    rows = (
        Attendance.objects.filter(
            employee__agency_id=agency.pk,
            employee__is_active=True,
            status=Attendance.Status.ABSENT,
            date__gte=start,
            date__lte=through,
        )
        .order_by("employee_id", "date")
        .values_list("employee_id", "date")
    )
    for employee_id, day in rows.iterator(chunk_size=5000):
        if day in index:
            found[employee_id].append(day)
    return found


def _evaluated_months(agency: Agency, through: date) -> dict[int, list[rules.MonthResult]]:
    """Each active employee's evaluated months, the twelve up to the month of `through`."""
    last = through.replace(day=1)
    first = last
    for _i in range(11):
        first = rules.previous_month(first)
    found: dict[int, list[rules.MonthResult]] = defaultdict(list)
    rows = Evaluation.objects.filter(
        agency_id=agency.pk, employee__is_active=True, period__gte=first, period__lte=last
    ).values_list("employee_id", "period", "target_achievement")
    for employee_id, period, achievement in rows.iterator(chunk_size=5000):
        found[employee_id].append(rules.MonthResult(period, achievement))
    return found


def _opened(agency: Agency, year: int, triggers: set[str]) -> dict[int, set[str]]:
    """The triggers already opened, per employee: every year band of the year, and the others
    among `triggers` (one query)."""
    rows = DisciplineCase.objects.filter(
        Q(trigger__startswith=f"absence_year:{year}:") | Q(trigger__in=sorted(triggers)),
        employee__agency_id=agency.pk,
    ).values_list("employee_id", "trigger")
    opened: dict[int, set[str]] = defaultdict(set)
    for employee_id, trigger in rows:
        opened[employee_id].add(trigger)
    return opened


@transaction.atomic
def discipline_scan(*, agency: Agency, through: date) -> dict:
    """Recommend discipline cases for the agency's active employees from the calendar year of
    `through` up to that day: the highest absence band reached and not yet opened, each run of
    consecutive working days absent long enough for dismissal, and missed targets in the latest
    evaluated month. Opens each trigger once per person (a second scan opens nothing) and tells
    the ones who must act and BKPSDM after commit. Returns counts.

    A fixed number of queries whatever the number of employees: the absences of the whole
    agency in one query (ordered by employee and date), the evaluations in another, the cases
    already opened in a third; the new cases and their history in bulk."""
    # One scan of an agency at a time (PostgreSQL; SQLite serialises writers anyway).
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    cfg = discipline_config(agency)
    year = through.year
    start = date(year, 1, 1)
    calendar = calendar_service.calendar_for(agency, years=[year])
    index = rules.working_day_index(calendar.iter_working_days(start, through))
    staff = _staff(agency.pk)
    found: list[rules.Finding] = []
    with _default_language():
        for employee_id, days in _absences(agency, start, through, index).items():
            item = rules.year_finding(employee_id, days, through)
            if item is not None:
                found.append(item)
            runs = rules.absence_runs(days, index)
            for run in rules.dismissal_runs(runs, cfg.consecutive_absence_days):
                found.append(rules.run_finding(employee_id, run))
        for employee_id, months in _evaluated_months(agency, through).items():
            streak = rules.missed_streak(months, cfg.missed_target_percent)
            if streak:
                found.append(rules.missed_finding(employee_id, streak, cfg.missed_target_percent))
    found = [f for f in found if f.employee_id in staff]
    opened = _opened(agency, year, {f.trigger for f in found if f.source != Source.ABSENCE_YEAR})
    fresh = rules.new_findings(found, opened, year)
    counts = {"employees": sum(1 for p in staff.values() if p.active), "opened": len(fresh)}
    for source in (Source.ABSENCE_YEAR, Source.ABSENCE_RUN, Source.MISSED_TARGETS):
        counts[source.value] = sum(1 for f in fresh if f.source == source)
    if not fresh:
        return counts
    heads = _unit_heads(agency.pk)
    deadline = rules.decide_by(calendar.today(), cfg.decision_days)
    cases = [
        DisciplineCase(
            agency_id=agency.pk,
            employee_id=f.employee_id,
            supervisor_id=rules.must_act(staff[f.employee_id], staff, heads),
            source=f.source,
            trigger=f.trigger,
            recommended_level=f.level,
            recommended_sanction=f.sanction,
            evidence=f.evidence,
            summary=f.summary[:MAX_SUMMARY],
            decide_by=deadline,
        )
        for f in fresh
    ]
    bulk_create_with_history(cases, DisciplineCase, batch_size=BATCH)
    supervisors = {c.supervisor_id for c in cases if c.supervisor_id is not None}
    users = [staff[pk].user_id for pk in supervisors if staff[pk].user_id is not None]
    count = len(cases)
    transaction.on_commit(lambda: _notify_recommended(agency, users, count, deadline), robust=True)
    return counts


def _notify_recommended(agency: Agency, supervisor_users: list[int], count: int, deadline):
    with _default_language():
        values = {"count": count, "agency": agency.name, "date": date_format(deadline)}
        notify(
            supervisor_users,
            kind=KIND_RECOMMENDED,
            title=_("Discipline recommendations for your staff"),
            body=_(
                "DariRumah recommends discipline cases for people you supervise. Nothing is "
                "sanctioned automatically: accept, change or dismiss each one with a reason by "
                "%(date)s."
            )
            % values,
            link=_case_link(),
        )
        notify(
            _bkpsdm_user_ids(agency.pk),
            kind=KIND_RECOMMENDED,
            title=ngettext(
                "%(count)d new discipline recommendation in %(agency)s",
                "%(count)d new discipline recommendations in %(agency)s",
                count,
            )
            % values,
            body=_("The supervisors are asked to decide them by %(date)s.") % values,
            link=_case_link(),
        )


# --- a case opened by hand -------------------------------------------------------------------


def _text(value, name: str, limit: int, problems: dict, *, required: bool) -> str:
    value = (value or "").strip()
    if required and not value:
        problems[name] = [_("Required.")]
    elif len(value) > limit:
        problems[name] = [_("At most %(n)d characters.") % {"n": limit}]
    return value


def _must_act_for(employee: Employee) -> int | None:
    """`rules.must_act` for one person (a few small queries)."""
    path_ids = [int(p) for p in employee.unit.path.strip("/").split("/") if p]
    heads = dict(Unit.objects.filter(pk__in=path_ids).values_list("pk", "head_id"))
    wanted = {employee.pk, employee.supervisor_id, *heads.values()} - {None}
    rows = Employee.objects.filter(pk__in=wanted).values_list(*PERSON_FIELDS)
    staff = {row[0]: rules.Person(*row) for row in rows}
    return rules.must_act(staff[employee.pk], staff, heads)


def case_create(
    *,
    access: Access,
    employee: Employee,
    level: str,
    sanction: str,
    summary: str,
    evidence_text: str = "",
) -> DisciplineCase:
    """Open a case by hand (a supervisor up the person's chain, the head over their unit or
    BKPSDM): a recommendation like the scan's, decided the same way."""
    if access.employee is not None and employee.pk == access.employee.pk:
        raise NotAllowed(_("A case about yourself is opened by your supervisor or BKPSDM."))
    access.require(
        selectors.opens_case(access, employee),
        _("Only the person's supervisor, the head of their unit or BKPSDM opens a case."),
    )
    problems = rules.level_sanction_problems(level, sanction)
    summary = _text(summary, "summary", MAX_SUMMARY, problems, required=True)
    evidence_text = _text(evidence_text, "evidence_text", MAX_TEXT, problems, required=False)
    if not employee.is_active:
        problems["employee"] = [_("%(name)s is no longer active.") % {"name": employee.name}]
    if problems:
        raise DomainError(_("The case was not opened: correct the marked fields."), fields=problems)
    cfg = discipline_config(employee.agency)
    calendar = calendar_service.calendar_for(employee.agency)
    case = DisciplineCase(
        agency_id=employee.agency_id,
        employee=employee,
        supervisor_id=_must_act_for(employee),
        source=Source.MANUAL,
        trigger=f"manual:{uuid.uuid4().hex}",
        recommended_level=level,
        recommended_sanction=sanction,
        evidence={"kind": Source.MANUAL, "text": evidence_text},
        summary=summary,
        decide_by=rules.decide_by(calendar.today(), cfg.decision_days),
    )
    try:
        case.full_clean()
    except ValidationError as exc:
        raise from_django_validation(exc, _("The case was not opened")) from None
    with transaction.atomic():
        case._history_user = access.user
        case.save()
        author_id = access.user.pk
        transaction.on_commit(lambda: _notify_opened(case, author_id), robust=True)
    return case


def _notify_opened(case: DisciplineCase, author_id: int) -> None:
    people = set(_bkpsdm_user_ids(case.agency_id))
    if case.supervisor_id is not None:
        people.add(Employee.objects.get(pk=case.supervisor_id).user_id)
    people -= {author_id, None}
    with _default_language():
        values = {"name": case.employee.name, "date": date_format(case.decide_by)}
        notify(
            people,
            kind=KIND_OPENED,
            title=_("Discipline case about %(name)s to decide") % values,
            body=_("A discipline case about %(name)s was opened; decide it by %(date)s.") % values,
            link=_case_link(case.pk),
        )


# --- the decision ----------------------------------------------------------------------------


def case_decide(
    *,
    access: Access,
    case: DisciplineCase,
    decision: str,
    reason: str,
    level: str | None = None,
    sanction: str | None = None,
) -> DisciplineCase:
    """Decide a recommendation: accept it as recommended, change its level and sanction, or
    dismiss it, always with a reason. A decided case is final. A sanction starts on the first
    day of the month after the decision and runs its months (a 25% cut for 6, 9 or 12)."""
    if access.employee is not None and case.employee_id == access.employee.pk:
        raise NotAllowed(_("A discipline case about yourself is decided by somebody else."))
    access.require(
        selectors.decides_case(access, case),
        _("Only the person's direct supervisor, the head of their unit or BKPSDM decides."),
    )
    problems: dict[str, list[str]] = {}
    if decision not in DECISIONS:
        problems["decision"] = [_("Choose accept, change or dismiss.")]
    reason = _text(reason, "reason", MAX_TEXT, problems, required=True)
    if decision == "change":
        problems.update(rules.level_sanction_problems(level, sanction))
    if problems:
        raise DomainError(
            _("The decision was not saved: correct the marked fields."), fields=problems
        )
    today = calendar_service.calendar_for(case.agency).today()
    with transaction.atomic():
        locked = DisciplineCase.objects.select_for_update().get(pk=case.pk)
        if locked.status != Status.RECOMMENDED:
            raise Conflict(
                _("This case is already decided (%(status)s).")
                % {"status": locked.get_status_display()}
            )
        if decision == "dismiss":
            locked.status, locked.level, locked.sanction = Status.DISMISSED, "", ""
            locked.sanction_start, locked.sanction_months = None, 0
        else:
            if decision == "accept":
                locked.status = Status.ACCEPTED
                level, sanction = locked.recommended_level, locked.recommended_sanction
            else:
                locked.status = Status.CHANGED
            locked.level, locked.sanction = level, sanction
            locked.sanction_start = rules.sanction_start(today)
            locked.sanction_months = rules.sanction_months(sanction)
        locked.decision_reason = reason
        locked.decided_by = access.user
        locked.decided_at = calendar_service.utcnow()
        locked._history_user = access.user
        locked.save()
        transaction.on_commit(lambda: _notify_decided(locked), robust=True)
    return locked


def _notify_decided(case: DisciplineCase) -> None:
    with _default_language():
        if case.status == Status.DISMISSED:
            body = _("The discipline case “%(summary)s” was dismissed: %(reason)s")
        else:
            body = _(
                "The discipline case “%(summary)s” was decided: %(sanction)s. Reason: %(reason)s"
            )
        values = {
            "summary": case.summary,
            "reason": case.decision_reason,
            "sanction": case.get_sanction_display(),
        }
        notify(
            [case.employee],
            kind=KIND_DECIDED,
            title=_("A decision on your discipline case"),
            body=body % values,
            link=_case_link(case.pk),
        )


# --- recommendations left undecided ------------------------------------------------------------


def _already_flagged(keys: list[str]) -> set[str]:
    flagged: set[str] = set()
    for n in range(0, len(keys), BATCH):
        flagged |= set(
            Notification.objects.filter(kind=KIND_OVERDUE, key__in=keys[n : n + BATCH])
            .values_list("key", flat=True)
            .distinct()
        )
    return flagged


def discipline_overdue_flag(*, agency: Agency, today: date) -> int:
    """Flag each recommendation still undecided after its decide-by day against the one who had
    to decide it: BKPSDM and that person's own superior (their supervisor, else the head of
    their unit) are told, once per case. Returns how many cases were flagged now."""
    cases = list(
        DisciplineCase.objects.filter(agency=agency, status=Status.RECOMMENDED, decide_by__lt=today)
        .select_related("employee", "supervisor")
        .order_by("decide_by", "pk")
    )
    keys = {case.pk: f"{KIND_OVERDUE}:{case.pk}" for case in cases}
    flagged = _already_flagged(list(keys.values()))
    cases = [case for case in cases if keys[case.pk] not in flagged]
    if not cases:
        return 0
    staff = _staff(agency.pk)
    heads = _unit_heads(agency.pk)
    bkpsdm = _bkpsdm_user_ids(agency.pk)
    for case in cases:
        people = list(bkpsdm)
        supervisor = staff.get(case.supervisor_id)
        if supervisor is not None:
            superior = staff.get(rules.must_act(supervisor, staff, heads))
            if superior is not None and superior.pk != case.employee_id:
                people.append(superior.user_id)
        with _default_language():
            values = {
                "supervisor": case.supervisor.name if case.supervisor else _("nobody"),
                "name": case.employee.name,
                "date": date_format(case.decide_by),
                "summary": case.summary,
            }
            notify(
                people,
                kind=KIND_OVERDUE,
                title=_("Discipline case of %(name)s not decided in time") % values,
                body=_(
                    "%(supervisor)s has not decided the discipline case of %(name)s "
                    "(“%(summary)s”), due on %(date)s. PP 94/2021: a supervisor "
                    "who does not act is sanctioned."
                )
                % values,
                link=_case_link(case.pk),
                key=keys[case.pk],
            )
    return len(cases)
