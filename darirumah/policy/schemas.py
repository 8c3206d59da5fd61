"""API shapes for circulars."""

from __future__ import annotations

from datetime import date, datetime

from ninja import Field, Schema

from .models import Circular, CircularEvent


class EarlyStartIO(Schema):
    unit: int
    starts_on: date


class EventOut(Schema):
    action: CircularEvent.Action
    actor_id: int | None
    at: datetime
    note: str


class CircularOut(Schema):
    id: int
    agency_id: int
    number: str
    title: str
    issuer_name: str
    issuer_position: str
    legal_basis: str
    starts_on: date
    ends_on: date | None
    status: Circular.Status
    units: list[int]
    offices: list[int]
    early_starts: list[EarlyStartIO]
    version: int
    rules: dict
    events: list[EventOut]

    @staticmethod
    def resolve_units(obj):
        return [u.pk for u in obj.units.all()]

    @staticmethod
    def resolve_offices(obj):
        return [o.pk for o in obj.offices.all()]

    @staticmethod
    def resolve_early_starts(obj):
        return [{"unit": e.unit_id, "starts_on": e.starts_on} for e in obj.early_starts.all()]

    @staticmethod
    def resolve_version(obj):
        latest = max(obj.versions.all(), key=lambda v: v.number, default=None)
        return latest.number if latest else 0

    @staticmethod
    def resolve_rules(obj):
        latest = max(obj.versions.all(), key=lambda v: v.number, default=None)
        return latest.rules if latest else {}

    @staticmethod
    def resolve_events(obj):
        return list(obj.events.all())


class CircularIn(Schema):
    agency: int | None = Field(None, description="Defaults to the caller's agency.")
    number: str = Field(min_length=1, max_length=100)
    title: str = Field(min_length=3, max_length=300)
    issuer_name: str = Field(min_length=2, max_length=200)
    issuer_position: str = Field(min_length=2, max_length=200)
    legal_basis: str = ""
    starts_on: date
    ends_on: date | None = None
    units: list[int] = Field(default_factory=list, description="Empty: the whole agency.")
    offices: list[int] = Field(default_factory=list)
    early_starts: list[EarlyStartIO] = Field(default_factory=list)
    rules: dict = Field(default_factory=dict, description="policy.rules.RuleSet; defaults apply.")


class CircularPatch(Schema):
    number: str | None = Field(None, min_length=1, max_length=100)
    title: str | None = Field(None, min_length=3, max_length=300)
    issuer_name: str | None = None
    issuer_position: str | None = None
    legal_basis: str | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    units: list[int] | None = None
    offices: list[int] | None = None
    early_starts: list[EarlyStartIO] | None = None
    rules: dict | None = Field(None, description="A new rule-set version.")
    note: str = ""


class NoteIn(Schema):
    note: str = ""


class ExtendIn(Schema):
    ends_on: date | None = Field(description="The new end; null leaves it open.")
    note: str = ""
