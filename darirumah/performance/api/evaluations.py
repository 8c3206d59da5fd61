"""Performance API: evaluations (filled in by the evaluations part of issue 5)."""

from ninja import Router

router = Router(tags=["performance"])
