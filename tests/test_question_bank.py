"""The question-bank loader: the real bank loads; every mistake is located."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
import yaml

from assessment import create_app, question_bank
from assessment.core.bank import bank_from_dict, bank_to_dict
from assessment.question_bank import DEFAULT_PATH, QuestionBankInvalid, load_question_bank

SMALL_BANK = Path(__file__).parent / "data" / "small_bank"


@pytest.fixture
def bank_copy(tmp_path: Path) -> Path:
    """A writable copy of the small test bank."""
    folder = tmp_path / "bank"
    shutil.copytree(SMALL_BANK, folder)
    return folder


def replace_in(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text, f"{old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1))


def problems_of(folder: Path) -> list[str]:
    with pytest.raises(QuestionBankInvalid) as caught:
        load_question_bank(folder)
    return [f"{Path(p.path).name}:{p.line}: {p.message}" for p in caught.value.problems]


def test_the_shipped_bank_is_valid_and_has_the_default_dimensions():
    bank = load_question_bank(DEFAULT_PATH)
    assert bank.dimension_ids == ("objectives", "listening", "culture", "governance", "measurement")
    assert [lv.name.en for lv in bank.scale] == [
        "Beginning", "Emerging", "Learning", "Developing", "Mastering"]
    for dimension in bank.dimensions:
        assert 6 <= len(dimension.questions) <= 8, dimension.id
    for question in bank.questions:
        for text in (question.text, *question.descriptors):
            assert text.en and text.cy, question.id


def test_the_shipped_bank_survives_a_snapshot_round_trip():
    bank = load_question_bank(DEFAULT_PATH)
    assert bank_from_dict(bank_to_dict(bank)) == bank


def test_small_bank_loads_with_weights_and_welsh():
    bank = load_question_bank(SMALL_BANK)
    assert bank.question("alpha-two").weight == 2.0
    assert bank.question("alpha-one").text.get("cy") == "Cwestiwn alpha cyntaf?"


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        ("bank.yaml", "version:", "colour: blue\nversion:", "bank.yaml:2: unknown key 'colour' in bank.yaml"),
        ("alpha.yaml", "id: alpha-two", "id: alpha-one", "alpha.yaml:11: question id 'alpha-one' repeats"),
        ("beta.yaml", "weight: 2", "weight: -1", "beta.yaml:13: weight of question 'beta-two' must be a positive"),
        ("gamma.yaml", "      5: {en: \"gamma one level 5\", cy: \"gamma un lefel 5\"}\n", "",
         "gamma.yaml:6: levels of question 'gamma-one' must have exactly the keys 1, 2, 3, 4 and 5"),
        ("alpha.yaml", 'cy: "Ail gwestiwn alpha?"', 'cy: ""',
         "alpha.yaml:12: text of question 'alpha-two' needs a non-empty 'cy' text"),
        ("bank.yaml", "file: gamma.yaml", "file: missing.yaml",
         "bank.yaml:13: file 'missing.yaml' of dimension 'gamma' not found"),
        ("beta.yaml", "dimension: beta", "dimension: alpha", "beta.yaml:1: dimension must be 'beta'"),
        ("alpha.yaml", "levels:", "levels: [", "alpha.yaml:"),
    ],
)
def test_each_mistake_is_reported_with_file_and_line(bank_copy, file, old, new, expected):
    replace_in(bank_copy / file, old, new)
    assert any(p.startswith(expected) for p in problems_of(bank_copy)), problems_of(bank_copy)


def test_five_different_mistakes_give_five_located_messages(bank_copy):
    replace_in(bank_copy / "bank.yaml", "version:", "colour: blue\nversion:")
    replace_in(bank_copy / "alpha.yaml", "id: alpha-two", "id: alpha-one")
    replace_in(bank_copy / "beta.yaml", "weight: 2", "weight: 0")
    replace_in(bank_copy / "gamma.yaml", 'cy: "Cwestiwn gamma cyntaf?"', 'cy: ""')
    replace_in(bank_copy / "gamma.yaml", "  - id: gamma-two\n", "  - id: gamma-two\n    colour: red\n")
    problems = problems_of(bank_copy)
    assert len(problems) == 5, problems
    assert {p.split(":")[0] for p in problems} == {"bank.yaml", "alpha.yaml", "beta.yaml", "gamma.yaml"}


def test_too_few_dimensions_is_refused(bank_copy):
    text = (bank_copy / "bank.yaml").read_text()
    (bank_copy / "bank.yaml").write_text(text.split("  - {id: beta")[0])
    assert problems_of(bank_copy) == ["bank.yaml:11: dimensions must list 3 to 12 dimensions"]


def test_a_missing_folder_is_reported():
    problems = problems_of(Path("/nonexistent/bank"))
    assert problems == ["bank.yaml:1: file not found"]


@pytest.fixture
def yaml_parses(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The loader class of every YAML parse from now on (the bank cache emptied first)."""
    question_bank.forget_loaded_banks()
    loaders: list[str] = []
    compose = yaml.compose

    def counting_compose(stream, Loader):
        loaders.append(Loader.__name__)
        return compose(stream, Loader=Loader)

    def refused(*_args, **_kwargs):
        raise AssertionError("the bank is parsed by yaml.compose only, once a file")

    monkeypatch.setattr(yaml, "compose", counting_compose)
    for name in ("load", "safe_load", "full_load", "unsafe_load"):
        monkeypatch.setattr(yaml, name, refused)
    return loaders


def test_each_bank_file_is_parsed_once_per_process(yaml_parses):
    files = len(list(DEFAULT_PATH.glob("*.yaml")))
    first = load_question_bank(DEFAULT_PATH)
    assert len(yaml_parses) == files
    again = [load_question_bank(DEFAULT_PATH), load_question_bank(str(DEFAULT_PATH))]
    create_app({"TESTING": True, "SECRET_KEY": "x", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    assert len(yaml_parses) == files
    assert all(bank is first for bank in again)


def test_the_c_loader_is_used_when_installed(yaml_parses):
    load_question_bank(SMALL_BANK)
    expected = "CSafeLoader" if yaml.__with_libyaml__ else "SafeLoader"
    assert yaml_parses and set(yaml_parses) == {expected}


def test_values_built_from_the_node_tree_equal_safe_load():
    for path in [*DEFAULT_PATH.glob("*.yaml"), *SMALL_BANK.glob("*.yaml")]:
        text = path.read_text(encoding="utf-8")
        assert question_bank.parse_yaml(text)[1] == yaml.safe_load(text), path.name


def test_a_changed_file_is_parsed_again(bank_copy, yaml_parses):
    load_question_bank(bank_copy)
    parsed = len(yaml_parses)
    replace_in(bank_copy / "beta.yaml", "weight: 2", "weight: 3")
    assert load_question_bank(bank_copy).question("beta-two").weight == 3.0
    assert len(yaml_parses) == 2 * parsed
    replace_in(bank_copy / "alpha.yaml", "id: alpha-two", "id: alpha-one")
    assert any("repeats" in p for p in problems_of(bank_copy))
    assert any("repeats" in p for p in problems_of(bank_copy))  # an invalid bank is never kept
