"""Round results kept in memory, keyed by what the database says about the round.

Why a per-process (per-app) cache is right with several workers and hosts: the key
(:func:`~assessment.services.results.results_key`) is read from the database
on every request: the round's identity (database, id, creation time), its
``data_version``, which every answer write, submission, import, challenge and
directorate change bumps in the same transaction, and a digest of its targets
and thresholds.  Two workers can therefore only differ in *whether* they hold a
round's results, never in *what* they hold for the current version; a write
anywhere changes the key everywhere at once.  Nothing is ever invalidated by
hand, so there is nothing to broadcast between processes.

A database table of cached documents was the other choice.  It was not taken
because the pages need the whole :class:`~assessment.core.analysis.RoundResults`
(respondent scores, question scores), not the JSON document; loading and
parsing a table row of several megabytes on every request would cost a good
part of what the cache saves; and a cold worker computes a 400,000-answer
round in under a second (benchmarks/README.md), once per data version.

Results computed from answers read *after* the key was read can only be newer
than the key says, never older, so serving them under that key is safe.

The cache belongs to the app (:mod:`assessment.cache`) and is bounded by
departments held (a 2,000-department round's results take about 9 MB), least
recently used first out.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from flask import Flask

from .. import cache
from ..core.analysis import RoundResults

#: At most this many departments' results are kept per app (about 45 MB).
MAX_DEPARTMENTS = 10_000
#: The name of the app's cache (:func:`assessment.cache.app_cache`).
CACHE_NAME = "round_results"


def _size(results: RoundResults) -> int:
    return max(1, len(results.departments))


def get_or_compute(key: Hashable, compute: Callable[[], RoundResults]) -> RoundResults:
    """The results cached under ``key``, else ``compute()``'s, cached.

    Two threads missing the same key at once both compute it; the results are equal.
    """
    return cache.app_cache(CACHE_NAME, MAX_DEPARTMENTS, _size).get_or_compute(key, compute)


def held(key: Hashable) -> RoundResults | None:
    """The results cached under ``key``, or None: never computed (a respondent's page
    reads results only when someone else's view has already worked them out)."""
    return cache.app_cache(CACHE_NAME, MAX_DEPARTMENTS, _size).get(key)


def clear(app: Flask | None = None) -> None:
    """Forget the results kept by ``app`` (default: the current app).

    Benchmarks and tests measure cold computation with this.
    """
    cache.app_cache(CACHE_NAME, MAX_DEPARTMENTS, _size, app=app).clear()
