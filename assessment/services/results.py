"""Round results: database rows -> core analysis -> the docs/specification.md section 8 document."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Hashable, Iterable
from dataclasses import asdict, dataclass, fields
from typing import Any

from .. import cache
from ..core.analysis import RoundResults, analyse_round
from ..core.answers import ANSWER_CHOICES, AnswerValue, parse_answer
from ..core.bank import QuestionBank, bank_from_dict
from ..core.consistency import Thresholds
from ..core.scoring import DepartmentInput
from ..extensions import db
from ..models import Round
from ..queries import responses as response_queries
from . import results_cache, results_store


@dataclass(frozen=True)
class RoundAnalysis:
    """A round, the bank it pinned, and its results."""

    round: Round
    bank: QuestionBank
    results: RoundResults


#: Banks parsed from round snapshots are kept per app (least recently used out).
BANKS_KEPT = 64


def round_identity(assessment_round: Round) -> tuple[str, int, int, str]:
    """The database, organisation, id and creation time of a round.

    They tell it apart from a round with the same id in another database, or in
    this one after it was emptied or restored from another installation's backup;
    the organisation makes every cache key say whose data it holds (issue 15).
    """
    return (db.engine.url.render_as_string(hide_password=True), assessment_round.organisation_id,
            assessment_round.id, str(assessment_round.created_at))


def round_bank(assessment_round: Round) -> QuestionBank:
    """The question bank snapshot the round was opened with (parsed once per app).

    A snapshot is written once, with the round, so the round's identity keys it:
    the snapshot itself is not serialised on every call (about 0.4 ms a request).
    """
    if assessment_round.id is None:  # not stored yet: nothing identifies it
        return bank_from_dict(assessment_round.bank_snapshot)
    banks = cache.app_cache("round_banks", BANKS_KEPT)
    return banks.get_or_compute(round_identity(assessment_round),
                                lambda: bank_from_dict(assessment_round.bank_snapshot))


def round_thresholds(assessment_round: Round) -> Thresholds:
    known = {f.name for f in fields(Thresholds)}
    overrides = {k: float(v) for k, v in (assessment_round.thresholds or {}).items() if k in known}
    return Thresholds(**overrides)


#: Every stored answer value, parsed once (a dict look-up beats a call per answer).
_PARSED: dict[str, AnswerValue | None] = {raw: parse_answer(raw) for raw in ANSWER_CHOICES}


def department_inputs(responses: Iterable[tuple[int, str, str | None]],
                      answers: Iterable[tuple[int, str, str]]) -> list[DepartmentInput]:
    """Group answers (response id, question id, value) under their responses
    (response id, department, directorate), keeping the responses' order.

    Answers of a response not listed are left out: on PostgreSQL a response
    submitted between the two reads shows in the second only.  A response with
    no answers counts for nothing, and a department with none of those is left out.
    """
    by_response: dict[int, dict[str, AnswerValue]] = {}
    departments: dict[str, tuple[str | None, list[dict[str, AnswerValue]]]] = {}
    for response_id, department, directorate in responses:
        answered = by_response[response_id] = {}
        departments.setdefault(department, (directorate, []))[1].append(answered)
    for response_id, question_id, value in answers:
        answered = by_response.get(response_id)
        if answered is None:
            continue
        parsed = _PARSED[value] if value in _PARSED else parse_answer(value)  # raises if unknown
        if parsed is not None:
            answered[question_id] = parsed
    return [DepartmentInput(name, directorate, tuple(r for r in found if r))
            for name, (directorate, found) in departments.items() if any(found)]


def results_key(assessment_round: Round) -> tuple[Hashable, ...]:
    """What the round's results depend on, as the database has it now.

    Its identity (:func:`round_identity`; the bank snapshot never changes after
    the round is created), its data version, which every answer write changes,
    and a digest of its targets and thresholds, which change no answer.
    """
    settings = json.dumps([assessment_round.targets or {}, assessment_round.thresholds or {}],
                          sort_keys=True)
    return (*round_identity(assessment_round), assessment_round.data_version,
            hashlib.sha256(settings.encode()).hexdigest())


def _compute(assessment_round: Round, bank: QuestionBank) -> RoundResults:
    inputs = department_inputs(response_queries.submitted_responses(assessment_round.id),
                               response_queries.submitted_answers(assessment_round.id))
    return analyse_round(
        bank, inputs, round_thresholds(assessment_round),
        {k: float(v) for k, v in (assessment_round.targets or {}).items()},
    )


def _stored_or_computed(assessment_round: Round, bank: QuestionBank) -> RoundResults:
    found = results_store.load(assessment_round)
    if found is None:
        found = _compute(assessment_round, bank)
        results_store.save(assessment_round, found)
    return found


def analyse(assessment_round: Round) -> RoundAnalysis:
    """Score a round from its submitted answers, once per data version.

    Read from this app's cache (:mod:`.results_cache`), else from the store every
    worker and host shares (:mod:`.results_store`), else computed and stored.
    """
    bank = round_bank(assessment_round)
    results = results_cache.get_or_compute(results_key(assessment_round),
                                           lambda: _stored_or_computed(assessment_round, bank))
    return RoundAnalysis(assessment_round, bank, results)


def trend_analysis(assessment_round: Round) -> RoundAnalysis:
    """An earlier round for the trend: its stored summary, which is all the trend reads.

    The results hold the organisation's and every department's dimension scores
    and levels, nothing else (:func:`~assessment.core.serialise.summary_from_dict`);
    several earlier rounds' summaries cost far less to read and keep than their
    whole results.  Whole results already in this app's cache serve as they are;
    a round never stored is analysed (and stored) once.
    """
    key = results_key(assessment_round)
    found = results_cache.get(key) or results_cache.get_summary(key)
    if found is None:
        found = results_store.load(assessment_round, summary=True)
        if found is None:
            return analyse(assessment_round)
        results_cache.put_summary(key, found)
    return RoundAnalysis(assessment_round, round_bank(assessment_round), found)


def results_document(analysis: RoundAnalysis, language: str = "en") -> dict[str, Any]:
    """The results JSON of docs/specification.md section 8 (unrounded numbers, null where unscored)."""
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


def round_document(analysis: RoundAnalysis) -> dict[str, Any]:
    """What the JSON API and ``flask results`` return: :func:`results_document` and the
    round's respondents counted as every page counts them (``responses``).  The counts
    are read fresh: they change with every save, the analysis only with a submission."""
    progress = response_queries.progress_counts(analysis.round.id)
    return {**results_document(analysis), "responses": progress.as_dict()}
