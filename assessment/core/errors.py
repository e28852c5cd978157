"""The one error family of the Joined-Up domain core.

Every problem the core detects is an :class:`AssessmentError`, a ``ValueError``
subclass, so callers can catch domain problems with a single ``except`` while
letting programming errors (``TypeError``, ``KeyError`` ...) surface.
"""

__all__ = ["AnswerError", "AssessmentError", "BankError", "ScoringError"]


class AssessmentError(ValueError):
    """Base class of every error raised by ``assessment.core``."""


class BankError(AssessmentError):
    """The question bank is inconsistent (duplicate ids, bad scale ...)."""


class AnswerError(AssessmentError):
    """An answer value is not one the contract allows."""


class ScoringError(AssessmentError):
    """Scoring inputs do not fit the question bank or the thresholds."""
