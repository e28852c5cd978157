"""The board report's notes: how to read the paper, and how the numbers are made.

The method note quotes the thresholds the round actually used (its own, or
the defaults of docs/specification.md section 5), so the paper explains its own flags.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import gettext as _

from ..core.scoring import score_text
from ..services.results import round_thresholds
from ..views.results.view import RoundView


@dataclass(frozen=True)
class Note:
    heading: str
    paragraphs: tuple[str, ...]


def _number(value: float) -> str:
    return f"{value:g}"


def guide_note(view: RoundView) -> Note:
    """What the paper's parts show, in plain words."""
    scale = "; ".join(f"{level.level} {level.name.get(view.language)}" for level in view.bank.scale)
    return Note(_("How to read this paper"), (
        _("Every score runs from 1 to 5, one point for each level of maturity: %(scale)s.",
          scale=scale),
        _("A score shows the level it has reached: %(example)s is still level 2, because level 3 "
          "starts at 3.0. Scores are cut to one decimal place, never rounded up, so the number "
          "never contradicts the level beside it.", example=score_text(2.95)),
        _("The radar shows the organisation's score on each dimension; the shaded band runs from "
          "the lowest to the highest department, and a target, where one is set, is drawn as a "
          "second line."),
        _("The gaps say where departments are not joined up: where they differ, where one is "
          "behind or ahead of the rest, where a department's own respondents disagree, and "
          "where a target is not met."),
        _("The action plan names the questions to work on next, what the next level looks "
          "like, and departments that can learn from each other."),
    ))


def method_note(view: RoundView) -> Note:
    """What a score is, what is flagged and why, with this round's thresholds."""
    limits = round_thresholds(view.round)
    return Note(_("Method"), (
        _("Each respondent chooses a level from 1 to 5 for each question, or says they don't "
          "know, or that it does not apply; only levels are scored. A respondent's score on a "
          "dimension is the weighted mean of their levels on its questions. A department's "
          "score is the mean of its respondents' scores, and the organisation's score is the "
          "mean of the departments' scores, each department counting once."),
        _("A dimension is flagged as inconsistent when the highest and lowest department scores "
          "on it are %(spread)s or more apart; a question, when they are %(question)s or more "
          "apart.", spread=_number(limits.dimension_spread),
          question=_number(limits.question_spread)),
        _("A department is flagged as behind or ahead when its score on a dimension is "
          "%(distance)s or more from the median of the departments.",
          distance=_number(limits.outlier_distance)),
        _("Respondents of one department are flagged as disagreeing when their scores on a "
          "dimension are %(spread)s or more apart.",
          spread=_number(limits.within_department_spread)),
        _("Only submitted answers count. Flags point to where a conversation is needed; "
          "they are not a verdict on any department."),
    ))
