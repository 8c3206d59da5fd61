"""Concurrent duplicate check-ins on PostgreSQL: the unique constraint keeps one row and both
requests get it back (run with DATABASE_URL=postgres:///…; skipped on SQLite)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from darirumah.attendance.models import Attendance
from darirumah.attendance.services.checkin import checkin_record
from darirumah.org.access import access_for

from .checkin_helpers import image_bytes, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="real concurrency needs PostgreSQL"
    ),
]


def test_two_simultaneous_check_ins_store_one_row(cast, media, clock):
    access = access_for(cast.pegawai.user)
    photo = image_bytes("JPEG", (1600, 1200))
    barrier = threading.Barrier(2)
    results, errors = [], []

    def run():
        try:
            upload_file = upload(photo)
            barrier.wait(timeout=10)
            # Both threads pass the "already checked in?" read before either inserts: the
            # constraint, not the read, has to keep the second row out.
            results.append(
                checkin_record(
                    access=access,
                    latitude="-6.12",
                    longitude="106.15",
                    accuracy="10",
                    photo=upload_file,
                )
            )
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    for _round in range(5):
        Attendance.objects.all().delete()
        results.clear()
        threads = [threading.Thread(target=run) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        assert not errors, errors
        assert Attendance.objects.filter(employee=cast.pegawai).count() == 1
        row = Attendance.objects.get(employee=cast.pegawai)
        assert len(results) == 2
        assert {r.record.pk for r in results} == {row.pk}
        assert sorted(r.created for r in results) == [False, True]
        # the loser's photo is not left behind
        assert len(list(media.rglob("*.jpg"))) == 1
        for path in media.rglob("*.jpg"):
            path.unlink()
