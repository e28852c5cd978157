"""Small in-memory caches that belong to the app: one bounded LRU, one way to get it.

Every cache of the app is an :class:`LRUCache` kept in ``app.extensions``, so
two apps in one process (the tests build hundreds) never share entries, and
nothing outlives its app.  Get one by name inside an app context::

    from assessment import cache

    banks = cache.app_cache("round_banks", max_weight=64)
    bank = banks.get_or_compute(identity, lambda: bank_from_dict(snapshot))

The first call with a name creates the cache with that bound; later calls
return the same cache (the bound given first wins).  ``weigh`` measures an
entry (default: 1 each, so ``max_weight`` counts entries); the least recently
used entries are dropped once the total passes ``max_weight``, always keeping
the newest one.

Keys are any hashable values and values are never None (``get`` answers None
for a miss).  Keys must say everything the value depends on,
because nothing is invalidated by hand (see :mod:`assessment.services.results_cache`).
A cache is safe to share between threads.  Two threads missing the same key at
once both compute it, outside the lock, and the first to finish is kept: the
values must be interchangeable.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from flask import Flask, current_app

__all__ = ["LRUCache", "app_cache", "clear_app_caches", "init_app"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")

_EXTENSION = "joined_up_caches"


def _one(_value: object) -> int:
    return 1


class LRUCache(Generic[K, V]):
    """A thread-safe mapping bounded by total weight, least recently used out first."""

    def __init__(self, max_weight: int, weigh: Callable[[V], int] = _one) -> None:
        if max_weight < 1:
            raise ValueError("max_weight must be at least 1")
        self.max_weight = max_weight
        self._weigh = weigh
        self._entries: OrderedDict[K, tuple[V, int]] = OrderedDict()
        self._weight = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        """The value under ``key`` (now the most recently used), else None."""
        with self._lock:
            found = self._entries.get(key)
            if found is None:
                return None
            self._entries.move_to_end(key)
            return found[0]

    def put(self, key: K, value: V) -> V:
        """Keep ``value`` under ``key`` unless a value is already there; the value kept."""
        weight = max(1, self._weigh(value))
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
                return found[0]
            self._entries[key] = (value, weight)
            self._weight += weight
            while self._weight > self.max_weight and len(self._entries) > 1:
                _, (_, dropped) = self._entries.popitem(last=False)
                self._weight -= dropped
            return value

    def get_or_compute(self, key: K, compute: Callable[[], V]) -> V:
        """The value under ``key``, else ``compute()``'s, kept under ``key``."""
        found = self.get(key)
        if found is not None:
            return found
        return self.put(key, compute())

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._weight = 0

    def __len__(self) -> int:
        with self._lock:
            return len(self._entries)

    def __contains__(self, key: object) -> bool:
        with self._lock:
            return key in self._entries

    @property
    def weight(self) -> int:
        """The total weight held."""
        with self._lock:
            return self._weight


class _Caches:
    """The app's caches by name (``app.extensions["joined_up_caches"]``)."""

    def __init__(self) -> None:
        self.by_name: dict[str, LRUCache] = {}  # type: ignore[type-arg]
        self.lock = threading.Lock()


def init_app(app: Flask) -> None:
    app.extensions[_EXTENSION] = _Caches()


def app_cache(name: str, max_weight: int, weigh: Callable[[V], int] = _one,
              app: Flask | None = None) -> LRUCache[Hashable, V]:
    """The cache called ``name`` of ``app`` (default: the current app), created on first use."""
    caches: _Caches = (app or current_app).extensions[_EXTENSION]
    found = caches.by_name.get(name)
    if found is None:
        with caches.lock:
            found = caches.by_name.setdefault(name, LRUCache(max_weight, weigh))
    return found


def clear_app_caches(app: Flask | None = None) -> None:
    """Empty every cache of ``app`` (default: the current app)."""
    caches: _Caches = (app or current_app).extensions[_EXTENSION]
    with caches.lock:
        for found in caches.by_name.values():
            found.clear()
