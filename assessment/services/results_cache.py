"""Round results kept in memory, keyed by what the database says about the round.

Why a per-process cache is right with several workers and hosts: the key
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

The cache is bounded by departments held (a 2,000-department round's results
take about 9 MB), least recently used first out.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable

from ..core.analysis import RoundResults

#: At most this many departments' results are kept per process (about 45 MB).
MAX_DEPARTMENTS = 10_000

_entries: OrderedDict[Hashable, RoundResults] = OrderedDict()
_held = 0
_lock = threading.Lock()


def _size(results: RoundResults) -> int:
    return max(1, len(results.departments))


def get_or_compute(key: Hashable, compute: Callable[[], RoundResults]) -> RoundResults:
    """The results cached under ``key``, else ``compute()``'s, cached.

    Two threads missing the same key at once both compute it; the results are equal.
    """
    global _held
    with _lock:
        found = _entries.get(key)
        if found is not None:
            _entries.move_to_end(key)
            return found
    results = compute()
    with _lock:
        if key not in _entries:
            _entries[key] = results
            _held += _size(results)
        while _held > MAX_DEPARTMENTS and len(_entries) > 1:
            _, dropped = _entries.popitem(last=False)
            _held -= _size(dropped)
    return results


def clear() -> None:
    """Forget everything (benchmarks measure cold computation with this)."""
    global _held
    with _lock:
        _entries.clear()
        _held = 0


def cached_rounds() -> int:
    """How many round results this process holds (for tests and benchmarks)."""
    with _lock:
        return len(_entries)
