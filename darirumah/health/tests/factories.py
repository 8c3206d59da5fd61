"""Test data of the health app: the clock (performance's), and the measures."""

from __future__ import annotations

from darirumah.performance.tests.factories import Clock

__all__ = ["Clock"]
