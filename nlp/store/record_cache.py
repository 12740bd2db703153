"""Stored recommendations kept in memory after a first read: a stored record never changes (tags,
bodies and decisions live in tables of their own, and rows are never deleted), so a search that
returns the same recommendations again pays no SQL for them."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Any


class RecordCache:
    """At most ``capacity`` records by primary key; the least recently used go first."""

    def __init__(self, capacity: int = 20_000) -> None:
        self.capacity = capacity
        self._records: OrderedDict[int, dict[str, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def found(self, pks: Iterable[int]) -> dict[int, dict[str, Any]]:
        with self._lock:
            out = {}
            for pk in pks:
                record = self._records.get(pk)
                if record is not None:
                    self._records.move_to_end(pk)
                    out[pk] = record
            return out

    def keep(self, records: dict[int, dict[str, Any]]) -> None:
        with self._lock:
            self._records.update(records)
            while len(self._records) > self.capacity:
                self._records.popitem(last=False)
