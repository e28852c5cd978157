"""The dashboard's department table: paged, sorted and filtered on the server, so a round of
thousands of departments stays a small page, and no crafted parameter gives an error page."""

from __future__ import annotations

import re
import time

import pytest
from flask import Flask
from flask.testing import FlaskClient

from assessment.queries import results as result_queries
from assessment.services import importer, results, rounds

from .support.rounds import IMPORT_HEADER, RoundFactory

DIRECTORATES = ("Place", "People", "Resources")


def shown_departments(body: str) -> list[str]:
    """The department names in the table's row headers, in order."""
    start = body.index('class="govuk-table app-heatmap"')
    table = body[start:body.index("</table>", start)]
    return re.findall(r'<th scope="row" class="govuk-table__header">\s*<a [^>]*>([^<]+)</a>', table)


def big_round(app: Flask, levels: dict[str, str], name: str = "Big round") -> int:
    """A round where each department's one respondent submitted one answer per dimension
    (every dimension scored, with a seventh of the rows a full questionnaire takes)."""
    round_id = RoundFactory(app)(name).id
    with app.app_context():
        assessment_round = rounds.require_round(round_id)
        bank = results.round_bank(assessment_round)
        rows: list[list[str]] = [list(IMPORT_HEADER)]
        for number, (name, level) in enumerate(levels.items()):
            rows += [[name, "Respondent 1", dimension.questions[0].id, level, "", "",
                      DIRECTORATES[number % 3]] for dimension in bank.dimensions]
        plan = importer.plan_import(assessment_round, bank, rows)
        for response in plan.responses:
            response.submitted = True  # scored on the questions answered, as a full one would be
        importer.apply_import(assessment_round, plan)
    return round_id


def test_a_2000_department_dashboard_is_small_and_pages_sorts_and_filters(
        app: Flask, lead_client: FlaskClient) -> None:
    # The only test that builds the big round: once per database, every check on it here.
    started = time.monotonic()
    names = {f"Department {number:04d}": str(1 + number % 5) for number in range(2000)}
    # An earlier round of 30 of them: the change since it must not list 2,000 departments.
    big_round(app, {name: "3" for name in list(names)[:30]}, name="Earlier round")
    url = f"/rounds/{big_round(app, names)}/dashboard"
    built = time.monotonic() - started

    body = lead_client.get(url).get_data(as_text=True)
    assert len(body.encode()) < 500_000, f"{len(body.encode())} bytes (built in {built:.1f} s)"
    change = body[body.index('id="change-heading"'):]
    change = change[:change.index("</section>")]
    assert "The 20 departments that changed most since Earlier round" in change
    assert "1980 other departments are not listed" in change
    assert "Department 0034 and 1965 other departments." in change  # the 1,970 new ones
    assert shown_departments(body) == [f"Department {n:04d}" for n in range(50)]
    assert "Showing departments 1 to 50 of 2000" in body

    page = lead_client.get(f"{url}?page=3").get_data(as_text=True)
    assert shown_departments(page)[0] == "Department 0100"
    last = lead_client.get(f"{url}?page=999").get_data(as_text=True)
    assert shown_departments(last)[-1] == "Department 1999"
    assert "Showing departments 1951 to 2000 of 2000" in last

    filtered = lead_client.get(f"{url}?directorate=People&level=5&name=9").get_data(as_text=True)
    expected = [name for i, name in enumerate(names) if i % 3 == 1 and i % 5 == 4 and "9" in name]
    assert shown_departments(filtered) == expected[:50]
    assert f"of {len(expected)}" in filtered


@pytest.fixture
def scored_round(round_factory: RoundFactory) -> int:
    departments = {"Parks": "2", "Housing": "4", "Libraries": "1", "Highways": "5", "Finance": "3"}
    return round_factory(departments=departments,
                         directorates={"Parks": "Place", "Highways": "Place", "Housing": "People"}).id


def test_sorting_by_a_dimension_and_by_name(scored_round: int, lead_client: FlaskClient) -> None:
    url = f"/rounds/{scored_round}/dashboard"
    body = lead_client.get(url).get_data(as_text=True)
    assert shown_departments(body) == ["Finance", "Highways", "Housing", "Libraries", "Parks"]
    sorts = re.findall(r'[?;]sort=([\w-]+)', body[body.index("app-heatmap"):])
    dimension = next(key for key in sorts if key not in ("department", "directorate"))
    lowest = lead_client.get(f"{url}?sort={dimension}").get_data(as_text=True)
    assert shown_departments(lowest) == ["Libraries", "Parks", "Finance", "Housing", "Highways"]
    highest = lead_client.get(f"{url}?sort={dimension}&order=desc").get_data(as_text=True)
    assert shown_departments(highest) == ["Highways", "Housing", "Finance", "Parks", "Libraries"]
    by_name = lead_client.get(f"{url}?order=desc").get_data(as_text=True)
    assert shown_departments(by_name) == ["Parks", "Libraries", "Housing", "Highways", "Finance"]


def test_filters_by_directorate_name_and_level(scored_round: int, lead_client: FlaskClient) -> None:
    url = f"/rounds/{scored_round}/dashboard"
    place = lead_client.get(f"{url}?directorate=Place").get_data(as_text=True)
    assert shown_departments(place) == ["Highways", "Parks"]
    assert shown_departments(lead_client.get(f"{url}?name=LI").get_data(as_text=True)) == ["Libraries"]
    assert shown_departments(lead_client.get(f"{url}?level=4").get_data(as_text=True)) == ["Housing"]
    none = lead_client.get(f"{url}?name=Nowhere").get_data(as_text=True)
    assert "No department matches these filters." in none
    assert "Clear filters" in none


def test_links_keep_the_other_parameters(scored_round: int, lead_client: FlaskClient) -> None:
    body = lead_client.get(f"/rounds/{scored_round}/dashboard?directorate=Place&order=desc"
                           ).get_data(as_text=True)
    table = body[body.index("app-heatmap"):]
    sort_links = re.findall(r'href="([^"]*sort=[^"]*)"', table)
    assert sort_links and all("directorate=Place" in link for link in sort_links)
    assert 'name="order" value="desc"' in body


def test_the_dashboard_shows_who_is_most_behind_and_ahead(scored_round: int,
                                                          lead_client: FlaskClient) -> None:
    body = lead_client.get(f"/rounds/{scored_round}/dashboard").get_data(as_text=True)
    section = body[body.index('id="extremes-heading"'):body.index('id="heatmap"')]
    behind, ahead = section.split("Most ahead")
    assert behind.index("Libraries") < behind.index("Parks")
    assert ahead.index("Highways") < ahead.index("Housing")


CRAFTED = (
    "sort=nonsense", "sort=", "order=sideways", "page=0", "page=-1", "page=abc", "page=99999999999999999999",
    "page=%00", "level=9", "level=x", "level=-1", "directorate=%00%ff", "name=%3Cscript%3E", "group=x",
    "sort=department&sort=directorate", "name=" + "x" * 5000, "directorate=Nowhere&page=7",
)


def test_crafted_parameters_never_give_an_error(scored_round: int, lead_client: FlaskClient) -> None:
    for query in CRAFTED:
        response = lead_client.get(f"/rounds/{scored_round}/dashboard?{query}")
        assert response.status_code == 200, query
        assert "<script>" not in response.get_data(as_text=True).split("</header>", 1)[-1], query


def test_the_compare_chooser_offers_50_departments_and_finds_others(
        round_factory: RoundFactory, lead_client: FlaskClient) -> None:
    names = {f"Team {number:02d}": str(1 + number % 5) for number in range(60)}
    round_id = round_factory(departments=names).id
    url = f"/rounds/{round_id}/compare"
    offered = re.compile(r'<label class="govuk-label govuk-checkboxes__label" for="[^"]+">'
                         r'\s*([^<]+?)\s*</label>')
    body = lead_client.get(url).get_data(as_text=True)
    assert offered.findall(body) == [f"Team {n:02d}" for n in range(50)]
    assert "Showing 50 of 60 matching departments" in body

    with lead_client.application.app_context():
        ids = {d.name: d.id for d in result_queries.round_departments(round_id)}
    found = lead_client.get(f"{url}?department={ids['Team 01']}&find=5&finding=1").get_data(as_text=True)
    assert offered.findall(found) == ["Team 01", "Team 05", "Team 15", "Team 25", "Team 35", "Team 45",
                                      "Team 50", "Team 51", "Team 52", "Team 53", "Team 54", "Team 55",
                                      "Team 56", "Team 57", "Team 58", "Team 59"]
    assert "govuk-error-summary" not in found
    compared = lead_client.get(f"{url}?department={ids['Team 01']}&department={ids['Team 59']}&find=5")
    assert compared.status_code == 200
    assert "Side by side" in compared.get_data(as_text=True)
    for query in ("find=%00", "department=x&find=", "department=99999&department=-1", "finding=1"):
        assert lead_client.get(f"{url}?{query}").status_code == 200, query
