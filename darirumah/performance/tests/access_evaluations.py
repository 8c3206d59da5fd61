"""Who may call each evaluations endpoint and open each evaluation page (see
darirumah/core/tests/matrix.py).

The evaluation acted on is the pegawai's August 2026 (Bidang Pelayanan, under Disdukcapil):
the kepala OPD heads Disdukcapil, so they confirm it and send Disdukcapil's summary; the atasan
(their supervisor), the OPD admin, BKPSDM, pimpinan and the operator read it; the health officer
does not read performance data. BKPSDM and the operator run the month. Each role's call starts
from the same state: the callables reset it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from darirumah.core.tests.matrix import EVERYONE, Case

P = "/api/v1"
PERIOD = date(2026, 8, 1)  # a month in the past whatever day the walker runs
READERS = frozenset(
    {"pegawai", "atasan", "kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "operator"}
)
RUNNERS = frozenset({"bkpsdm", "operator"})
HEADS = frozenset({"kepala_opd"})
# Disdukcapil's summary and the unit page: whoever oversees the OPD.
OVERSEERS = frozenset({"kepala_opd", "admin_opd", "bkpsdm", "pimpinan", "operator"})


def _evaluation(cast):
    """The pegawai's August, computed (not confirmed)."""
    from darirumah.performance.models import Evaluation

    evaluation, _ = Evaluation.objects.update_or_create(
        employee=cast.pegawai,
        period=PERIOD,
        defaults={
            "agency": cast.agency,
            "unit": cast.pelayanan,
            "working_days": 19,
            "score": Decimal("80.00"),
            "rating": "baik",
            "final_rating": "baik",
            "adjust_reason": "",
            "status": "computed",
            "confirmed_by": None,
            "confirmed_at": None,
            "computed_at": datetime(2026, 8, 31, 10, 0, tzinfo=UTC),
        },
    )
    return evaluation


def _summary(cast):
    """Disdukcapil's August summary, not sent, with every evaluation of its people confirmed."""
    from darirumah.performance.models import Evaluation, UnitEvaluation

    _evaluation(cast)
    Evaluation.objects.filter(period=PERIOD, unit__path__startswith=cast.disdukcapil.path).update(
        status="confirmed", confirmed_at=datetime(2026, 8, 31, 11, 0, tzinfo=UTC)
    )
    summary, _ = UnitEvaluation.objects.update_or_create(
        unit=cast.disdukcapil,
        period=PERIOD,
        defaults={
            "agency": cast.agency,
            "figures": {},
            "computed_at": datetime(2026, 8, 31, 10, 0, tzinfo=UTC),
            "sent_at": None,
            "sent_by": None,
        },
    )
    return summary


API = {
    ("GET", f"{P}/evaluations"): Case(EVERYONE, query=lambda c: {"period": "2026-08"}),
    ("GET", f"{P}/evaluations/{{evaluation_id}}"): Case(
        READERS, path=lambda c: {"evaluation_id": _evaluation(c).pk}
    ),
    ("POST", f"{P}/evaluations/run"): Case(
        RUNNERS, body=lambda c, role: {"period": "2026-08", "agency": c.agency.pk}
    ),
    ("POST", f"{P}/evaluations/{{evaluation_id}}/confirm"): Case(
        HEADS,
        path=lambda c: {"evaluation_id": _evaluation(c).pk},
        body=lambda c, role: {"rating": None, "reason": ""},
    ),
    ("GET", f"{P}/evaluations/units"): Case(EVERYONE, query=lambda c: {"period": "2026-08"}),
    ("POST", f"{P}/evaluations/units/{{unit_evaluation_id}}/send"): Case(
        HEADS, path=lambda c: {"unit_evaluation_id": _summary(c).pk}
    ),
}

PAGES = {
    "performance-evaluation-overview": Case(
        OVERSEERS, query=lambda c: {"period": "2026-08", "agency": c.agency.pk}
    ),
    "performance-evaluation-run": Case(
        RUNNERS,
        method="POST",
        body=lambda c, role: {"period": "2026-08", "agency": c.agency.pk},
        ok=(302,),
    ),
    "performance-evaluation-unit": Case(
        OVERSEERS, query=lambda c: {"unit": c.disdukcapil.pk, "period": "2026-08"}
    ),
    "performance-evaluation-mine": Case(EVERYONE),
    "performance-evaluation-detail": Case(READERS, path=lambda c: {"pk": _evaluation(c).pk}),
    "performance-evaluation-confirm": Case(
        HEADS,
        method="POST",
        path=lambda c: {"pk": _evaluation(c).pk},
        body=lambda c, role: {f"e{_evaluation(c).pk}-rating": "baik", "unit": c.disdukcapil.pk},
        ok=(302,),
    ),
    "performance-evaluation-send": Case(
        HEADS, method="POST", path=lambda c: {"pk": _summary(c).pk}, ok=(302,)
    ),
}
