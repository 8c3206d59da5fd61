"""Performance models: targets and daily reports (reports.py), the month-end evaluation
(evaluation.py), the TPP allowance (tpp.py), discipline cases (discipline.py) and the agency's
performance rules with the month-end runs (setup.py)."""

from .discipline import DisciplineCase
from .evaluation import Evaluation, UnitEvaluation
from .reports import DailyReport, ReportEvidence, ReportItem, Target
from .setup import MonthEndRun, PerformanceRuleSet
from .tpp import TppLine

__all__ = [
    "DailyReport",
    "DisciplineCase",
    "Evaluation",
    "MonthEndRun",
    "PerformanceRuleSet",
    "ReportEvidence",
    "ReportItem",
    "Target",
    "TppLine",
    "UnitEvaluation",
]
