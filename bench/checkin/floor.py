"""The server of the check-in benchmark: the product's WSGI application plus one endpoint that
exists only here, the floor of a check-in.

POST /api/v1/bench/floor takes exactly the check-in's request (token, location, the same photo)
and does the least that any stored check-in must do on this stack: authenticate the token, read
the multipart body, check the photo's headers, store it through the storage API and insert one
row with a single SQL statement. No roster, rules, geofence, history or job. Measured in the same
run as the ceiling and the real check-in, it shows how much of the gap to the ceiling is the
upload itself and how much is the check-in's own work.

Never mounted by the product: gunicorn loads `bench.checkin.floor:application` only in the
benchmark.
"""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "darirumah.settings")

import django  # noqa: E402

django.setup()

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.db import connection  # noqa: E402
from ninja import File, Form, Router  # noqa: E402
from ninja.files import UploadedFile  # noqa: E402

from darirumah.api import api  # noqa: E402
from darirumah.attendance.services.checkin_photo import check_photo, store_incoming  # noqa: E402

TABLE = "bench_floor"  # created by bench_checkin.py in the benchmark's own database
CREATE = f"CREATE TABLE IF NOT EXISTS {TABLE} (id bigserial PRIMARY KEY, user_id integer, name text, at timestamptz)"  # noqa: E501
router = Router(tags=["bench"])


@router.post("/bench/floor")
def floor(
    request,
    latitude: Form[str] = "",
    longitude: Form[str] = "",
    accuracy: Form[str] = "",
    photo: File[UploadedFile] = None,
):
    name = store_incoming(check_photo(photo))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {TABLE} (user_id, name, at) VALUES (%s, %s, now()) RETURNING id",  # noqa: S608
            [request.user.pk, name],
        )
        row_id = cursor.fetchone()[0]
    return {"id": row_id, "created": True, "place": "unknown"}


api.add_router("/", router)  # before the first request builds the URL patterns
application = get_wsgi_application()
