"""The domain core imports the standard library and itself, nothing else.

Every ``.py`` file under ``assessment/core`` is parsed with :mod:`ast`; every
``import`` and ``from ... import`` anywhere in it (top level, in functions,
under ``if TYPE_CHECKING``) must name a standard-library module or be a
relative import that stays inside ``assessment/core``.
"""

import ast
import sys
from pathlib import Path

import pytest

CORE = Path(__file__).resolve().parents[2] / "assessment" / "core"


def import_problems(source: str, filename: str, depth: int = 0) -> list[str]:
    """Every import of ``source`` that is neither standard library nor inside core.

    ``depth`` is how many packages the file sits below ``assessment/core``
    (0 for ``core/scoring.py``), so a relative import may climb ``depth + 1``
    levels and still be inside core.
    """
    return [
        f"{filename}:{node.lineno}: imports {module!r}, which is outside the "
        "standard library and assessment/core"
        for node in ast.walk(ast.parse(source, filename))
        for module in _outside_modules(node, depth)
    ]


def _outside_modules(node: ast.AST, depth: int) -> list[str]:
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names]
    elif isinstance(node, ast.ImportFrom) and node.level == 0:
        names = [node.module or ""]
    elif isinstance(node, ast.ImportFrom):
        inside = node.level <= depth + 1
        return [] if inside else ["." * node.level + (node.module or "")]
    else:
        return []
    return [name for name in names if name.partition(".")[0] not in sys.stdlib_module_names]


def core_files() -> list[Path]:
    return sorted(CORE.rglob("*.py"))


def test_core_imports_only_the_standard_library_and_itself():
    problems = []
    for path in core_files():
        depth = len(path.relative_to(CORE).parts) - 1
        name = str(path.relative_to(CORE.parents[1]))
        problems.extend(import_problems(path.read_text(encoding="utf-8"), name, depth))
    assert not problems, "\n".join(problems)


def test_the_core_files_were_found():
    names = {path.name for path in core_files()}
    assert {"scoring.py", "consistency.py", "analysis.py", "bank.py"} <= names


def test_checker_flags_a_third_party_import_naming_file_and_module():
    assert import_problems("import flask\n", "assessment/core/x.py") == [
        "assessment/core/x.py:1: imports 'flask', which is outside the "
        "standard library and assessment/core"
    ]


@pytest.mark.parametrize(
    "source",
    [
        "from flask import Flask",
        "import os, sqlalchemy.orm",
        "def f():\n    import yaml",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from flask import Flask",
        "from .. import models",
        "from ..models import Round",
        "import assessment.models",
        "from assessment import create_app",
    ],
)
def test_checker_flags_imports_from_outside_core(source):
    [problem] = import_problems(source, "assessment/core/x.py")
    assert problem.startswith("assessment/core/x.py:")


@pytest.mark.parametrize(
    "source",
    [
        "import math",
        "import os.path",
        "from __future__ import annotations",
        "from collections.abc import Mapping",
        "from statistics import fmean, median",
        "from .bank import QuestionBank",
        "from . import errors",
    ],
)
def test_checker_allows_standard_library_and_relative_core_imports(source):
    assert import_problems(source, "assessment/core/x.py") == []


def test_checker_lets_a_core_subpackage_climb_back_to_core_but_no_further():
    assert import_problems("from ..errors import ScoringError", "core/sub/x.py", depth=1) == []
    assert import_problems("from ...models import Round", "core/sub/x.py", depth=1)
