"""Results pages: numbers from the results document, sorting, gaps, challenges, targets.

The hand-made round ("Aston" and "Brook") works with any bank: it reads the
dimension ids from the app's bank and answers every question, so each response
is submitted.  Expected values are worked out by hand in ``hand_round``.
"""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from assessment.core.scoring import score_text
from assessment.extensions import db
from assessment.models import Answer, AuditEvent, Round
from assessment.services import demo, results, rounds

from .support.people import signed_in_client
from .support.rounds import IMPORT_HEADER, RoundFactory

HOSTILE = "R&D $x^$ <script>alert(1)</script>"


# --- helpers ---------------------------------------------------------------------------


def import_round(app: Flask, rows: list[list[str]], name: str = "Hand round") -> int:
    return RoundFactory(app)(name, rows=rows).id


def hand_rows(app: Flask) -> list[list[str]]:
    """Aston (one respondent, directorate North): 4 on the first dimension, 2 elsewhere.

    Brook (two respondents): 1 and 3 on the first dimension; 3 elsewhere, except that
    the second respondent does not know anything on the second dimension.
    """
    bank = app.extensions["question_bank"]
    first, second = bank.dimension_ids[:2]
    rows = [list(IMPORT_HEADER)]
    for q in bank.questions:
        on_first = q.dimension == first
        rows.append(["Aston", "head", q.id, "4" if on_first else "2", "Aston note", "", "North"])
        rows.append(["Brook", "one", q.id, "1" if on_first else "3", "", "", ""])
        rows.append(["Brook", "two", q.id,
                     "3" if on_first else ("dont_know" if q.dimension == second else "3"), "", "", ""])
    return rows


def hand_round(app: Flask) -> int:
    return import_round(app, hand_rows(app))


def level(app: Flask, n: int) -> str:
    return app.extensions["question_bank"].level_name(n).en


def document(app: Flask, round_id: int) -> dict:
    with app.app_context():
        return results.results_document(results.analyse(rounds.require_round(round_id)))


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def text_of(fragment: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", fragment)).split())


def heatmap_rows(body: str) -> list[tuple[str, list[str]]]:
    table = re.search(r'<table class="govuk-table app-heatmap">(.*?)</table>', body, re.S).group(1)
    return [
        (text_of(name), re.findall(r'app-heat__score">([^<]*)<', cells))
        for name, cells in re.findall(r'<th scope="row"[^>]*>(.*?)</th>(.*?)</tr>', table, re.S)
    ]


def section(body: str, heading_id: str) -> str:
    return re.search(rf'id="{heading_id}".*?</section>', body, re.S).group(0)


@pytest.fixture
def lead(lead_client: FlaskClient) -> FlaskClient:
    return lead_client


@pytest.fixture
def demo_round(round_factory: RoundFactory) -> int:
    return round_factory.demo().round_id


# --- numbers -----------------------------------------------------------------------------


def test_results_document_holds_the_hand_computed_values(app):
    round_id = hand_round(app)
    first, second, *others = app.extensions["question_bank"].dimension_ids
    doc = document(app, round_id)
    aston, brook = doc["departments"]
    assert (aston["name"], aston["respondents"], brook["respondents"]) == ("Aston", 1, 2)
    assert aston["scores"] == {first: 4.0, second: 2.0, **dict.fromkeys(others, 2.0)}
    # Brook: the mean of its respondents (1 and 3); the don't-know answers are left out.
    assert brook["scores"] == {first: 2.0, second: 3.0, **dict.fromkeys(others, 3.0)}
    assert brook["dont_know_rate"][second] == 0.5 and aston["dont_know_rate"][second] == 0.0
    assert (aston["levels"][first], brook["levels"][first]) == (4, 2)
    # Each department counts once: (4 + 2) / 2, not (4 + 1 + 3) / 3.
    organisation = doc["organisation"]
    assert organisation["scores"][first] == 3.0 and organisation["scores"][second] == 2.5
    spread = (organisation["min"][first], organisation["median"][first], organisation["max"][first])
    assert spread == (2.0, 3.0, 4.0)
    flag = doc["inconsistencies"][0]
    assert (flag["kind"], flag["dimension"], flag["spread"]) == ("dimension", first, 2.0)
    assert flag["std_dev"] == 1.0
    assert (flag["lowest"], flag["highest"]) == (["Brook"], ["Aston"])
    assert {f["dimension"] for f in doc["inconsistencies"]} == {first}
    assert doc["within_department"] == [{"department": "Brook", "dimension": first, "spread": 2.0}]
    outliers = {(o["department"], o["direction"]) for o in doc["outliers"]}
    assert outliers == {("Aston", "ahead"), ("Brook", "behind")}


def test_dashboard_heatmap_shows_the_results_document_numbers(app, lead, demo_round):
    doc = document(app, demo_round)
    rows = heatmap_rows(page(lead, f"/rounds/{demo_round}/dashboard"))
    dimension_ids = [d["id"] for d in doc["dimensions"]]
    assert [name for name, _ in rows] == [d["name"] for d in doc["departments"]]
    for (name, cells), department in zip(rows, doc["departments"], strict=True):
        assert cells == [score_text(department['scores'][d]) for d in dimension_ids], name


def test_organisation_table_shows_the_results_document_numbers(app, lead):
    round_id = hand_round(app)
    doc = document(app, round_id)
    body = page(lead, f"/rounds/{round_id}/dashboard")
    radar = text_of(section(body, "radar-heading"))
    for dimension in doc["dimensions"]:
        score = doc["organisation"]["scores"][dimension["id"]]
        low, high = doc["organisation"]["min"][dimension["id"]], doc["organisation"]["max"][dimension["id"]]
        assert f"{dimension['name']} {score_text(score)}, " in radar
        assert f"{score_text(low)} to {score_text(high)}" in radar


def test_heatmap_sorts_by_any_column_with_links(app, lead, demo_round):
    doc = document(app, demo_round)
    dimension = doc["dimensions"][-1]["id"]
    body = page(lead, f"/rounds/{demo_round}/dashboard?sort={dimension}&order=desc")
    names = [name for name, _ in heatmap_rows(body)]
    by_score = {d["name"]: d["scores"][dimension] for d in doc["departments"]}
    assert [by_score[n] for n in names] == sorted(by_score.values(), reverse=True)
    assert 'aria-sort="descending"' in body
    assert f"sort={dimension}&amp;order=asc" in body  # the same heading sorts the other way next


def test_an_unknown_sort_column_or_order_falls_back_to_department_names(lead, app):
    round_id = hand_round(app)
    body = page(lead, f"/rounds/{round_id}/dashboard?sort=%3Cscript%3E&order=sideways")
    assert [name for name, _ in heatmap_rows(body)] == ["Aston", "Brook"]


def test_heatmap_and_gaps_can_be_grouped_by_directorate(lead, app):
    round_id = hand_round(app)
    body = page(lead, f"/rounds/{round_id}/dashboard?group=directorate")
    assert re.search(r'<th scope="rowgroup"[^>]*>North</th>', body)
    assert re.search(r'<th scope="rowgroup"[^>]*>No directorate</th>', body)
    gaps = section(body, "gaps-heading")
    assert '<h3 class="govuk-heading-s">North</h3>' in gaps


def test_gaps_are_plain_sentences_with_the_descriptors_that_differ(app, lead):
    round_id = hand_round(app)
    bank = app.extensions["question_bank"]
    first = bank.dimensions[0]
    gaps = text_of(section(page(lead, f"/rounds/{round_id}/dashboard"), "gaps-heading"))
    assert (f"{first.name.en} is inconsistent: Brook is at 2.0, {level(app, 2)}; "
            f"Aston at 4.0, {level(app, 4)}.") in gaps
    question = first.questions[0]
    assert html.unescape(question.descriptor(4).en) in gaps
    assert html.unescape(question.descriptor(2).en) in gaps
    assert f"Aston is ahead on {first.name.en}: 4.0, {level(app, 4)}, against a median of 3.0." in gaps
    assert (f"The respondents of Brook disagree on {first.name.en}: "
            "their scores range from 1.0 to 3.0.") in gaps


def test_tracker_counts_responses_and_names_who_to_chase(app, lead):
    rows = hand_rows(app)
    bank = app.extensions["question_bank"]
    rows.append(["Carr", "head", bank.questions[0].id, "3", "", "", ""])  # one answer: in progress
    round_id = import_round(app, rows)
    tracker = text_of(section(page(lead, f"/rounds/{round_id}/dashboard"), "tracker-heading"))
    assert "Departments 3 Respondents invited 4 Not started 0 In progress 1 Submitted 3" in tracker
    assert "Still to submit: Carr (1 of 1)." in tracker
    assert f'href="/rounds/{round_id}"' in page(lead, f"/rounds/{round_id}/dashboard")


# --- department page and challenges -------------------------------------------------------


def department_id(app: Flask, round_id: int, name: str) -> int:
    from assessment.queries.results import round_departments

    with app.test_request_context():
        return next(d.id for d in round_departments(round_id) if d.name == name)


def answer_ids(app: Flask, round_id: int, name: str) -> list[int]:
    from assessment.queries.results import department_answer_rows

    with app.test_request_context():
        return [row[0] for row in department_answer_rows(round_id, department_id(app, round_id, name))]


def test_department_page_shows_scores_answers_and_missing_evidence(app, lead):
    round_id = hand_round(app)
    aston = department_id(app, round_id, "Aston")
    body = page(lead, f"/rounds/{round_id}/departments/{aston}")
    assert "Aston note" in body
    assert body.count("No evidence given") == len(app.extensions["question_bank"].dimensions[0].questions)
    assert f"4 – {level(app, 4)}" in body
    assert 'role="img"' in body and "Aston against the organisation" in body
    brook = page(lead, f"/rounds/{round_id}/departments/{department_id(app, round_id, 'Brook')}")
    assert "50%" in brook  # don't-know rate on the second dimension
    assert "The respondents of Brook disagree" in brook
    assert "1.0 to 3.0" in brook


def test_lead_challenges_an_answer_with_a_note_kept_and_audited(app, lead):
    round_id = hand_round(app)
    aston = department_id(app, round_id, "Aston")
    answer = answer_ids(app, round_id, "Aston")[0]
    with app.app_context():
        version = db.session.get(Round, round_id).data_version
    url = f"/rounds/{round_id}/departments/{aston}/answers/{answer}/challenge"
    response = lead.post(url, data={"note": "Which report shows this?"})
    assert response.status_code == 302 and response.location.endswith(f"#answer-{answer}")
    with app.app_context():
        saved = db.session.get(Answer, answer)
        assert (saved.challenged, saved.challenge_note) == (True, "Which report shows this?")
        assert db.session.get(Round, round_id).data_version == version + 1
        events = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "answer_challenged")).all()
        assert [(e.round_id, e.details["answer_id"]) for e in events] == [(round_id, answer)]
    body = page(lead, f"/rounds/{round_id}/departments/{aston}")
    assert "Challenged" in body and "Which report shows this?" in body

    lead.post(url, data={"withdraw": "Withdraw the challenge"})
    with app.app_context():
        assert db.session.get(Answer, answer).challenged is False


def test_a_challenge_without_a_note_is_refused_and_nothing_changes(app, lead):
    round_id = hand_round(app)
    aston = department_id(app, round_id, "Aston")
    answer = answer_ids(app, round_id, "Aston")[0]
    url = f"/rounds/{round_id}/departments/{aston}/answers/{answer}/challenge"
    for note in ("", "   ", "x" * 2001):
        response = lead.post(url, data={"note": note})
        assert response.status_code == 200
        assert "govuk-error-summary" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Answer, answer).challenged is False


def test_an_answer_of_another_department_cannot_be_challenged_through_this_one(app, lead):
    round_id = hand_round(app)
    brook = department_id(app, round_id, "Brook")
    aston_answer = answer_ids(app, round_id, "Aston")[0]
    url = f"/rounds/{round_id}/departments/{brook}/answers/{aston_answer}/challenge"
    assert lead.post(url, data={"note": "No"}).status_code == 404


def test_trainers_see_results_but_cannot_challenge_or_set_targets(app, trainer_client):
    round_id = hand_round(app)
    aston = department_id(app, round_id, "Aston")
    answer = answer_ids(app, round_id, "Aston")[0]
    body = page(trainer_client, f"/rounds/{round_id}/departments/{aston}")
    assert "/challenge" not in body
    url = f"/rounds/{round_id}/departments/{aston}/answers/{answer}/challenge"
    assert trainer_client.post(url, data={"note": "No"}).status_code == 403
    assert trainer_client.post(f"/rounds/{round_id}/targets", data={"target_0": "3"}).status_code == 403


def test_a_challenge_without_a_csrf_token_is_refused(make_app, app):
    round_id = hand_round(app)
    aston = department_id(app, round_id, "Aston")
    answer = answer_ids(app, round_id, "Aston")[0]
    csrf_app = make_app(WTF_CSRF_ENABLED=True)
    client = signed_in_client(csrf_app, "lead", email="csrf-lead@example.org")
    url = f"/rounds/{round_id}/departments/{aston}/answers/{answer}/challenge"
    assert client.post(url, data={"note": "No token"}).status_code == 400
    with app.app_context():
        assert db.session.get(Answer, answer).challenged is False
    with csrf_app.app_context():
        db.dispose()


# --- compare, targets, plan, print -----------------------------------------------------------


def test_compare_needs_two_to_five_departments(app, lead, demo_round):
    ids = [department_id(app, demo_round, name) for name in list(demo.DEPARTMENTS)[:6]]
    url = f"/rounds/{demo_round}/compare"
    assert "govuk-error-summary" not in page(lead, url)
    one = page(lead, f"{url}?department={ids[0]}")
    assert "Select at least 2 departments to compare" in one and 'role="img"' not in one
    six = page(lead, url + "?" + "&".join(f"department={i}" for i in ids))
    assert "Select no more than 5 departments to compare" in six
    unknown = page(lead, f"{url}?department={ids[0]}&department=99999")
    assert "Select departments from the list" in unknown
    two = page(lead, f"{url}?department={ids[0]}&department={ids[1]}")
    assert "govuk-error-summary" not in two and 'role="img"' in two
    names = text_of(re.search(r"<table.*?</table>", two, re.S).group(0))
    first, second = list(demo.DEPARTMENTS)[:2]
    assert first in names and second in names


def test_lead_sets_targets_which_show_on_the_dashboard_and_plan(app, lead):
    round_id = hand_round(app)
    bank = app.extensions["question_bank"]
    with app.app_context():
        version = db.session.get(Round, round_id).data_version
    response = lead.post(f"/rounds/{round_id}/targets", data={"target_0": "4", "target_1": ""})
    assert response.status_code == 302
    with app.app_context():
        saved = db.session.get(Round, round_id)
        assert saved.targets == {bank.dimension_ids[0]: 4}
        assert saved.data_version == version  # targets change no answer
        event = db.session.scalars(select(AuditEvent).where(AuditEvent.event == "round_changed")).one()
        assert event.round_id == round_id
    assert document(app, round_id)["organisation"]["targets"] == {bank.dimension_ids[0]: 4.0}
    plan_page = page(lead, f"/rounds/{round_id}/plan")
    plan = text_of(plan_page)
    assert f"{bank.dimensions[0].name.en} 4 3.0, {level(app, 3)} 1.0" in plan
    # The first dimension (3.0 against a target of 4) now leads the organisation's next
    # steps. Without the target, 3.0 would not be among the three lowest: the rest are 2.5.
    steps = text_of(section(plan_page, "organisation-steps-heading"))
    assert "furthest below their dimension's target come first" in steps
    first_dimension = bank.dimension(bank.dimension_ids[0])
    assert any(question.text.en in steps for question in first_dimension.questions)
    gaps = text_of(section(page(lead, f"/rounds/{round_id}/dashboard"), "gaps-heading"))
    assert f"{bank.dimensions[0].name.en} is 1.0 below its target of level 4" in gaps
    assert re.search(r'<option value="4" selected>4 – ', page(lead, f"/rounds/{round_id}/targets"))


@pytest.mark.parametrize("value", ["0", "6", "٣", " 3", "+3", "3.0"])
def test_a_target_outside_1_to_5_is_refused_and_nothing_is_stored(app, lead, value):
    round_id = hand_round(app)
    response = lead.post(f"/rounds/{round_id}/targets", data={"target_0": value})
    assert response.status_code == 200
    assert "Select a target level from 1 to 5, or no target" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(Round, round_id).targets == {}


def test_plan_lists_next_levels_and_peer_pairs(app, lead):
    round_id = hand_round(app)
    bank = app.extensions["question_bank"]
    plan = text_of(page(lead, f"/rounds/{round_id}/plan"))
    assert f"On {bank.dimensions[0].name.en}, Brook (2.0, {level(app, 2)}) could learn from Aston" in plan
    assert f"To reach {level(app, 3)}:" in plan
    assert html.unescape(bank.dimensions[0].questions[0].descriptor(3).en) in plan


def test_print_view_has_the_charts_tables_and_gaps(app, lead, demo_round):
    body = page(lead, f"/rounds/{demo_round}/print")
    assert body.count('role="img"') == 3  # radar, dot plot, trend
    assert "Where the organisation is not joined up" in body
    assert "app-heatmap" in body


def test_dashboard_shows_change_since_the_earlier_round(app, lead, demo_round):
    body = page(lead, f"/rounds/{demo_round}/dashboard")
    change = text_of(section(body, "change-heading"))
    assert "Change since 2025 baseline" in change
    assert "Not in 2025 baseline: Human Resources." in change
    assert "+" in change


# --- chart files and access -----------------------------------------------------------------


def test_chart_files_download_as_png_and_svg(app, lead, demo_round):
    png = lead.get(f"/rounds/{demo_round}/charts/radar.png")
    assert png.status_code == 200 and png.mimetype == "image/png"
    assert png.headers["Content-Disposition"].startswith("attachment")
    assert png.data.startswith(b"\x89PNG")
    svg = lead.get(f"/rounds/{demo_round}/charts/dots.svg")
    assert svg.mimetype == "image/svg+xml" and b'role="img"' in svg.data
    assert lead.get(f"/rounds/{demo_round}/charts/trend.png").status_code == 200
    aston = department_id(app, demo_round, "Libraries")
    assert lead.get(f"/rounds/{demo_round}/charts/departments/{aston}/radar.png").status_code == 200
    for bad in ("nothing.png", "radar.pdf", "compare.png"):
        assert lead.get(f"/rounds/{demo_round}/charts/{bad}").status_code == 404


def test_trend_chart_is_absent_without_an_earlier_round(app, lead):
    round_id = hand_round(app)
    assert lead.get(f"/rounds/{round_id}/charts/trend.svg").status_code == 404
    assert 'id="change-heading"' not in page(lead, f"/rounds/{round_id}/dashboard")


def test_results_need_a_signed_in_user_and_an_existing_round(app, client, lead):
    round_id = hand_round(app)
    response = client.get(f"/rounds/{round_id}/dashboard")
    assert response.status_code == 302 and "/sign-in" in response.location
    assert lead.get("/rounds/99999/dashboard").status_code == 404
    assert lead.get(f"/rounds/{round_id}/departments/99999").status_code == 404


def test_a_hostile_department_name_shows_literally_everywhere(app, lead):
    rows = [[HOSTILE if row[0] == "Aston" else row[0], *row[1:]] for row in hand_rows(app)]
    round_id = import_round(app, rows)
    hostile_id = department_id(app, round_id, HOSTILE)
    brook = department_id(app, round_id, "Brook")
    escaped = "R&amp;D $x^$ &lt;script&gt;alert(1)&lt;/script&gt;"
    urls = [f"/rounds/{round_id}/dashboard", f"/rounds/{round_id}/dashboard?group=directorate",
            f"/rounds/{round_id}/departments/{hostile_id}", f"/rounds/{round_id}/plan",
            f"/rounds/{round_id}/print",
            f"/rounds/{round_id}/compare?department={hostile_id}&department={brook}",
            f"/rounds/{round_id}/charts/dots.svg"]
    for url in urls:
        body = page(lead, url)
        assert "<script>alert(1)" not in body, url
        assert escaped in body, url
    png = lead.get(f"/rounds/{round_id}/charts/departments/{hostile_id}/radar.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")
