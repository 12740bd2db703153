"""A bounded, thread-safe map that forgets its least recently used entries (caches of vectors and of
stored records)."""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class LruCache(Generic[K, V]):
    """At most ``capacity`` entries; reading an entry makes it the most recent."""

    def __init__(self, capacity: int) -> None:
        self.capacity = capacity
        self._entries: OrderedDict[K, V] = OrderedDict()
        self._lock = threading.Lock()  # concurrent requests share one cache

    def __len__(self) -> int:
        return len(self._entries)

    def found(self, keys: Iterable[K]) -> dict[K, V]:
        """The entries held for ``keys`` (the others are simply absent)."""
        out: dict[K, V] = {}
        with self._lock:
            for key in keys:
                value = self._entries.get(key)
                if value is not None:
                    self._entries.move_to_end(key)
                    out[key] = value
        return out

    def keep(self, entries: dict[K, V]) -> None:
        with self._lock:
            for key, value in entries.items():
                self._entries[key] = value
                self._entries.move_to_end(key)
            while len(self._entries) > self.capacity:
                self._entries.popitem(last=False)
