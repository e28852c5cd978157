"""One meaning per number (issue 10, item 4).

- A score is written one way everywhere (``core.scoring.score_text``: cut to one
  decimal place), so 2.95 is "2.9, Emerging" and never "3.0" beside a level 2 name:
  dashboard, department page, compare, plan, print view, chart data tables and
  descriptions, and the workbook.
- Respondents are counted once (``queries.responses.progress_counts``): the
  dashboard, the round overview and the results JSON agree at every stage.
- Before anything is submitted the dashboard and print view say there is nothing to
  analyse yet, not that departments are consistent.
"""

from __future__ import annotations

import html
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.core.scoring import level_reached
from assessment.services import results, rounds

from .support.files import open_xlsx
from .support.survey import answer, answer_everything, bank_of, complete_every_section, respondent_client

#: 19 respondents at level 3 and one at level 2: every dimension scores 59 / 20 = 2.95.
PARKS = ["3"] * 19 + ["2"]


# --- helpers ---------------------------------------------------------------------------------


def text_of(body: str) -> str:
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", body)).split())


def page(client: FlaskClient, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def level_names(app: Flask) -> dict[str, int]:
    bank = app.extensions["question_bank"]
    return {level.name.en: level.level for level in bank.scale}


def assert_numbers_agree_with_their_levels(app: Flask, text: str) -> int:
    """Every "x.y, Level name" in ``text`` names the level x.y has reached; how many there are."""
    names = level_names(app)
    pairs = re.findall(rf"(\d\.\d), ({'|'.join(map(re.escape, names))})", text)
    wrong = [(number, name) for number, name in pairs if level_reached(float(number)) != names[name]]
    assert not wrong, wrong
    return len(pairs)


def department_ids(app: Flask, round_id: int) -> dict[str, int]:
    from assessment.queries.results import round_departments

    with app.test_request_context():
        return {d.name: d.id for d in round_departments(round_id)}


@pytest.fixture
def parks_round(app: Flask, round_factory) -> int:
    """Parks scores 2.95 on every dimension, Roads 3.0 (the organisation 2.975)."""
    made = round_factory("Board round", departments={"Parks": PARKS, "Roads": "3"})
    with app.app_context():
        analysis = results.analyse(rounds.require_round(made.id))
    parks = next(d for d in analysis.results.departments if d.name == "Parks")
    assert list(parks.scores.values()) == [pytest.approx(2.95)] * len(parks.scores)
    assert f"{parks.scores['culture']:.1f}" == "3.0"  # what rounding would have shown
    return made.id


# --- one display rule --------------------------------------------------------------------------


def test_the_dashboard_heatmap_shows_2_95_as_2_9_emerging(app, lead_client, parks_round):
    body = page(lead_client, f"/rounds/{parks_round}/dashboard")
    table = re.search(r'<table class="govuk-table app-heatmap">(.*?)</table>', body, re.S).group(1)
    parks = re.search(r">Parks</a>\s*</th>(.*?)</tr>", table, re.S).group(1)
    cells = re.findall(r'app-heat__score">([^<]*)</span>\s*<span class="app-heat__level">([^<]*)<', parks)
    assert cells and set(cells) == {("2.9", "Emerging")}
    assert 'app-heat--2"' in parks and "app-heat--3" not in parks
    text = text_of(body)
    # The organisation (2.975) is 2.9 in the radar's table too; the band runs 2.9 to 3.0.
    assert "2.9, Emerging" in text and "2.9 to 3.0" in text
    assert assert_numbers_agree_with_their_levels(app, text) >= 5


def test_the_department_page_and_compare_show_2_95_as_2_9_emerging(app, lead_client, parks_round):
    ids = department_ids(app, parks_round)
    department = text_of(page(lead_client, f"/rounds/{parks_round}/departments/{ids['Parks']}"))
    assert "2.9, Emerging" in department and "3.0, Emerging" not in department
    assert assert_numbers_agree_with_their_levels(app, department) >= 5

    compare = text_of(page(lead_client, f"/rounds/{parks_round}/compare?department={ids['Parks']}"
                                        f"&department={ids['Roads']}"))
    level_three = app.extensions["question_bank"].level_name(3).en
    assert f"2.9, Emerging 3.0, {level_three}" in compare
    assert assert_numbers_agree_with_their_levels(app, compare) >= 10


@pytest.mark.parametrize("path", ["plan", "print"])
def test_the_plan_and_print_view_never_put_a_number_beside_another_level(app, lead_client, parks_round,
                                                                          path):
    with app.app_context():
        from assessment.services import review

        review.set_targets(parks_round, {"culture": 3})
    text = text_of(page(lead_client, f"/rounds/{parks_round}/{path}"))
    assert assert_numbers_agree_with_their_levels(app, text) >= 1
    assert "0.0" not in text  # the gap to target 3 from 2.975 (shown 2.9) is 0.1, never 0.0


def test_charts_describe_and_tabulate_2_95_as_2_9(app, parks_round):
    from assessment.queries import results as result_queries
    from assessment.queries import rounds as round_queries
    from assessment.views.results import figures
    from assessment.views.results.view import RoundView

    with app.test_request_context():
        organisation = round_queries.get_round(parks_round).organisation_id
        found = round_queries.organisation_round(organisation, parks_round)
        view = RoundView(found, results.analyse(found), tuple(result_queries.round_departments(parks_round)),
                         "en")
        department = figures.department_radar(view, "Parks")
        compared = figures.compare_radar(view, ["Parks", "Roads"])
        spread = figures.dot_plot(view)
        organisation = figures.organisation_radar(view)
        described = [department.chart.describe(), compared.chart.describe(), spread.chart.describe(),
                     organisation.chart.describe()]
    assert all(row[1] == "2.9, Emerging" for row in department.table.rows)
    assert all(row[2] == "2.9" for row in department.table.rows)  # the organisation, 2.975
    assert all(row[1] == "2.9" and row[3] == "3.0" for row in spread.table.rows)
    assert all(row[1].startswith("2.9, ") for row in organisation.table.rows)
    assert "Parks: " in described[0] and all("3.0" not in part for part in described[0].split("; ")[:1])
    assert all(re.search(r"\b2\.9\b", text) for text in described)
    assert not any("2.95" in text or "2.98" in text for text in described)


def test_the_workbook_shows_2_95_as_2_9_beside_emerging(app, runner, parks_round, tmp_path):
    out = tmp_path / "workshop.xlsx"
    result = runner.invoke(args=["export-xlsx", str(parks_round), str(out)])
    assert result.exit_code == 0, result.output
    workbook = open_xlsx(out.read_bytes())
    departments = list(workbook["Departments"].iter_rows(values_only=True))
    header = departments[0]
    parks = [dict(zip(header, row, strict=True)) for row in departments[1:] if row[0] == "Parks"]
    assert parks and all((row["Score"], row["Level reached"], row["Level name"]) == (2.9, 2, "Emerging")
                         for row in parks)
    heatmap = list(workbook["Heatmap"].iter_rows(values_only=True))
    parks_row = next(row for row in heatmap if row[0] == "Parks")
    dimensions = len(app.extensions["question_bank"].dimensions)
    # Two cells a dimension (the score, then its level name), so colour is never the only cue.
    assert list(parks_row[-2 * dimensions:]) == [2.9, "Emerging"] * dimensions
    summary = list(workbook["Summary"].iter_rows(min_row=5, max_row=4 + dimensions, values_only=True))
    assert all((row[1], row[7], row[8]) == (2.9, 2, "Emerging") for row in summary)  # 2.975
    assert all(cell.number_format == "0.0" for cell in workbook["Departments"]["E"][1:])


# --- one set of counts --------------------------------------------------------------------------


def dashboard_counts(client: FlaskClient, round_id: int) -> dict[str, int]:
    body = page(client, f"/rounds/{round_id}/dashboard")
    tracker = re.search(r'<dl class="app-tracker">(.*?)</dl>', body, re.S).group(1)
    found = dict(re.findall(r"<dt>([^<]*)</dt><dd>(\d+)</dd>", tracker))
    return {"invited": int(found["Respondents invited"]), "not_started": int(found["Not started"]),
            "in_progress": int(found["In progress"]), "submitted": int(found["Submitted"])}


def overview_counts(client: FlaskClient, round_id: int) -> dict[str, int]:
    body = page(client, f"/rounds/{round_id}")
    totals = dict.fromkeys(("invited", "not_started", "in_progress", "submitted"), 0)
    for cells in re.findall(r'<th scope="row" class="govuk-table__header">[^<]*</th>\s*'
                            r'<td class="govuk-table__cell">[^<]*</td>(.*?)</tr>', body, re.S):
        for key, value in zip(totals, re.findall(r">(\d+)</td>", cells), strict=True):
            totals[key] += int(value)
    submitted, invited = re.search(r"(\d+) of (\d+) respondents have submitted", body).groups()
    assert (int(submitted), int(invited)) == (totals["submitted"], totals["invited"])
    return totals


def json_counts(client: FlaskClient, round_id: int) -> dict[str, int]:
    return client.get(f"/api/v1/rounds/{round_id}/results").get_json()["responses"]


def test_dashboard_overview_and_api_count_alike_at_every_stage(app, lead_client, round_factory):
    made = round_factory("Counted round", invited=["Housing", "Highways", "Libraries"])
    bank = bank_of(app)
    stages = []

    def stage() -> dict[str, int]:
        counts = dashboard_counts(lead_client, made.id)
        assert counts == overview_counts(lead_client, made.id) == json_counts(lead_client, made.id)
        stages.append(counts)
        return counts

    assert stage() == {"invited": 3, "not_started": 3, "in_progress": 0, "submitted": 0}
    housing = respondent_client(app, made.links["Housing"])
    assert stage()["not_started"] == 3  # opening the link starts nothing
    answer(housing, bank.questions[0].id, revision="0")
    assert stage() == {"invited": 3, "not_started": 2, "in_progress": 1, "submitted": 0}
    answer_everything(housing, bank)
    complete_every_section(housing, bank)
    housing.post("/respond/submit")
    assert stage() == {"invited": 3, "not_started": 2, "in_progress": 0, "submitted": 1}
    for department in ("Highways", "Libraries"):
        respondent = respondent_client(app, made.links[department])
        answer_everything(respondent, bank)
        complete_every_section(respondent, bank)
        respondent.post("/respond/submit")
    assert stage() == {"invited": 3, "not_started": 0, "in_progress": 0, "submitted": 3}
    assert all(sum(c.values()) == 2 * c["invited"] for c in stages)


def test_imported_respondents_count_in_their_state(app, lead_client, round_factory):
    made = round_factory("Imported round", departments={"Parks": ["3", "2"]}, invited=["Roads"])
    counts = {"invited": 3, "not_started": 1, "in_progress": 0, "submitted": 2}
    assert dashboard_counts(lead_client, made.id) == overview_counts(lead_client, made.id) == counts
    assert json_counts(lead_client, made.id) == counts


# --- nothing to analyse yet ---------------------------------------------------------------------


def test_before_any_submission_the_dashboard_says_there_is_nothing_to_analyse(app, lead_client,
                                                                              round_factory):
    made = round_factory("Early round", invited=["Housing", "Highways"])
    answer(respondent_client(app, made.links["Housing"]), bank_of(app).questions[0].id, revision="0")
    for path in ("dashboard", "print"):
        text = text_of(page(lead_client, f"/rounds/{made.id}/{path}"))
        assert "There is nothing to analyse yet: nobody has submitted their answers." in text, path
        assert "1 respondent has started but not submitted." in text, path
        assert "1 respondent has not started." in text, path
        assert "Nothing is flagged" not in text, path


def test_an_empty_round_says_so_too(lead_client, round_factory):
    made = round_factory("Empty round")
    text = text_of(page(lead_client, f"/rounds/{made.id}/dashboard"))
    assert "There is nothing to analyse yet" in text and "Nothing is flagged" not in text
    assert "0 respondents have started but not submitted." in text


def test_once_something_is_submitted_the_gaps_are_listed(lead_client, round_factory):
    made = round_factory("Agreeing round", departments={"Parks": "3", "Roads": "3"})
    text = text_of(page(lead_client, f"/rounds/{made.id}/dashboard"))
    assert "Nothing is flagged: departments are consistent" in text
    assert "nothing to analyse" not in text
