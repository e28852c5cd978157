"""The answers CSV: Excel-friendly UTF-8, formula-like text neutralised, and an
export that imports back as the same answers."""

from __future__ import annotations

import csv
import io

from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy import select

from assessment.cells import FORMULA_STARTS, clean_text, csv_field, csv_value
from assessment.extensions import db
from assessment.models import Answer, AuditEvent, Department, Response
from assessment.services import exports, importer, rounds

from .support.imports import answer_rows, import_rows
from .support.rounds import RoundFactory

HYPERLINK = '=HYPERLINK("http://example.invalid","x")'


def stored(app, round_id: int) -> set[tuple]:
    """Every answer of a round with its department, respondent and response status."""
    with app.app_context():
        query = (
            select(Department.name, Department.directorate, Response.respondent, Response.status,
                   Answer.question_id, Answer.value, Answer.comment, Answer.evidence)
            .join(Response, Response.department_id == Department.id)
            .join(Answer, Answer.response_id == Response.id)
            .where(Response.round_id == round_id)
        )
        return {tuple(row) for row in db.session.execute(query)}


def export_csv(app, round_id: int) -> str:
    with app.app_context():
        out = io.StringIO()
        exports.write_answers_csv(round_id, out)
        return out.getvalue()


def tricky_round(app) -> int:
    round_id = RoundFactory(app)().id
    first_question = app.extensions["question_bank"].questions[0].id
    import_rows(app, round_id, [
        *answer_rows(app, "@SUM(1)", "=1+2", "4", HYPERLINK, "Gwasanaethau Cymraeg"),
        *answer_rows(app, "Tŷ a Gwaith", "'Siân", "2", "-dash, +plus and 'quote"),
        ["Ŵyl Office", "Half done", first_question, "dont_know", "@mention", "", ""],
    ])
    return round_id


def test_formula_like_text_starts_with_an_apostrophe_in_the_file(app):
    rows = list(csv.reader(io.StringIO(export_csv(app, tricky_round(app)))))
    assert rows[0] == list(exports.CSV_COLUMNS) == [
        "department", "respondent", "question_id", "answer", "comment", "evidence", "directorate",
        "challenge_note", "challenge_state", "challenge_reply"]
    fields = {field for row in rows[1:] for field in row}
    assert {"'@SUM(1)", "'=1+2", "'" + HYPERLINK, "''Siân", "'@mention", "Tŷ a Gwaith"} <= fields
    assert not [f for f in fields if f.startswith(FORMULA_STARTS)]


def test_an_exported_csv_imports_back_as_the_same_answers(app, round_factory):
    source = tricky_round(app)
    content = export_csv(app, source).encode("utf-8-sig")
    copy = round_factory("Copy").id
    with app.app_context():
        assessment_round = rounds.require_round(copy)
        plan = importer.import_file(assessment_round, app.extensions["question_bank"],
                                    "answers.csv", content)
    assert plan.new_departments == ()
    assert stored(app, copy) == stored(app, source)
    statuses = {(row[2], row[3]) for row in stored(app, copy)}
    assert ("Half done", "in_progress") in statuses and ("=1+2", "submitted") in statuses


def test_the_download_has_a_byte_order_mark_and_is_private_and_audited(app, client_for):
    round_id = tricky_round(app)
    client = client_for("lead")
    response = client.get(f"/rounds/{round_id}/answers.csv")
    assert response.status_code == 200
    assert response.data.startswith(b"\xef\xbb\xbf")
    assert "Tŷ a Gwaith" in response.data.decode("utf-8-sig")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Disposition"] == 'attachment; filename=Test-round-answers.csv'
    with app.app_context():
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "export")).one()
    assert (event.round_id, event.details["format"], event.user_email) == (
        round_id, "csv", "lead@example.org")


def test_only_signed_in_leads_and_trainers_can_download(app, client_for, round_factory):
    round_id = round_factory().id
    anonymous = app.test_client().get(f"/rounds/{round_id}/answers.csv")
    assert anonymous.status_code == 302 and "/sign-in" in anonymous.location
    assert client_for("trainer").get(f"/rounds/{round_id}/answers.csv").status_code == 200


@given(st.text())
def test_csv_neutralising_is_undone_exactly_on_import(text):
    field = csv_field(text)
    assert not field.startswith(FORMULA_STARTS)
    assert csv_value(field) == clean_text(text)
