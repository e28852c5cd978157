"""Welsh sentences around names, rendered and compared with Welsh written by hand.

The demonstration round (real question bank, targets of level 5 on every dimension) gives
the gap sentences, target sentences and peer pairings in Welsh, with department names that
begin with a vowel (Adult Social Care) and a consonant (Highways, Libraries). The catalogue
sentences are then rendered with each of the five Welsh dimension names.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from io import BytesIO
from pathlib import Path

import pytest
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from flask import Flask
from flask_babel import force_locale

from assessment import flags
from assessment.queries import results as result_queries
from assessment.queries import rounds as round_queries
from assessment.services import results, review, rounds
from assessment.views.results import gaps as result_gaps
from assessment.views.results import plan as result_plan
from assessment.views.results.view import RoundView

from .support.apps import REAL_BANK_SETTINGS
from .support.rounds import RoundFactory

pytestmark = pytest.mark.app_settings(**REAL_BANK_SETTINGS)  # the demonstration's bank

ROOT = Path(__file__).resolve().parents[1]
CATALOGUE = ROOT / "assessment" / "translations" / "cy" / "LC_MESSAGES" / "messages.po"
DIMENSIONS = ["Amcanion", "Gwrando", "Diwylliant", "Llywodraethu", "Mesur"]

DEMO_SENTENCES = {
    "Mae'r dimensiwn Gwrando yn anghyson: mae Highways ar 1.0, Dechrau; Communications ar 4.6, "
    "Datblygu.",
    "Mae'r dimensiwn Llywodraethu yn anghyson: mae Adult Social Care ar 1.0, Dechrau; Libraries ar "
    "4.5, Datblygu.",
    "Mae Communications ar y blaen o ran Gwrando: 4.6, Datblygu, o'i gymharu â chanolrif o 2.5.",
    "Mae Libraries ar y blaen o ran Llywodraethu: 4.5, Datblygu, o'i gymharu â chanolrif o 2.5.",
    "Mae Highways ar ei hôl hi o ran Gwrando: 1.0, Dechrau, o'i gymharu â chanolrif o 2.5.",
    "Mae Adult Social Care ar ei hôl hi o ran Llywodraethu: 1.0, Dechrau, o'i gymharu â chanolrif "
    "o 2.5.",
    "Mae ymatebwyr Children's Services yn anghytuno o ran Diwylliant: mae eu sgorau'n amrywio o 1.0 "
    "i 4.0.",
    "Mae ymatebwyr Housing yn anghytuno o ran Mesur: mae eu sgorau'n amrywio o 1.0 i 3.6.",
    "Mae bwlch o 2.5 rhwng y dimensiwn Amcanion a'i darged o lefel 5: mae'r sefydliad ar 2.5, Dod "
    "i'r amlwg.",
    "Mae bwlch o 2.5 rhwng y dimensiwn Gwrando a'i darged o lefel 5: mae'r sefydliad ar 2.5, Dod "
    "i'r amlwg.",
    "Mae bwlch o 2.6 rhwng y dimensiwn Diwylliant a'i darged o lefel 5: mae'r sefydliad ar 2.4, Dod "
    "i'r amlwg.",
    "Mae bwlch o 2.5 rhwng y dimensiwn Llywodraethu a'i darged o lefel 5: mae'r sefydliad ar 2.5, "
    "Dod i'r amlwg.",
    "Mae bwlch o 2.5 rhwng y dimensiwn Mesur a'i darged o lefel 5: mae'r sefydliad ar 2.5, Dod "
    "i'r amlwg.",
}
DEMO_PAIRINGS = {
    "O ran Gwrando, gallai Highways (1.0, Dechrau) ddysgu o brofiad Communications (4.6, Datblygu).",
    "O ran Llywodraethu, gallai Adult Social Care (1.0, Dechrau) ddysgu o brofiad Libraries (4.5, "
    "Datblygu).",
}
QUESTION_GAP = re.compile(
    r"Mae'r atebion i'r cwestiwn “[^”]+\?” \((Gwrando|Llywodraethu)\) yn anghyson: mae "
    r"(Highways|Adult Social Care) ar 1\.0, Dechrau; (Communications|Libraries) ar [45]\.0, "
    r"(Datblygu|Meistroli)\.")

@pytest.fixture
def welsh_demo(app: Flask, round_factory: RoundFactory) -> Iterator[
        tuple[list[result_gaps.Gap], result_plan.Plan]]:
    """The demonstration round's gaps and action plan in Welsh, with targets of level 5."""
    loaded = round_factory.demo()
    with app.app_context():
        review.set_targets(loaded.round_id, dict.fromkeys(
            app.extensions["question_bank"].dimension_ids, 5))
    with app.test_request_context(), force_locale("cy"):
        organisation = rounds.require_round(loaded.round_id).organisation_id
        found = round_queries.organisation_round(organisation, loaded.round_id)
        view = RoundView(found, results.analyse(found),
                         tuple(result_queries.round_departments(loaded.round_id)), "cy")
        yield result_gaps.every_gap(result_gaps.gap_list(view)), result_plan.action_plan(view)


def test_the_demo_rounds_gap_sentences_in_welsh(welsh_demo):
    gaps, _ = welsh_demo
    by_question = [g.sentence for g in gaps if g.kind == "question"]
    assert {g.sentence for g in gaps if g.kind != "question"} == DEMO_SENTENCES
    assert len(by_question) == 15
    assert [s for s in by_question if not QUESTION_GAP.fullmatch(s)] == []


def test_the_demo_rounds_peer_pairings_and_next_steps_in_welsh(welsh_demo):
    _, plan = welsh_demo
    assert {pair.sentence for pair in plan.pairs} == DEMO_PAIRINGS
    level_names = {"Dechrau", "Dod i'r amlwg", "Dysgu", "Datblygu", "Meistroli"}
    assert {step.next_level for step in plan.organisation} <= {f"I gyrraedd lefel {n}" for n in level_names}


# --- the catalogue with each of the five Welsh dimension names -----------------------------------


@pytest.fixture(scope="module")
def welsh() -> Translations:
    with CATALOGUE.open("rb") as file:
        catalogue = read_po(file)
    compiled = BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled)


def say(welsh: Translations, msgid: str, **values: str) -> str:
    translated = welsh.gettext(msgid)
    assert translated != msgid, f"no Welsh for {msgid!r}"
    return translated % values


@pytest.mark.parametrize("dimension", DIMENSIONS)
@pytest.mark.parametrize("department", ["Addysg", "Tai", "Adult Social Care", "Libraries"])
def test_gap_sentences_with_each_dimension_and_department(welsh, dimension, department):
    values = {"department": department, "dimension": dimension, "score": "1.0, Dechrau",
              "median": "2.5"}
    behind = "%(department)s is behind on %(dimension)s: %(score)s, against a median of %(median)s."
    ahead = "%(department)s is ahead on %(dimension)s: %(score)s, against a median of %(median)s."
    assert say(welsh, behind, **values) == (
        f"Mae {department} ar ei hôl hi o ran {dimension}: 1.0, Dechrau, o'i gymharu â chanolrif o 2.5.")
    assert say(welsh, ahead, **values) == (
        f"Mae {department} ar y blaen o ran {dimension}: 1.0, Dechrau, o'i gymharu â chanolrif o 2.5.")
    assert say(welsh, "%(department)s is strongest on %(dimension)s (%(score)s)", **values) == (
        f"Mae {department} ar ei chryfaf o ran {dimension} (1.0, Dechrau)")


@pytest.mark.parametrize("dimension", DIMENSIONS)
def test_target_sentences_with_each_dimension(welsh, dimension):
    no_scores = "%(dimension)s has a target of level %(target)s but no scores yet."
    assert say(welsh, no_scores, dimension=dimension, target="4") == (
        f"Mae targed o lefel 4 ar gyfer y dimensiwn {dimension}, ond nid oes sgorau eto.")
    assert say(welsh, "Departments differ most on %(dimension)s.", dimension=dimension) == (
        f"Mae adrannau'n amrywio fwyaf o ran {dimension}.")


def test_strongest_and_weakest_dimensions(welsh):
    msgid = ("The organisation is strongest on %(high)s (%(high_score)s) and weakest on %(low)s "
             "(%(low_score)s).")
    assert say(welsh, msgid, high="Amcanion", high_score="3.1", low="Gwrando", low_score="2.0") == (
        "Mae'r sefydliad ar ei gryfaf o ran Amcanion (3.1) ac ar ei wannaf o ran Gwrando (2.0).")


def test_contact_sentences_need_no_mutation(welsh):
    assert say(welsh, "If you have a question, contact %(contact)s.", contact="Alun Jones") == (
        "Os oes gennych gwestiwn, dyma'r manylion cyswllt: Alun Jones.")
    assert say(welsh, "Back to %(department)s", department="Addysg") == "Yn ôl i dudalen Addysg"
    assert say(welsh, "Not in %(round)s:", round="2025 baseline") == "Heb fod yn y cylch 2025 baseline:"


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "D1, D2, D3, D4, D5 and 7 other departments"),
    ("cy", "D1, D2, D3, D4, D5 a 7 adran arall"),
])
def test_a_long_list_of_tied_departments_names_five_and_counts_the_rest(app, language, expected):
    names = [f"D{number}" for number in range(1, 13)]
    with app.test_request_context(), force_locale(language):
        assert flags.names_text(names, language) == expected
        assert flags.names_text(names[:5], language) == (
            "D1, D2, D3, D4 and D5" if language == "en" else "D1, D2, D3, D4 a D5")
        assert flags.names_text(["Tai", "Ysgolion"], language) == (
            "Tai and Ysgolion" if language == "en" else "Tai ac Ysgolion")
        assert flags.names_text(names[:6], language).endswith(
            "and 1 other department" if language == "en" else "a 1 adran arall")
