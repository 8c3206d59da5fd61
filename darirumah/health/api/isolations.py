"""Health API: isolations (see API.md)."""

from ninja import Router

router = Router()
