"""Health API: cases (see API.md)."""

from ninja import Router

router = Router()
