"""The architecture test: four rules, each failure naming file, line and rule.

The rules and how each is decided are in tests/architecture_rules.py (rules 1
to 3) and tests/import_cycles.py (rule 4); here they run on the real package,
and on small sources that show what each checker accepts and refuses.
"""

from __future__ import annotations

import pytest

from .architecture_rules import (
    CORE_RULE,
    MODELS_RULE,
    WRITES_RULE,
    Source,
    core_problems,
    models_problems,
    package_sources,
    source,
    write_problems,
)
from .import_cycles import CYCLES_RULE, cycle_problems

# --- the rules on the real package ------------------------------------------------------------------


@pytest.fixture(scope="module")
def sources() -> list[Source]:
    return package_sources()


def test_the_package_was_found(sources):
    paths = {module.path for module in sources}
    assert {"assessment/core/scoring.py", "assessment/core/bank.py", "assessment/models.py",
            "assessment/queries/__init__.py", "assessment/views/__init__.py"} <= paths


def test_core_imports_only_the_standard_library_and_itself(sources):
    problems = [found for module in sources for found in core_problems(module)]
    assert not problems, "\n".join(problems)


def test_views_and_output_writers_never_import_models(sources):
    problems = [found for module in sources for found in models_problems(module)]
    assert not problems, "\n".join(problems)


def test_only_queries_write_to_the_database(sources):
    problems = [found for module in sources for found in write_problems(module)]
    assert not problems, "\n".join(problems)


def test_there_are_no_import_cycles(sources):
    problems = cycle_problems(sources)
    assert not problems, "\n".join(problems)


# --- the checkers themselves: rule 1 ----------------------------------------------------------------


def test_core_checker_names_file_line_rule_and_module():
    assert core_problems(source("assessment/core/x.py", "import math\nimport flask\n")) == [
        "assessment/core/x.py:2: [core imports only the standard library] imports 'flask', "
        "which is outside the standard library and assessment/core"
    ]


@pytest.mark.parametrize(
    "text",
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
def test_core_checker_flags_imports_from_outside_core(text):
    [found] = core_problems(source("assessment/core/x.py", text))
    assert found.startswith("assessment/core/x.py:") and f"[{CORE_RULE}]" in found


@pytest.mark.parametrize(
    "text",
    [
        "import math",
        "import os.path",
        "from __future__ import annotations",
        "from collections.abc import Mapping",
        "from statistics import fmean, median",
        "from .bank import QuestionBank",
        "from . import errors",
        "import assessment.core.bank",
    ],
)
def test_core_checker_allows_standard_library_and_core_imports(text):
    assert core_problems(source("assessment/core/x.py", text)) == []


def test_core_checker_lets_a_core_subpackage_climb_back_to_core_but_no_further():
    assert core_problems(source("assessment/core/sub/x.py", "from ..errors import ScoringError")) == []
    assert core_problems(source("assessment/core/sub/x.py", "from ...models import Round"))
    assert core_problems(source("assessment/core/x.py", "from ..... import anything"))


def test_core_checker_leaves_other_modules_alone():
    assert core_problems(source("assessment/views/x.py", "import flask")) == []


# --- rule 2 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["assessment/views/x.py", "assessment/views/survey/pages.py", "assessment/charts.py",
     "assessment/charts/radar.py", "assessment/workbook/gaps.py", "assessment/report.py",
     "assessment/services/report_board.py", "assessment/reports/__init__.py"],
)
def test_models_checker_knows_views_and_output_writers(path):
    [found] = models_problems(source(path, "\n\nfrom assessment.models import Round\n"))
    assert found.startswith(f"{path}:3: [{MODELS_RULE}] imports assessment.models")


@pytest.mark.parametrize(
    "text",
    ["from .. import models", "import assessment.models", "from assessment.models import Round",
     "from assessment import models, cache", "def page():\n    from ..models import Round",
     "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ..models import Round"],
)
def test_models_checker_sees_every_form_of_import(text):
    assert len(models_problems(source("assessment/views/x.py", text))) == 1


@pytest.mark.parametrize(
    "text",
    ["from ..queries import rounds", "from .. import cache", "from .lookups import round_or_404",
     "from ..services.models_help import x"],
)
def test_models_checker_allows_other_imports(text):
    assert models_problems(source("assessment/views/x.py", text)) == []


def test_models_checker_leaves_services_and_queries_alone():
    for path in ("assessment/services/x.py", "assessment/queries/x.py", "assessment/jobs.py"):
        assert models_problems(source(path, "from ..models import Round")) == []


# --- rule 3 ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "detail"),
    [
        ("with db.transaction() as s:\n    s.add(AuditEvent())", "calls s.add(), a session write"),
        ("db.session.add(row)", "calls db.session.add(), a session write"),
        ("def f(session):\n    session.merge(row)", "calls session.merge(), a session write"),
        ("def f(s: Session):\n    s.delete(row)", "calls s.delete(), a session write"),
        ("g.db_session.add_all(rows)", "calls g.db_session.add_all(), a session write"),
        ("db.session.execute(update(Round).values(name='x'))",
         "db.session.execute() runs a writing statement, update(...)"),
        ("connection.execute(table.delete())", "connection.execute() runs a writing statement, delete(...)"),
        ("db.session.execute(text('delete from answer'))",
         "db.session.execute() runs a writing statement, 'delete'"),
        ("cursor.execute('  INSERT INTO answer VALUES (1)')",
         "cursor.execute() runs a writing statement, 'INSERT'"),
        ("from sqlalchemy import delete, select, update",
         "imports the statement builder delete, update from sqlalchemy"),
        ("from sqlalchemy.dialects.postgresql import insert",
         "imports the statement builder insert from sqlalchemy.dialects.postgresql"),
    ],
)
def test_write_checker_flags_writes_outside_queries(text, detail):
    assert write_problems(source("assessment/services/x.py", text)) == [
        f"assessment/services/x.py:{text.count(chr(10)) + 1}: [{WRITES_RULE}] {detail}"
    ]


def test_write_checker_lets_only_services_open_a_transaction():
    text = "with db.transaction() as session:\n    audit_queries.add(session, event)\n"
    assert write_problems(source("assessment/services/x.py", text)) == []
    [found] = write_problems(source("assessment/audit.py", text))
    assert found.startswith(f"assessment/audit.py:1: [{WRITES_RULE}] opens db.transaction()")


@pytest.mark.parametrize(
    "text",
    [
        "seen = set()\nseen.add(1)",
        "departments.setdefault(name, []).append(row)",
        "db.session.execute(select(Round))",
        "db.session.execute(text('SELECT 1'))",
        "cursor.execute('PRAGMA foreign_keys=ON')",
        "session['_user_id'] = '1:1'",
        "session.pop('respondent', None)",
        "values.update(other)",
        "from sqlalchemy import select, func",
    ],
)
def test_write_checker_allows_reads_and_plain_python(text):
    assert write_problems(source("assessment/views/x.py", text)) == []


def test_write_checker_leaves_queries_and_migrations_alone():
    text = "from sqlalchemy import delete\nwith db.transaction() as s:\n    s.add(row)\n"
    assert write_problems(source("assessment/queries/x.py", text)) == []
    assert write_problems(source("assessment/migrations/versions/0001_x.py", text)) == []


# --- rule 4 ---------------------------------------------------------------------------------------------


def sources_of(files: dict[str, str]) -> list[Source]:
    return [source(path, text) for path, text in files.items()]


def test_cycle_checker_finds_a_cycle_hidden_in_a_function():
    found = cycle_problems(sources_of({
        "assessment/__init__.py": "",
        "assessment/services/__init__.py": "",
        "assessment/services/importer.py": "from . import offline_template\n",
        "assessment/services/offline_template.py": "\n\ndef f():\n    from .importer import columns\n",
    }))
    assert found == [
        f"assessment/services/importer.py:1: [{CYCLES_RULE}] assessment.services.importer imports "
        "assessment.services.offline_template, which leads back to it: "
        "assessment/services/importer.py:1 imports assessment.services.offline_template; "
        "assessment/services/offline_template.py:4 imports assessment.services.importer"
    ]


def test_cycle_checker_reports_a_longer_cycle_once_with_every_hop():
    [found] = cycle_problems(sources_of({
        "assessment/__init__.py": "",
        "assessment/a.py": "import assessment.b\n",
        "assessment/b.py": "from assessment import c\n",
        "assessment/c.py": "from .a import thing\n",
    }))
    assert found.startswith(f"assessment/a.py:1: [{CYCLES_RULE}]")
    assert "assessment/b.py:1 imports assessment.c" in found
    assert "assessment/c.py:1 imports assessment.a" in found


def test_cycle_checker_ignores_the_package_init_and_one_way_imports():
    assert cycle_problems(sources_of({
        "assessment/__init__.py": "def create_app():\n    from . import web\n",
        "assessment/web.py": "from .core import text\nfrom . import cache\n",
        "assessment/cache.py": "",
        "assessment/core/__init__.py": "",
        "assessment/core/text.py": "import re\n",
        "assessment/worker.py": "from assessment import create_app\n",
    })) == []
