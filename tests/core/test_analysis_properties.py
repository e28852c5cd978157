"""Properties of a whole round that hold for any bank, answers and thresholds."""

import math

from hypothesis import given
from hypothesis import strategies as st

from assessment.core.analysis import analyse_round
from assessment.core.answers import DONT_KNOW, NOT_APPLICABLE
from assessment.core.consistency import Thresholds
from assessment.core.scoring import TOLERANCE, DepartmentInput

from .factories import make_bank

WEIGHTS = st.one_of(
    st.sampled_from([0.5, 1.0, 2.0, 3.0]),
    st.floats(min_value=0.01, max_value=100, allow_nan=False),
)
# None stands for an absent answer.
ANSWERS = st.one_of(
    st.integers(1, 5), st.sampled_from([DONT_KNOW, NOT_APPLICABLE]), st.none()
)
NAMES = st.text(alphabet="abAB c", min_size=1, max_size=4)
THRESHOLD = st.floats(min_value=0.05, max_value=4.5)


@st.composite
def banks(draw):
    spec = {
        f"d{d}": [(f"d{d}q{q}", draw(WEIGHTS)) for q in range(draw(st.integers(1, 3)))]
        for d in range(draw(st.integers(3, 5)))
    }
    return make_bank(spec)


@st.composite
def rounds(draw):
    """(bank, departments, thresholds, targets) of a random round."""
    bank = draw(banks())
    departments = []
    for name in draw(st.lists(NAMES, max_size=6, unique=True)):
        responses = []
        for _ in range(draw(st.integers(0, 4))):
            answers = {q.id: draw(ANSWERS) for q in bank.questions}
            responses.append({q: a for q, a in answers.items() if a is not None})
        departments.append(DepartmentInput(name, draw(st.none() | NAMES), tuple(responses)))
    thresholds = Thresholds(draw(THRESHOLD), draw(THRESHOLD), draw(THRESHOLD), draw(THRESHOLD))
    targets = draw(st.dictionaries(st.sampled_from(bank.dimension_ids),
                                   st.floats(min_value=1, max_value=5)))
    return bank, departments, thresholds, targets


@given(rounds())
def test_organisation_score_lies_between_min_and_max(round_):
    bank, departments, thresholds, targets = round_
    organisation = analyse_round(bank, departments, thresholds, targets).organisation
    for dimension in bank.dimension_ids:
        score = organisation.scores[dimension]
        if score is None:
            assert organisation.min[dimension] is None
            assert organisation.max[dimension] is None
        else:
            assert organisation.min[dimension] - TOLERANCE <= score
            assert score <= organisation.max[dimension] + TOLERANCE
            assert organisation.min[dimension] <= organisation.median[dimension]
            assert organisation.median[dimension] <= organisation.max[dimension]


@given(rounds(), st.randoms(use_true_random=False))
def test_department_order_never_changes_the_results(round_, random):
    bank, departments, thresholds, targets = round_
    shuffled = list(departments)
    random.shuffle(shuffled)
    assert analyse_round(bank, shuffled, thresholds, targets) == analyse_round(
        bank, departments, thresholds, targets
    )


@given(rounds())
def test_answering_twice_as_each_respondent_changes_no_score_or_flag(round_):
    bank, departments, thresholds, targets = round_
    doubled = [
        DepartmentInput(d.name, d.directorate, tuple(r for r in d.responses for _ in (1, 2)))
        for d in departments
    ]
    before = analyse_round(bank, departments, thresholds, targets)
    after = analyse_round(bank, doubled, thresholds, targets)
    for old, new in zip(before.departments, after.departments, strict=True):
        assert new.respondents == 2 * old.respondents
        assert (new.scores, new.levels, new.dont_know_rate, new.question_scores) == (
            old.scores, old.levels, old.dont_know_rate, old.question_scores
        )
    assert after.organisation == before.organisation
    assert after.gaps == before.gaps
    assert after.inconsistencies == before.inconsistencies
    assert after.outliers == before.outliers
    assert after.within_department == before.within_department


@given(rounds())
def test_a_department_level_is_the_floor_of_its_score(round_):
    bank, departments, thresholds, targets = round_
    for department in analyse_round(bank, departments, thresholds, targets).departments:
        for dimension, score in department.scores.items():
            level = department.levels[dimension]
            if score is None:
                assert level is None
            else:
                assert level == math.floor(score + TOLERANCE)
                assert level in (1, 2, 3, 4, 5)
                assert level - TOLERANCE <= score < level + 1


@given(rounds())
def test_scores_stay_on_the_scale(round_):
    bank, departments, thresholds, targets = round_
    results = analyse_round(bank, departments, thresholds, targets)
    for department in results.departments:
        for score in (*department.scores.values(), *department.question_scores.values()):
            assert score is None or 1 <= score <= 5
        for rate in department.dont_know_rate.values():
            assert rate is None or 0 <= rate <= 1
