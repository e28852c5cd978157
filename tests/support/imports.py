"""Answers put into a round through the importer, as rows of an import file.

Question ids always come from the app's bank, so the rows suit the small test
bank and the real one in ``questions/``.
"""

from __future__ import annotations

from flask import Flask

from assessment.services import importer, results, rounds
from assessment.services.importer import ImportPlan

from .rounds import IMPORT_HEADER


def answer_rows(app: Flask, department: str, respondent: str, level: str = "3",
                comment: str = "", directorate: str = "") -> list[list[str]]:
    """Import rows answering every question of the app's bank at ``level``."""
    return [[department, respondent, q.id, level, comment if i == 0 else "", "", directorate]
            for i, q in enumerate(app.extensions["question_bank"].questions)]


def import_rows(app: Flask, round_id: int, rows: list[list[str]]) -> ImportPlan:
    """Import rows (without header) into a round through the importer."""
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        plan = importer.plan_import(assessment_round, results.round_bank(assessment_round),
                                    [IMPORT_HEADER, *rows])
        importer.apply_import(assessment_round, plan)
        return plan
