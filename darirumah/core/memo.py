"""Per-process memory of values that are expensive to build and rarely change.

The check-in surge asks thousands of times a minute for an agency's calendar and for the rules
in force, which change a few times a year. Each process keeps them and reuses one while a
fingerprint read from the database (a count and a last change, read in a statement the caller
makes anyway) is the same: a change made through any service in any process is seen by the
next request, with no time-to-live and nothing to invalidate across processes.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

T = TypeVar("T")


class Fingerprinted(Generic[T]):
    """Values by key, each kept with the fingerprint it was built under; the least recently
    used are dropped beyond `size`. The values are shared: treat them as read-only."""

    def __init__(self, size: int = 256):
        self._items: OrderedDict[Hashable, tuple[Hashable, T]] = OrderedDict()
        self._size = size

    def get(self, key: Hashable, fingerprint: Hashable, build: Callable[[], T]) -> T:
        hit = self._items.get(key)
        if hit is not None and hit[0] == fingerprint:
            self._items.move_to_end(key)
            return hit[1]
        value = build()
        self._items[key] = (fingerprint, value)
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        return value
