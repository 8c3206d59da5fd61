"""Performance API: discipline (filled in by the discipline part of issue 5)."""

from ninja import Router

router = Router(tags=["performance"])
