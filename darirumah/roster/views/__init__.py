"""The roster's pages: staff schedules, the request inbox and the head's roster grid."""

from .grid import roster_cell, roster_grid, roster_grid_plan, roster_grid_publish
from .requests import request_decide, request_inbox
from .schedule import my_request, my_schedule

__all__ = [
    "my_request",
    "my_schedule",
    "request_decide",
    "request_inbox",
    "roster_cell",
    "roster_grid",
    "roster_grid_plan",
    "roster_grid_publish",
]
