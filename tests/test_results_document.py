"""The results document against numbers worked out by hand from import rows.

Uses the small test bank (alpha, beta, gamma; the second question of each
weighs 2), so every figure below can be checked with pencil and paper.
"""

from __future__ import annotations

import json

import pytest
from flask import Flask

from .support.apps import SMALL_BANK_SETTINGS

pytestmark = pytest.mark.app_settings(**SMALL_BANK_SETTINGS)  # the small test bank

HEADER = ["department", "respondent", "question_id", "answer", "comment"]
ROWS = [
    # Libraries, Ann: alpha (4*1 + 1*2)/3 = 2; beta 3 (dont_know left out); gamma nothing scored
    ["Libraries", "Ann", "alpha-one", "4", ""], ["Libraries", "Ann", "alpha-two", "1", ""],
    ["Libraries", "Ann", "beta-one", "dont_know", ""], ["Libraries", "Ann", "beta-two", "3", ""],
    ["Libraries", "Ann", "gamma-one", "not_applicable", ""],
    ["Libraries", "Ann", "gamma-two", "not_applicable", ""],
    # Libraries, Bob: alpha (2 + 5*2)/3 = 4; beta 1; gamma 3
    ["Libraries", "Bob", "alpha-one", "2", ""], ["Libraries", "Bob", "alpha-two", "5", ""],
    ["Libraries", "Bob", "beta-one", "1", ""], ["Libraries", "Bob", "beta-two", "1", ""],
    ["Libraries", "Bob", "gamma-one", "3", ""], ["Libraries", "Bob", "gamma-two", "3", ""],
    # Highways, Cat: 1, 1, 5
    ["Highways", "Cat", "alpha-one", "1", ""], ["Highways", "Cat", "alpha-two", "1", ""],
    ["Highways", "Cat", "beta-one", "1", ""], ["Highways", "Cat", "beta-two", "1", ""],
    ["Highways", "Cat", "gamma-one", "5", ""], ["Highways", "Cat", "gamma-two", "5", ""],
    # Parks, Dan: not finished, so in progress and left out of results
    ["Parks", "Dan", "alpha-one", "5", ""], ["Parks", "Dan", "alpha-two", "", ""],
]


@pytest.fixture
def document(app: Flask, tmp_path) -> dict:
    runner = app.test_cli_runner()
    assert runner.invoke(args=["demo"]).exit_code == 0  # sets up the organisation
    created = runner.invoke(args=["create-round", "Hand-checked"])
    round_id = created.stdout.strip()
    answers = tmp_path / "answers.csv"
    answers.write_text("\n".join(",".join(row) for row in [HEADER, *ROWS]) + "\n")
    imported = runner.invoke(args=["import-responses", round_id, str(answers)])
    assert imported.exit_code == 0, imported.output
    result = runner.invoke(args=["results", round_id])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


def by_name(document: dict) -> dict[str, dict]:
    return {d["name"]: d for d in document["departments"]}


def test_department_scores_are_means_of_weighted_respondent_scores(document):
    departments = by_name(document)
    assert set(departments) == {"Libraries", "Highways"}  # Parks is still in progress
    libraries = departments["Libraries"]
    assert libraries["respondents"] == 2
    assert libraries["scores"] == pytest.approx({"alpha": 3.0, "beta": 2.0, "gamma": 3.0})
    assert libraries["levels"] == {"alpha": 3, "beta": 2, "gamma": 3}
    assert libraries["dont_know_rate"] == pytest.approx({"alpha": 0.0, "beta": 0.25, "gamma": 0.0})
    assert libraries["question_scores"] == pytest.approx({
        "alpha-one": 3.0, "alpha-two": 3.0, "beta-one": 1.0, "beta-two": 2.0,
        "gamma-one": 3.0, "gamma-two": 3.0})
    assert departments["Highways"]["scores"] == pytest.approx({"alpha": 1.0, "beta": 1.0, "gamma": 5.0})


def test_organisation_counts_each_department_once(document):
    organisation = document["organisation"]
    assert organisation["scores"] == pytest.approx({"alpha": 2.0, "beta": 1.5, "gamma": 4.0})
    assert organisation["median"] == pytest.approx({"alpha": 2.0, "beta": 1.5, "gamma": 4.0})
    assert organisation["min"] == {"alpha": 1.0, "beta": 1.0, "gamma": 3.0}
    assert organisation["max"] == {"alpha": 3.0, "beta": 2.0, "gamma": 5.0}
    assert organisation["departments_scored"] == 2


def test_flags_match_the_hand_worked_spreads(document):
    flags = [(f["kind"], f["dimension"], f["question_id"], f["spread"]) for f in document["inconsistencies"]]
    assert flags == [
        ("dimension", "alpha", None, 2.0), ("dimension", "gamma", None, 2.0),
        ("question", "alpha", "alpha-one", 2.0), ("question", "alpha", "alpha-two", 2.0),
        ("question", "gamma", "gamma-one", 2.0), ("question", "gamma", "gamma-two", 2.0),
    ]
    alpha = document["inconsistencies"][0]
    assert (alpha["lowest"], alpha["highest"], alpha["std_dev"]) == (["Highways"], ["Libraries"], 1.0)
    outliers = {(o["department"], o["dimension"], o["direction"]) for o in document["outliers"]}
    assert outliers == {("Libraries", "alpha", "ahead"), ("Highways", "alpha", "behind"),
                        ("Libraries", "gamma", "behind"), ("Highways", "gamma", "ahead")}
    within = [(w["department"], w["dimension"], w["spread"]) for w in document["within_department"]]
    assert within == [("Libraries", "alpha", 2.0), ("Libraries", "beta", 2.0)]


def test_document_has_the_contract_shape(document):
    assert list(document) == ["round", "scale", "dimensions", "organisation", "departments",
                              "inconsistencies", "outliers", "within_department", "responses"]
    counts = document["responses"]
    assert list(counts) == ["invited", "not_started", "in_progress", "submitted"]
    assert counts["invited"] == counts["not_started"] + counts["in_progress"] + counts["submitted"] > 0
    assert document["round"]["question_bank"] == {"id": "small-test-bank", "version": "1"}
    assert [s["name"] for s in document["scale"]][2] == "Learning"
    assert document["dimensions"][0] == {"id": "alpha", "name": "Alpha"}
