"""Writes of the performance app: targets (targets.py), daily reports (reports.py) and their
evidence files (evidence.py)."""
