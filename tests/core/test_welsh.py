"""assessment.core.welsh: lists of names joined with the right "and" in English and Welsh."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from assessment.core.welsh import and_word, join_names, takes_ac, with_word

# The five Welsh dimension names and department names that begin with a vowel and a consonant.
WELSH_CASES = [
    (["Amcanion", "Gwrando"], "Amcanion a Gwrando"),
    (["Gwrando", "Amcanion"], "Gwrando ac Amcanion"),
    (["Diwylliant", "Llywodraethu", "Mesur"], "Diwylliant, Llywodraethu a Mesur"),
    (["Libraries", "Addysg"], "Libraries ac Addysg"),
    (["Addysg", "Ysgolion"], "Addysg ac Ysgolion"),
    (["Addysg", "Heddlu"], "Addysg a Heddlu"),
    (["Tai", "Iechyd"], "Tai a Iechyd"),
    (["Tai", "Waste Services"], "Tai a Waste Services"),
    (["Tai", "Youth Services"], "Tai a Youth Services"),
    (["Tai", "Ŵyr"], "Tai ac Ŵyr"),
    (["Tai", "Uned Gyfathrebu"], "Tai ac Uned Gyfathrebu"),
    (["Tai", "8 Ardal"], "Tai ac 8 Ardal"),
    (["Tai", "2026 Review"], "Tai a 2026 Review"),
]


@pytest.mark.parametrize("names, expected", WELSH_CASES)
def test_welsh_lists_choose_a_or_ac_by_the_last_name(names, expected):
    assert join_names(names, "cy") == expected


@pytest.mark.parametrize("names, expected", [
    ([], ""),
    (["Libraries"], "Libraries"),
    (["Libraries", "Education"], "Libraries and Education"),
    (["Libraries", "Education", "Adult Social Care"], "Libraries, Education and Adult Social Care"),
])
def test_english_lists_have_no_serial_comma(names, expected):
    assert join_names(names, "en") == expected


@pytest.mark.parametrize("word", ["mae", "Mewn", "meddai", "mor", "na", "nad", "nid", "nis",
                                  "felly", "efo"])
def test_words_that_take_ac(word):
    assert takes_ac(word)
    assert and_word(word) == "ac"


@pytest.mark.parametrize("word", ["Bethan", "Caerdydd", "Heddlu", "Iaith", "Wales", "Yard", "", "  "])
def test_words_that_take_a(word):
    assert not takes_ac(word)
    assert and_word(word) == "a" and with_word(word) == "â"


@given(st.lists(st.text(alphabet="ABCaeiouwyŷ ,xyz", min_size=1, max_size=8), min_size=2, max_size=6),
       st.sampled_from(["en", "cy"]))
def test_every_name_is_kept_in_order(names, language):
    joined = join_names(names, language)
    conjunction = {"en": "and"}.get(language, and_word(names[-1]))
    assert joined == ", ".join(names[:-1]) + f" {conjunction} " + names[-1]


@pytest.mark.parametrize("name, expected", [("Alun", "ag"), ("Ysgolion", "ag"), ("Bethan", "â"),
                                            ("mae", "â"), ("Iechyd", "â")])
def test_with_word_is_ag_only_before_a_vowel_sound(name, expected):
    assert with_word(name) == expected
