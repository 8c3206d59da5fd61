"""The 07:25 surge, for headless locust (`bench/bench_checkin.py` starts it; not run by hand).

Four scenarios on the same server, chosen by BENCH_SCENARIO:

- "ping": every simulated user calls GET /api/v1/ping with an employee's token, back to back:
  the cheapest authenticated JSON call, the framework's ceiling on this machine.
- "checkin": the users take the employees one after another from the plan, each posting that
  employee's check-in (location and a phone photo) once; every 20th employee taps twice at the
  same moment (two concurrent requests). When the plan is used up the run stops.
- "floor": the same requests as "checkin", sent to the bench-only POST /api/v1/bench/floor
  (bench/checkin/floor.py): the upload parsed, checked and stored, one row inserted.
- "surge": the same as "checkin", but paced: together the users start BENCH_RATE check-ins per
  second (the whole plan within a few minutes), which is how the phones of a city arrive at
  07:25.

Each response of the check-in scenario is written to BENCH_RESULTS (JSON lines) so that the
benchmark can compare what the server accepted with what the database holds.
"""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path

import gevent
from locust import FastHttpUser, constant, constant_throughput, events, task
from locust.exception import StopUser

PLAN = json.loads(Path(os.environ["BENCH_PLAN"]).read_text())
PHOTOS = [p.read_bytes() for p in sorted(Path(os.environ["BENCH_PHOTOS"]).glob("*.jpg"))]
SCENARIO = os.environ.get("BENCH_SCENARIO", "checkin")
PATH = "/api/v1/bench/floor" if SCENARIO == "floor" else "/api/v1/attendance/check-in"
RESULTS: list[dict] = []
_next = itertools.count()  # the next employee of the plan to check in
_slots = itertools.count()  # each user's first token for the ping scenario
_finished = []  # set once the plan is used up: the first user to see it ends the run


@events.quitting.add_listener
def _write_results(environment, **_kwargs):
    if SCENARIO != "ping":
        with open(os.environ["BENCH_RESULTS"], "w") as out:
            out.writelines(json.dumps(r) + "\n" for r in RESULTS)


class Phone(FastHttpUser):
    if SCENARIO == "surge":
        wait_time = constant_throughput(float(os.environ["BENCH_RATE"]) / int(os.environ["USERS"]))
    else:
        wait_time = constant(0)

    def on_start(self):
        self.slot = next(_slots)

    @task
    def act(self):
        if SCENARIO == "ping":
            self.ping()
        else:
            self.check_in()

    def ping(self):
        # One phone, one token, called again and again: the token's last use is recorded once a
        # minute, so this is the pure read path (each check-in is its phone's first call).
        person = PLAN[self.slot % len(PLAN)]
        headers = {"Authorization": f"Bearer {person['token']}"}
        self.client.get("/api/v1/ping", headers=headers, name="GET /api/v1/ping")

    def check_in(self):
        index = next(_next)
        if index >= len(PLAN):
            if not _finished:
                _finished.append(True)
                # After the other users' last requests come back (--stop-timeout).
                gevent.spawn_later(0.1, self.environment.runner.quit)
            raise StopUser()
        person = PLAN[index]
        if index % 20 == 0:  # the double tap: two requests for one person at the same moment
            jobs = [gevent.spawn(self.post, index, person, tap) for tap in (1, 2)]
            gevent.joinall(jobs)
        else:
            self.post(index, person, 1)

    def post(self, index: int, person: dict, tap: int) -> None:
        photo = PHOTOS[index % len(PHOTOS)]
        fields = {
            "latitude": str(person["latitude"]),
            "longitude": str(person["longitude"]),
            "accuracy": str(person["accuracy"]),
        }
        body, boundary = _multipart(fields, photo)
        headers = {
            "Authorization": f"Bearer {person['token']}",
            "Content-Type": f"multipart/form-data; boundary={boundary}",
        }
        with self.client.post(
            PATH,
            data=body,
            headers=headers,
            name=f"POST {PATH}",
            catch_response=True,
        ) as response:
            record = {"employee": person["employee"], "tap": tap, "status": response.status_code}
            if response.status_code in (200, 201):
                data = response.json()
                record.update(id=data["id"], created=data["created"], place=data["place"])
            else:
                response.failure(f"{response.status_code}: {response.text[:200]}")
            RESULTS.append(record)


def _multipart(fields: dict[str, str], photo: bytes) -> tuple[bytes, str]:
    boundary = "----darirumah-bench-7f3a9c"
    parts = []
    for name, value in fields.items():
        head = f'Content-Disposition: form-data; name="{name}"'
        parts.append(f"--{boundary}\r\n{head}\r\n\r\n{value}\r\n".encode())
    parts.append(
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="photo"; '
            f'filename="selfie.jpg"\r\nContent-Type: image/jpeg\r\n\r\n'
        ).encode()
        + photo
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), boundary
