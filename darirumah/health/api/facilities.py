"""Health API: facilities (see API.md)."""

from ninja import Router

router = Router()
