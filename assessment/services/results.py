"""Round results: database rows -> core analysis -> the CONTRACT section 8 document."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass, fields
from functools import lru_cache
from typing import Any

from ..core.analysis import RoundResults, analyse_round
from ..core.answers import parse_answer
from ..core.bank import QuestionBank, bank_from_dict
from ..core.consistency import Thresholds
from ..core.scoring import DepartmentInput
from ..models import Round
from ..queries import responses as response_queries


@dataclass(frozen=True)
class RoundAnalysis:
    """A round, the bank it pinned, and its results."""

    round: Round
    bank: QuestionBank
    results: RoundResults


@lru_cache(maxsize=64)
def _bank_from_json(snapshot_json: str) -> QuestionBank:
    return bank_from_dict(json.loads(snapshot_json))


def round_bank(assessment_round: Round) -> QuestionBank:
    """The question bank snapshot the round was opened with (parsed once per process).

    Keyed by the snapshot's content, so it can never serve another round's bank.
    """
    return _bank_from_json(json.dumps(assessment_round.bank_snapshot, sort_keys=True))


def round_thresholds(assessment_round: Round) -> Thresholds:
    known = {f.name for f in fields(Thresholds)}
    overrides = {k: float(v) for k, v in (assessment_round.thresholds or {}).items() if k in known}
    return Thresholds(**overrides)


def department_inputs(rows: Sequence[Any]) -> list[DepartmentInput]:
    """Group answer rows (department, directorate, response id, ..., question, value)."""
    answers: dict[tuple[str, str | None], dict[int, dict[str, int | str]]] = defaultdict(
        lambda: defaultdict(dict)
    )
    for department, directorate, response_id, _respondent, question_id, value, *_ in rows:
        parsed = parse_answer(value)
        if parsed is not None:
            answers[(department, directorate)][response_id][question_id] = parsed
    return [
        DepartmentInput(name, directorate, tuple(by_response.values()))
        for (name, directorate), by_response in answers.items()
    ]


def analyse(assessment_round: Round) -> RoundAnalysis:
    """Score a round from its submitted answers."""
    bank = round_bank(assessment_round)
    rows = response_queries.round_answer_rows(assessment_round.id)
    results = analyse_round(
        bank,
        department_inputs(rows),
        round_thresholds(assessment_round),
        {k: float(v) for k, v in (assessment_round.targets or {}).items()},
    )
    return RoundAnalysis(assessment_round, bank, results)


def results_document(analysis: RoundAnalysis, language: str = "en") -> dict[str, Any]:
    """The results JSON of CONTRACT section 8 (unrounded numbers, null where unscored)."""
    assessment_round, bank, results = analysis.round, analysis.bank, analysis.results
    organisation = results.organisation
    return {
        "round": {
            "id": assessment_round.id,
            "name": assessment_round.name,
            "status": assessment_round.status,
            "question_bank": {"id": bank.id, "version": bank.version},
        },
        "scale": [{"level": lv.level, "name": lv.name.get(language)} for lv in bank.scale],
        "dimensions": [{"id": d.id, "name": d.name.get(language)} for d in bank.dimensions],
        "organisation": {
            "scores": organisation.scores,
            "median": organisation.median,
            "min": organisation.min,
            "max": organisation.max,
            "targets": results.targets,
            "departments_scored": organisation.departments_scored,
        },
        "departments": [
            {
                "name": d.name,
                "directorate": d.directorate,
                "respondents": d.respondents,
                "scores": d.scores,
                "levels": d.levels,
                "dont_know_rate": d.dont_know_rate,
                "question_scores": d.question_scores,
            }
            for d in results.departments
        ],
        "inconsistencies": [
            {**asdict(flag), "lowest": list(flag.lowest), "highest": list(flag.highest)}
            for flag in results.inconsistencies
        ],
        "outliers": [asdict(outlier) for outlier in results.outliers],
        "within_department": [asdict(item) for item in results.within_department],
    }
