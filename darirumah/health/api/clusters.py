"""Health API: clusters (see API.md)."""

from ninja import Router

router = Router()
