"""Health API: dashboard (see API.md)."""

from ninja import Router

router = Router()
