"""Load ``questions/`` (YAML) into a :class:`~assessment.core.bank.QuestionBank`.

Every problem is collected, not just the first, and reported as
``file:line: message`` so an editor of the bank can fix them all in one go.
Each file is parsed once, by the safe composer (libyaml's C one where it is
installed, about 40 times faster than the pure-Python one): the values are
built from the composed node tree, which also gives every problem its line.
A valid bank is kept per folder for the process, and reused while its files'
text is unchanged, so ``create_app()`` called again (tests, ``flask`` commands)
reads the files but parses nothing.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from .core.bank import (
    LANGUAGES,
    LEVELS,
    MAX_DIMENSIONS,
    MIN_DIMENSIONS,
    Dimension,
    Level,
    Question,
    QuestionBank,
    Text,
)
from .core.errors import AssessmentError

DEFAULT_PATH = Path(__file__).resolve().parent.parent / "questions"
SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")

BANK_KEYS = {"id": True, "version": True, "languages": True, "name": False,
             "scale": True, "dimensions": True}
SCALE_KEYS = {"level": True, "name": True, "meaning": True}
DIMENSION_KEYS = {"id": True, "name": True, "description": False, "file": True}
FILE_KEYS = {"dimension": True, "questions": True}
QUESTION_KEYS = {"id": True, "dimension": False, "text": True, "hint": False,
                 "levels": True, "weight": False, "applies_to": False}

#: libyaml's safe loader where PyYAML was built with it, else the pure-Python one.
YAML_LOADER: type[yaml.SafeLoader] | type[Any] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
#: Valid banks already loaded in this process: folder -> (bank, text of each file read).
_LOADED: OrderedDict[Path, tuple[QuestionBank, dict[Path, str]]] = OrderedDict()
_LOADED_MAX = 8


@dataclass(frozen=True)
class Problem:
    """One located problem in a bank file."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


class QuestionBankInvalid(AssessmentError):
    """The bank has problems; ``problems`` lists every one."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class _File:
    """A parsed YAML file, its node tree (for lines) and its problems."""

    def __init__(self, path: Path, display: str, problems: list[Problem],
                 texts: dict[Path, str]) -> None:
        self.display = display
        self.problems = problems
        self.texts = texts
        self.node: yaml.Node | None = None
        self.data: Any = None
        try:
            text = path.read_text(encoding="utf-8")
            texts[path] = text
            self.node, self.data = parse_yaml(text)
        except FileNotFoundError:
            self.fail(None, "file not found")
        except UnicodeDecodeError:
            self.fail(None, "file is not UTF-8 text")
        except yaml.YAMLError as error:
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problems.append(Problem(display, line, f"not valid YAML: {error}"))
            self.data = None

    def fail(self, node: yaml.Node | None, message: str) -> None:
        line = node.start_mark.line + 1 if node is not None else 1
        self.problems.append(Problem(self.display, line, message))


def parse_yaml(text: str) -> tuple[yaml.Node | None, Any]:
    """The node tree of one YAML document and the values built from it: one parse.

    The same as ``yaml.compose`` followed by ``yaml.safe_load``, at half the cost,
    and with the C composer where installed.
    """
    node = yaml.compose(text, Loader=YAML_LOADER)
    if node is None:
        return None, None
    constructor = YAML_LOADER("")
    try:
        return node, constructor.construct_document(node)
    finally:
        constructor.dispose()


def _child(node: yaml.Node | None, key: str | int) -> yaml.Node | None:
    """The node under ``key`` of a mapping node or index of a sequence node."""
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if str(key_node.value) == str(key):
                return value_node
    if isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
        return node.value[key]
    return node


def _check_keys(file: _File, node: yaml.Node | None, data: Any,
                allowed: dict[str, bool], what: str) -> bool:
    if not isinstance(data, dict):
        file.fail(node, f"{what} must be a mapping")
        return False
    for key in data:
        if str(key) not in allowed:
            file.fail(_child(node, str(key)), f"unknown key {key!r} in {what}")
    for key, required in allowed.items():
        if required and key not in data:
            file.fail(node, f"{what} is missing {key!r}")
    return True


def _text(file: _File, node: yaml.Node | None, data: Any, what: str,
          languages: tuple[str, ...]) -> Text | None:
    """A translatable string: plain English, or ``{en: ..., cy: ...}``."""
    if isinstance(data, str) and data.strip():
        if "cy" in languages:
            file.fail(node, f"{what} needs a Welsh (cy) translation")
        return Text(data)
    if isinstance(data, dict):
        unknown = [k for k in data if k not in LANGUAGES]
        for key in unknown:
            file.fail(_child(node, str(key)), f"unknown language {key!r} in {what}")
        for language in languages:
            value = data.get(language)
            if not (isinstance(value, str) and value.strip()):
                file.fail(node, f"{what} needs a non-empty {language!r} text")
        en, cy = data.get("en"), data.get("cy")
        if isinstance(en, str) and en.strip() and not unknown:
            return Text(en.strip(), cy.strip() if isinstance(cy, str) and cy.strip() else None)
        return None
    file.fail(node, f"{what} must be text or a mapping of languages to text")
    return None


def load_question_bank(path: str | Path | None = None) -> QuestionBank:
    """Load and validate the bank in folder ``path`` (default ``questions/``).

    Raises :class:`QuestionBankInvalid` listing every problem found.
    """
    folder = Path(path) if path else DEFAULT_PATH
    cached = _unchanged(folder)
    if cached is not None:
        return cached
    problems: list[Problem] = []
    texts: dict[Path, str] = {}
    bank_file = _File(folder / "bank.yaml", _display(folder / "bank.yaml"), problems, texts)
    bank = _build_bank(folder, bank_file)
    if problems or bank is None:
        raise QuestionBankInvalid(problems or [Problem(bank_file.display, 1, "bank is empty")])
    _LOADED[_key(folder)] = (bank, texts)
    _LOADED.move_to_end(_key(folder))
    while len(_LOADED) > _LOADED_MAX:
        _LOADED.popitem(last=False)
    return bank


def forget_loaded_banks() -> None:
    """Parse every bank again on its next load (tests count the parses)."""
    _LOADED.clear()


def _key(folder: Path) -> Path:
    return folder.resolve()


def _unchanged(folder: Path) -> QuestionBank | None:
    """The bank loaded earlier from ``folder`` if every file it read still has the same text."""
    entry = _LOADED.get(_key(folder))
    if entry is None:
        return None
    bank, texts = entry
    for file, text in texts.items():
        try:
            if file.read_text(encoding="utf-8") != text:
                return None
        except (OSError, UnicodeDecodeError):
            return None
    return bank


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _build_bank(folder: Path, file: _File) -> QuestionBank | None:
    data, node = file.data, file.node
    if data is None and file.node is None:
        return None
    if not _check_keys(file, node, data, BANK_KEYS, "bank.yaml"):
        return None
    languages = _languages(file, node, data.get("languages"))
    scale = _scale(file, _child(node, "scale"), data.get("scale"), languages)
    dimensions = _dimensions(folder, file, _child(node, "dimensions"),
                             data.get("dimensions"), languages)
    for key in ("id", "version"):
        if key in data and not (isinstance(data[key], str | int | float) and str(data[key])):
            file.fail(_child(node, key), f"{key!r} must be text")
    if file.problems or scale is None or dimensions is None:
        return None
    try:
        return QuestionBank(str(data["id"]), str(data["version"]), languages, scale, dimensions)
    except AssessmentError as error:
        file.fail(node, str(error))
        return None


def _languages(file: _File, node: yaml.Node | None, data: Any) -> tuple[str, ...]:
    languages_node = _child(node, "languages")
    if not isinstance(data, list) or "en" not in data:
        file.fail(languages_node, "languages must be a list that includes 'en'")
        return ("en",)
    for language in data:
        if language not in LANGUAGES:
            file.fail(languages_node, f"unsupported language {language!r} (use en, cy)")
    return tuple(lang for lang in data if lang in LANGUAGES)


def _scale(file: _File, node: yaml.Node | None, data: Any,
           languages: tuple[str, ...]) -> tuple[Level, ...] | None:
    if not isinstance(data, list) or len(data) != len(LEVELS):
        file.fail(node, "scale must list exactly five levels, 1 to 5")
        return None
    levels = []
    for index, entry in enumerate(data):
        entry_node = _child(node, index)
        if not _check_keys(file, entry_node, entry, SCALE_KEYS, f"scale level {index + 1}"):
            continue
        if entry.get("level") != index + 1:
            file.fail(_child(entry_node, "level"), f"scale entry {index + 1} must be level {index + 1}")
        name = _text(file, _child(entry_node, "name"), entry.get("name"), "level name", languages)
        meaning = _text(file, _child(entry_node, "meaning"), entry.get("meaning"),
                        "level meaning", languages)
        if name and meaning:
            levels.append(Level(index + 1, name, meaning))
    return tuple(levels) if len(levels) == len(LEVELS) else None


def _dimensions(folder: Path, file: _File, node: yaml.Node | None, data: Any,
                languages: tuple[str, ...]) -> tuple[Dimension, ...] | None:
    if not isinstance(data, list) or not MIN_DIMENSIONS <= len(data) <= MAX_DIMENSIONS:
        file.fail(node, f"dimensions must list {MIN_DIMENSIONS} to {MAX_DIMENSIONS} dimensions")
        return None
    dimensions: list[Dimension] = []
    seen_dimensions: set[str] = set()
    seen_questions: dict[str, str] = {}
    for index, entry in enumerate(data):
        entry_node = _child(node, index)
        if not _check_keys(file, entry_node, entry, DIMENSION_KEYS, "dimension"):
            continue
        dimension_id = entry.get("id")
        if not (isinstance(dimension_id, str) and SLUG.match(dimension_id)):
            file.fail(_child(entry_node, "id"), f"dimension id {dimension_id!r} must be a lowercase slug")
            continue
        if dimension_id in seen_dimensions:
            file.fail(_child(entry_node, "id"), f"dimension id {dimension_id!r} repeats")
        seen_dimensions.add(dimension_id)
        name = _text(file, _child(entry_node, "name"), entry.get("name"), "dimension name", languages)
        description = (
            _text(file, _child(entry_node, "description"), entry["description"],
                  "dimension description", languages)
            if "description" in entry else Text("")
        )
        questions = _dimension_file(folder, file, _child(entry_node, "file"), entry.get("file"),
                                    dimension_id, languages, seen_questions)
        if name and description and questions:
            dimensions.append(Dimension(dimension_id, name, description, questions))
    return tuple(dimensions) if len(dimensions) == len(data) else None


def _dimension_file(folder: Path, bank_file: _File, node: yaml.Node | None, name: Any,
                    dimension_id: str, languages: tuple[str, ...],
                    seen: dict[str, str]) -> tuple[Question, ...] | None:
    if not isinstance(name, str) or "/" in name or "\\" in name or name.startswith("."):
        bank_file.fail(node, f"file of dimension {dimension_id!r} must be a file name in the bank folder")
        return None
    path = folder / name
    if not path.is_file():
        bank_file.fail(node, f"file {name!r} of dimension {dimension_id!r} not found")
        return None
    file = _File(path, _display(path), bank_file.problems, bank_file.texts)
    if file.data is None and file.node is None:
        return None
    if not _check_keys(file, file.node, file.data, FILE_KEYS, name):
        return None
    if file.data.get("dimension") != dimension_id:
        file.fail(_child(file.node, "dimension"),
                  f"dimension must be {dimension_id!r}, as bank.yaml lists this file under it")
    items, items_node = file.data.get("questions"), _child(file.node, "questions")
    if not isinstance(items, list) or not items:
        file.fail(items_node, "questions must be a non-empty list")
        return None
    questions = [
        _question(file, _child(items_node, index), item, dimension_id, languages, seen)
        for index, item in enumerate(items)
    ]
    return tuple(q for q in questions if q) if all(questions) else None


def _question(file: _File, node: yaml.Node | None, data: Any, dimension_id: str,
              languages: tuple[str, ...], seen: dict[str, str]) -> Question | None:
    if not _check_keys(file, node, data, QUESTION_KEYS, "question"):
        return None
    question_id = data.get("id")
    if not (isinstance(question_id, str) and SLUG.match(question_id)):
        file.fail(_child(node, "id"), f"question id {question_id!r} must be a lowercase slug")
        return None
    where = f"question {question_id!r}"
    if question_id in seen:
        file.fail(_child(node, "id"), f"question id {question_id!r} repeats (first in {seen[question_id]})")
    seen.setdefault(question_id, file.display)
    if data.get("dimension", dimension_id) != dimension_id:
        file.fail(_child(node, "dimension"), f"{where} must be in dimension {dimension_id!r}")
    text = _text(file, _child(node, "text"), data.get("text"), f"text of {where}", languages)
    hint = _optional_text(file, node, data, "hint", where, languages)
    applies_to = _optional_text(file, node, data, "applies_to", where, languages)
    weight = data.get("weight", 1)
    if isinstance(weight, bool) or not isinstance(weight, int | float) or not weight > 0:
        file.fail(_child(node, "weight"), f"weight of {where} must be a positive number")
        weight = 1
    descriptors = _descriptors(file, _child(node, "levels"), data.get("levels"), where, languages)
    if text is None or descriptors is None:
        return None
    return Question(question_id, dimension_id, text, descriptors, hint, float(weight), applies_to)


def _optional_text(file: _File, node: yaml.Node | None, data: dict[str, Any], key: str,
                   where: str, languages: tuple[str, ...]) -> Text | None:
    if key not in data:
        return None
    return _text(file, _child(node, key), data[key], f"{key} of {where}", languages)


def _descriptors(file: _File, node: yaml.Node | None, data: Any, where: str,
                 languages: tuple[str, ...]) -> tuple[Text, ...] | None:
    if not isinstance(data, dict) or sorted(data, key=str) != [1, 2, 3, 4, 5]:
        file.fail(node, f"levels of {where} must have exactly the keys 1, 2, 3, 4 and 5")
        return None
    texts = [
        _text(file, _child(node, level), data[level], f"level {level} of {where}", languages)
        for level in LEVELS
    ]
    return tuple(t for t in texts if t) if all(texts) else None
