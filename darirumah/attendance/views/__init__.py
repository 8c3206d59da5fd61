"""Attendance pages, one module per area."""
