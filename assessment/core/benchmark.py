"""Peer benchmarks: where one organisation's score sits among its group's.

A benchmark group's members contribute closed rounds; each organisation gives
one score per dimension and per question (its latest contribution, so it counts
once).  For one dimension or question, this module works out the group's
distribution and the organisation's position in it, or says that too few
organisations have contributed to show anything (docs/specification.md section 15).

Public names:

- :data:`DEFAULT_MINIMUM`: below this many scores nothing is shown (5).
- :func:`distribution` and :class:`Distribution`: count, lowest, lower quartile,
  median, upper quartile, highest.
- :func:`position` and :class:`Position`: how many organisations score below, and a band.
- :func:`benchmark` and :class:`Benchmark`: both, or neither when too few contributed.
- :data:`BANDS`: the band codes, lowest first.
- :func:`group_benchmark` and :class:`GroupBenchmark`: every dimension and question
  of one group at once, from each organisation's contributed scores.

**Quartiles** are ``statistics.quantiles(scores, n=4, method="inclusive")``: the
scores sorted, the lower quartile at position ``(n - 1) / 4`` (counting from 0),
the upper at ``3 (n - 1) / 4``, interpolated linearly between neighbours; the
median is the middle quantile (``statistics.median``).  With 6 scores, the lower
quartile lies a quarter of the way from the 2nd to the 3rd.

**Bands**, with ties decided exactly so (scores within
:data:`~assessment.core.scoring.TOLERANCE` count as equal):

- ``at_median``: the score equals the median;
- ``lowest_quarter``: strictly below the lower quartile;
- ``below_median``: at or above the lower quartile and below the median;
- ``above_median``: above the median and at or below the upper quartile;
- ``highest_quarter``: strictly above the upper quartile.

So a score equal to a quartile falls in the band nearer the median.

>>> found = benchmark([1.5, 2.0, 2.5, 3.0, 3.5, 4.5], 3.5)
>>> found.distribution
Distribution(count=6, lowest=1.5, lower_quartile=2.125, median=2.75, upper_quartile=3.375, highest=4.5)
>>> found.position
Position(score=3.5, below=4, band='highest_quarter')
>>> benchmark([1.0, 2.0, 3.0, 4.0], 2.0).shown
False
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from statistics import median, quantiles

from .errors import AssessmentError
from .scoring import TOLERANCE

__all__ = [
    "BANDS",
    "DEFAULT_MINIMUM",
    "Benchmark",
    "BenchmarkError",
    "Distribution",
    "GroupBenchmark",
    "Position",
    "benchmark",
    "distribution",
    "group_benchmark",
    "position",
]

#: Fewer contributed scores than this and nothing is shown.
DEFAULT_MINIMUM = 5
#: The band codes, lowest first (see the module docstring for their exact limits).
BANDS = ("lowest_quarter", "below_median", "at_median", "above_median", "highest_quarter")
#: The scale every score is on.
LOWEST_SCORE, HIGHEST_SCORE = 1.0, 5.0


class BenchmarkError(AssessmentError):
    """The scores or the minimum given cannot be benchmarked."""


@dataclass(frozen=True)
class Distribution:
    """A group's scores on one dimension or question, one score per organisation."""

    count: int
    lowest: float
    lower_quartile: float
    median: float
    upper_quartile: float
    highest: float


@dataclass(frozen=True)
class Position:
    """An organisation's score, how many organisations score strictly below it,
    and its band (one of :data:`BANDS`)."""

    score: float
    below: int
    band: str


@dataclass(frozen=True)
class Benchmark:
    """What a page shows for one dimension or question of one group.

    ``contributed`` counts the organisations with a score on it; when that is
    below ``minimum``, ``distribution`` and ``position`` are ``None``.
    ``position`` is also ``None`` when the organisation's own score is.
    """

    contributed: int
    minimum: int
    distribution: Distribution | None
    position: Position | None

    @property
    def shown(self) -> bool:
        return self.distribution is not None


def _checked(scores: Iterable[float | None]) -> list[float]:
    """The scores given, ``None`` left out, sorted; an error for one off the 1..5 scale."""
    found = sorted(float(s) for s in scores if s is not None)
    for score in found:
        if not LOWEST_SCORE - TOLERANCE <= score <= HIGHEST_SCORE + TOLERANCE:
            raise BenchmarkError(f"a score must be between 1 and 5, not {score}")
    return found


def distribution(scores: Iterable[float | None]) -> Distribution:
    """The distribution of the scores given (``None`` left out).

    >>> distribution([3.0, 2.0, 3.0, 5.0, 3.0, 4.0])
    Distribution(count=6, lowest=2.0, lower_quartile=3.0, median=3.0, upper_quartile=3.75, highest=5.0)
    >>> distribution([2.0])
    Distribution(count=1, lowest=2.0, lower_quartile=2.0, median=2.0, upper_quartile=2.0, highest=2.0)
    >>> distribution([None])
    Traceback (most recent call last):
    ...
    assessment.core.benchmark.BenchmarkError: there are no scores to compare
    """
    found = _checked(scores)
    if not found:
        raise BenchmarkError("there are no scores to compare")
    lower, _middle, upper = (quantiles(found, n=4, method="inclusive") if len(found) > 1
                             else (found[0],) * 3)
    return Distribution(len(found), found[0], lower, median(found), upper, found[-1])


def _band(score: float, found: Distribution) -> str:
    if abs(score - found.median) <= TOLERANCE:
        return "at_median"
    if score < found.lower_quartile - TOLERANCE:
        return "lowest_quarter"
    if score < found.median:
        return "below_median"
    if score <= found.upper_quartile + TOLERANCE:
        return "above_median"
    return "highest_quarter"


def position(scores: Iterable[float | None], score: float) -> Position:
    """Where ``score`` sits among ``scores`` (which normally include it).

    >>> position([2.0, 3.0, 3.0, 3.0, 4.0, 5.0], 3.0)
    Position(score=3.0, below=1, band='at_median')
    >>> position([2.0, 3.0, 3.0, 3.0, 4.0, 5.0], 3.75)
    Position(score=3.75, below=4, band='above_median')
    """
    found = _checked(scores)
    own = _checked([score])[0]
    below = sum(1 for s in found if s < own - TOLERANCE)
    return Position(own, below, _band(own, distribution(found)))


def benchmark(scores: Iterable[float | None], score: float | None,
              minimum: int = DEFAULT_MINIMUM) -> Benchmark:
    """The distribution and position, or neither when fewer than ``minimum`` scored.

    >>> benchmark([2.0, 3.0, None, 4.0], 3.0, minimum=3).distribution.median
    3.0
    >>> benchmark([2.0, 3.0, 4.0], None, minimum=3).position is None
    True
    >>> benchmark([2.0], 2.0, minimum=0)
    Traceback (most recent call last):
    ...
    assessment.core.benchmark.BenchmarkError: the minimum must be 1 or more, not 0
    """
    if minimum < 1:
        raise BenchmarkError(f"the minimum must be 1 or more, not {minimum}")
    found = _checked(scores)
    if len(found) < minimum:
        return Benchmark(len(found), minimum, None, None)
    return Benchmark(len(found), minimum, distribution(found),
                     None if score is None else position(found, score))


@dataclass(frozen=True)
class GroupBenchmark:
    """One benchmark group seen from one round: a :class:`Benchmark` per dimension and
    per question, keyed by id in the order given.  ``organisations`` counts those
    whose scores are compared (the round's own organisation included, once)."""

    organisations: int
    minimum: int
    dimensions: dict[str, Benchmark]
    questions: dict[str, Benchmark]

    @property
    def shown(self) -> bool:
        """Whether enough organisations contributed for anything to be shown."""
        return self.organisations >= self.minimum


def group_benchmark(
    own: tuple[Mapping[str, float | None], Mapping[str, float | None]],
    peers: Sequence[tuple[Mapping[str, float | None], Mapping[str, float | None]]],
    dimension_ids: Sequence[str],
    question_ids: Sequence[str],
    minimum: int = DEFAULT_MINIMUM,
) -> GroupBenchmark:
    """Benchmark the round's own (dimension scores, question scores) against ``peers``,
    one pair per other organisation; the round itself counts as one organisation.

    A dimension or question a contribution does not score counts as unscored.

    >>> own = ({"a": 3.0}, {"a1": 3.0})
    >>> peers = [({"a": s}, {"a1": s}) for s in (1.5, 2.0, 2.5, 3.5, 4.5)]
    >>> found = group_benchmark(own, peers, ["a"], ["a1"])
    >>> found.organisations, found.dimensions["a"].position
    (6, Position(score=3.0, below=3, band='above_median'))
    >>> group_benchmark(own, peers[:3], ["a"], ["a1"]).shown
    False
    """
    everyone = [own, *peers]

    def compare(index: int, key: str) -> Benchmark:
        return benchmark([scores[index].get(key) for scores in everyone], own[index].get(key),
                         minimum)

    return GroupBenchmark(
        organisations=len(everyone),
        minimum=minimum,
        dimensions={key: compare(0, key) for key in dimension_ids},
        questions={key: compare(1, key) for key in question_ids},
    )
