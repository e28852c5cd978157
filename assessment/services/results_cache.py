"""Round results kept in this process's memory, in front of the shared store.

Three tiers, fastest first (:func:`assessment.services.results.analyse`):

1. this cache, per app and process, keyed by
   :func:`~assessment.services.results.results_key`: the round's identity
   (database, id, creation time), its ``data_version``, which every answer
   write, submission, import, challenge and directorate change bumps in the
   same transaction, and a digest of its targets and thresholds;
2. the store every worker and host shares (:mod:`.results_store`: the
   database, or Redis), one entry per round at its current version;
3. computing from the answers, then storing.

The key is read from the database on every request, so two workers can only
differ in *whether* they hold a round's results, never in *what* they hold for
the current version; a write anywhere changes the key everywhere at once.
Nothing is invalidated by hand, so there is nothing to broadcast.  A miss here
costs one read of the store, not a computation, so this cache can stay small:
it is bounded by departments held (a 2,000-department round's results take
about 9 MB), least recently used first out.  The trend's earlier rounds are
kept apart, as summaries (:func:`get_summary`), so drawing the trend never
pushes the round being viewed out of memory.

Results computed from answers read *after* the key was read can only be newer
than the key says, never older, so serving them under that key is safe.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import Flask

from .. import cache
from ..core.analysis import RoundResults

#: At most this many departments' results are kept per app (about 45 MB).
MAX_DEPARTMENTS = 10_000
#: At most this many departments' trend summaries (dimension scores only) per app.
MAX_SUMMARY_DEPARTMENTS = 50_000
#: The names of the app's caches (:func:`assessment.cache.app_cache`).
CACHE_NAME = "round_results"
SUMMARY_CACHE_NAME = "round_summaries"


def _size(results: RoundResults) -> int:
    return max(1, len(results.departments))


def _results(app: Flask | None = None) -> cache.LRUCache[Hashable, RoundResults]:
    return cache.app_cache(CACHE_NAME, MAX_DEPARTMENTS, _size, app=app)


def _summaries(app: Flask | None = None) -> cache.LRUCache[Hashable, RoundResults]:
    return cache.app_cache(SUMMARY_CACHE_NAME, MAX_SUMMARY_DEPARTMENTS, _size, app=app)


def get_or_compute(key: Hashable, compute: Callable[[], RoundResults]) -> RoundResults:
    """The results cached under ``key``, else ``compute()``'s, cached.

    Two threads missing the same key at once both compute it; the results are equal.
    """
    return _results().get_or_compute(key, compute)


def get(key: Hashable) -> RoundResults | None:
    """The whole results cached under ``key``, if any."""
    return _results().get(key)


def get_summary(key: Hashable) -> RoundResults | None:
    """The trend summary cached under ``key``, if any."""
    return _summaries().get(key)


def put_summary(key: Hashable, summary: RoundResults) -> None:
    _summaries().put(key, summary)


def held(key: Hashable) -> RoundResults | None:
    """The results cached under ``key``, or None: never computed (a respondent's page
    reads results only when someone else's view has already worked them out)."""
    return cache.app_cache(CACHE_NAME, MAX_DEPARTMENTS, _size).get(key)


def clear(app: Flask | None = None) -> None:
    """Forget the results and summaries kept by ``app`` (default: the current app).

    Benchmarks and tests measure reading the store, or computing, with this.
    """
    _results(app).clear()
    _summaries(app).clear()
