"""Performance API: tpp (filled in by the tpp part of issue 5)."""

from ninja import Router

router = Router(tags=["performance"])
