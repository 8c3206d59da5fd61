"""The demo agencies: Kota Serang and Kota Batu, shaped after the two seed stories.

`plan_demo(today)` computes the data (pure, deterministic); `install(plans)` writes whatever of it
is missing, so running the demo twice changes nothing.
"""

from .build import CHANGE_REASON, DEMO_PASSWORD, DemoConflict, LoginRow, Outcome, install
from .plan import AGENCIES, AgencyPlan, PlannedLogin, operator_login, plan_demo

__all__ = [
    "AGENCIES",
    "CHANGE_REASON",
    "DEMO_PASSWORD",
    "AgencyPlan",
    "DemoConflict",
    "LoginRow",
    "Outcome",
    "PlannedLogin",
    "install",
    "operator_login",
    "plan_demo",
]
