"""Performance API (see API.md): one router per part, mounted together under /api/v1.

- reports.py: targets, daily reports with evidence, the review, the missing list;
- evaluations.py: the month-end evaluation, its confirmation and the unit summary;
- tpp.py: the TPP allowance list with its breakdown and the XLSX export;
- discipline.py: discipline case recommendations and decisions.
"""

from ninja import Router

from . import dashboards, discipline, evaluations, reports, tpp

router = Router(tags=["performance"])
router.add_router("", reports.router)
router.add_router("", evaluations.router)
router.add_router("", tpp.router)
router.add_router("", discipline.router)
router.add_router("", dashboards.router)
