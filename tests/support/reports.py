"""Rounds and reports for the board paper and Word report tests (not fixtures).

- :func:`large_round`: a generated round of many departments over six
  directorates, with some departments far behind or ahead so the summary names them.
- :func:`build_report`: the board report of a round, as the print view builds it.
- :func:`results_document`: the round's results document, to check against.
- :func:`squashed`: text without whitespace, so a name wrapped over two lines
  of a PDF still matches.
"""

from __future__ import annotations

import random
import unicodedata
from types import SimpleNamespace

from flask import Flask

from assessment.flags import Wording
from assessment.queries import results as result_queries
from assessment.queries import rounds as round_queries
from assessment.report import BoardReport, board_report
from assessment.services import demo, results, rounds
from assessment.views.results.view import RoundView

from .rounds import IMPORT_HEADER, RoundFactory

DIRECTORATES = ("People", "Place", "Communities", "Corporate", "Resources", "Health")


def large_round(app: Flask, departments: int, seed: int = 7) -> int:
    """An open round of ``departments`` departments ("Service 001" ...), two respondents each."""
    chance = random.Random(seed)
    bank = app.extensions["question_bank"]
    rows = [list(IMPORT_HEADER)]
    for number in range(1, departments + 1):
        name = f"Service {number:03d}"
        levels = ("1",) if number % 37 == 0 else ("5",) if number % 41 == 0 else ("2", "3", "4")
        for respondent in ("Head of service", "Deputy head"):
            rows.extend([name, respondent, question.id, chance.choice(levels), "", "",
                         DIRECTORATES[number % len(DIRECTORATES)]] for question in bank.questions)
    return RoundFactory(app)(f"{departments} departments", rows=rows,
                             organisation=demo.ORGANISATION_NAME).id


def build_report(app: Flask, round_id: int, language: str = "en") -> BoardReport:
    """The round's board report, built as the print view builds it (without a request's user)."""
    with app.test_request_context(f"/?lang={language}"):
        found = rounds.require_round(round_id)
        info = round_queries.RoundInfo.of(found)
        view = RoundView(info, results.analyse(found),
                         tuple(result_queries.round_departments(round_id)), language)
        counts = SimpleNamespace(departments=len(view.departments), invited=1, submitted=1)
        return board_report(view, counts, demo.ORGANISATION_NAME, "today")


def results_document(app: Flask, round_id: int, language: str = "en") -> dict:
    """The round's results document (docs/specification.md section 8), as ``flask results`` prints it."""
    with app.app_context():
        return results.results_document(results.analyse(rounds.require_round(round_id)), language)


def page_words(app: Flask, round_id: int, scores: list[float | None]) -> list[str]:
    """``scores`` as the results pages write them ("2.5, Emerging")."""
    with app.test_request_context():
        bank = results.analyse(rounds.require_round(round_id)).bank
        wording = Wording(bank, "en")
        return [wording.score_and_level(score) for score in scores]


def squashed(text: str) -> str:
    """NFKC turns a PDF's ligatures ("ﬁ") back into letters."""
    return "".join(unicodedata.normalize("NFKC", text).split())
