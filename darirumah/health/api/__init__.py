"""Health API (see API.md): one router per part, mounted together under /api/v1.

- cases.py: the health register (cases and tests) and the access log;
- isolations.py: contact tracing of a case, close contacts, isolation periods;
- facilities.py: office and room closures, reopening, the disinfection log;
- clusters.py: is this office a workplace cluster, and why;
- dashboard.py: the dashboard figures and the agency's health settings.
"""

from ninja import Router

from . import cases, clusters, dashboard, facilities, isolations

router = Router(tags=["health"])
router.add_router("", cases.router)
router.add_router("", isolations.router)
router.add_router("", facilities.router)
router.add_router("", clusters.router)
router.add_router("", dashboard.router)
