"""Timing one action of a benchmark with the number of queries it sent."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.db import connection


@contextmanager
def counting() -> Iterator[list[int]]:
    """Counts queries with a bare execute wrapper (capturing their SQL would slow them down)."""
    box = [0]

    def count(execute, sql, params, many, context):
        box[0] += 1
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        yield box


def measure(name: str, action: Callable[[], object]) -> tuple[str, float, int]:
    """(name, seconds, queries) of running `action` once."""
    with counting() as box:
        began = time.perf_counter()
        action()
        took = time.perf_counter() - began
    return name, took, box[0]
