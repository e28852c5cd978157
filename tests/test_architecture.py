"""The architecture, checked on the source with :mod:`ast`: four rules.

Every ``.py`` file under ``assessment/`` is parsed; every import counts, at the
top level, inside functions and under ``if TYPE_CHECKING`` alike.  Each failure
is one line, ``file:line: [rule] what is wrong``.

1. **core imports only the standard library**: every import in
   ``assessment/core/**`` names a standard-library module or stays inside
   ``assessment/core`` (a relative import may not climb out of it).
2. **views and output writers never import models**: ``assessment/views/**``,
   ``charts.py`` (or a ``charts/`` package), ``workbook/**`` and any module or
   package whose name starts with ``report`` never import ``assessment.models``
   in any form (``from ..models import Round``, ``from .. import models``,
   ``import assessment.models``).  They get plain values from queries/ and
   services/, never ORM rows.
3. **only queries/ writes to the database**: outside ``assessment/queries/**``
   (and ``assessment/migrations/**``, which change the schema), no code

   a. calls a session's write method (``add``, ``add_all``, ``merge``,
      ``delete``, ``bulk_save_objects``, ``bulk_insert_mappings``,
      ``bulk_update_mappings``) on a session: ``db.session``, any name or
      attribute whose name contains ``session``, a name bound by
      ``with db.transaction() as NAME`` or a parameter annotated ``Session``;
   b. executes a writing statement: an ``execute``, ``executemany``,
      ``scalar``, ``scalars`` or ``exec_driver_sql`` call whose arguments call
      ``insert``, ``update`` or ``delete`` (``update(Round)``,
      ``table.delete()``) or hold SQL starting with INSERT, UPDATE, DELETE,
      MERGE, REPLACE, UPSERT, TRUNCATE, ALTER, CREATE or DROP;
   c. imports the statement builders ``insert``, ``update`` or ``delete`` from
      ``sqlalchemy`` or its dialects;
   d. opens a write transaction, ``db.transaction()``, except a service
      (``assessment/services/**``), which hands the session on to queries/ so
      that several writes commit or roll back together.

   What it cannot see: setting an attribute of an ORM object loaded in a write
   session.  Only queries/ holds write sessions' objects, by (d).
4. **no import cycles** between modules of ``assessment``: in the graph of
   every import (``from . import x`` is an edge to the module ``x`` if there is
   one, else to the package), no module leads back to itself.  Importing a
   submodule adds no edge to its package's ``__init__`` (Python runs it, but
   then every module would "import" ``assessment/__init__.py``).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "assessment"

CORE_RULE = "core imports only the standard library"
MODELS_RULE = "views and output writers never import models"
WRITES_RULE = "only queries/ writes to the database"
CYCLES_RULE = "no import cycles"


# --- reading a module ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Source:
    """A module's text, where it is, and what Python calls it."""

    path: str  # relative to the repository: "assessment/views/jobs.py"
    module: str  # "assessment.views.jobs"
    text: str

    @property
    def package(self) -> str:
        """The package a relative import in this module starts from."""
        is_package = self.path.endswith("__init__.py")
        return self.module if is_package else self.module.rpartition(".")[0]

    @property
    def tree(self) -> ast.Module:
        return ast.parse(self.text, self.path)


def source(path: str, text: str) -> Source:
    """A module as if it were at ``path`` (relative to the repository)."""
    parts = Path(path).with_suffix("").parts
    module = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
    return Source(path, module, text)


def package_sources() -> list[Source]:
    return [source(str(path.relative_to(ROOT)), path.read_text(encoding="utf-8"))
            for path in sorted(PACKAGE.rglob("*.py"))]


@dataclass(frozen=True)
class Import:
    """One import: its line, the module as written, and the absolute names it reaches.

    ``from ..models import Round`` in ``assessment/views/x.py`` is written
    ``..models`` and reaches ``assessment.models.Round``; the module holding a
    name is the longest prefix of it that is a module.
    """

    line: int
    written: str
    names: tuple[str, ...]


def imports(module: Source) -> Iterator[Import]:
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(node.lineno, alias.name, (alias.name,))
        elif isinstance(node, ast.ImportFrom):
            written = "." * node.level + (node.module or "")
            base = _absolute(module, node.level, node.module) if node.level else node.module or ""
            names = tuple(base if alias.name == "*" else f"{base}.{alias.name}" for alias in node.names)
            yield Import(node.lineno, written, names)


def _absolute(module: Source, level: int, name: str | None) -> str:
    """A relative import's absolute module; ``"."``-prefixed when it climbs past the top."""
    parts = module.package.split(".")
    if level - 1 >= len(parts):
        return "." * level + (name or "")
    base = ".".join(parts[: len(parts) - (level - 1)])
    return f"{base}.{name}" if name else base


def problem(module: Source, line: int, rule: str, detail: str) -> str:
    return f"{module.path}:{line}: [{rule}] {detail}"


# --- rule 1: the core is pure ----------------------------------------------------------------------


def _in_core(name: str) -> bool:
    return name == "assessment.core" or name.startswith("assessment.core.")


def _standard(name: str) -> bool:
    return not name.startswith(".") and name.partition(".")[0] in sys.stdlib_module_names


def core_problems(module: Source) -> list[str]:
    if not _in_core(module.module):
        return []
    return [
        problem(module, found.line, CORE_RULE, f"imports {found.written!r}, which is outside "
                "the standard library and assessment/core")
        for found in imports(module)
        if not all(_in_core(name) or _standard(name) for name in found.names)
    ]


# --- rule 2: no ORM rows in views and output writers -------------------------------------------------


def is_view_or_writer(path: str) -> bool:
    parts = Path(path).relative_to("assessment").with_suffix("").parts
    return (parts[0] in ("views", "workbook", "charts")
            or any(part.startswith("report") for part in parts))


def models_problems(module: Source) -> list[str]:
    if not is_view_or_writer(module.path):
        return []
    return [
        problem(module, found.line, MODELS_RULE, f"imports assessment.models ({found.written!r}); "
                "take plain values from queries/ or services/ instead")
        for found in imports(module)
        if any(name == "assessment.models" or name.startswith("assessment.models.")
               for name in found.names)
    ]


# --- rule 3: only queries/ writes ------------------------------------------------------------------

WRITE_METHODS = {"add", "add_all", "merge", "delete", "bulk_save_objects", "bulk_insert_mappings",
                 "bulk_update_mappings"}
EXECUTE_METHODS = {"execute", "executemany", "scalar", "scalars", "exec_driver_sql"}
STATEMENT_BUILDERS = {"insert", "update", "delete"}
WRITING_SQL = ("INSERT", "UPDATE", "DELETE", "MERGE", "REPLACE", "UPSERT", "TRUNCATE", "ALTER",
               "CREATE", "DROP")


def may_write(path: str) -> bool:
    return path.startswith(("assessment/queries/", "assessment/migrations/"))


def may_open_transactions(path: str) -> bool:
    return path.startswith("assessment/services/")


def _is_db_transaction(node: ast.AST) -> bool:
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
            and node.func.attr == "transaction"
            and isinstance(node.func.value, ast.Name) and node.func.value.id == "db")


def _annotated_session(annotation: ast.expr | None) -> bool:
    if annotation is None:
        return False
    text = ast.unparse(annotation)
    return text.split("|")[0].strip().strip("'\"").rpartition(".")[2] == "Session"


def _session_names(tree: ast.Module) -> set[str]:
    """Names bound by ``with db.transaction() as NAME`` or annotated ``Session``."""
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.With | ast.AsyncWith):
            names.update(item.optional_vars.id for item in node.items
                         if _is_db_transaction(item.context_expr)
                         and isinstance(item.optional_vars, ast.Name))
        elif isinstance(node, ast.arg) and _annotated_session(node.annotation):
            names.add(node.arg)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name) \
                and _annotated_session(node.annotation):
            names.add(node.target.id)
    return names


def _is_session(node: ast.expr, bound: set[str]) -> bool:
    if isinstance(node, ast.Name):
        return "session" in node.id.lower() or node.id in bound
    return isinstance(node, ast.Attribute) and "session" in node.attr.lower()


def _writing_statement(call: ast.Call) -> str | None:
    """What in an execute call's arguments writes, if anything."""
    for argument in [*call.args, *(keyword.value for keyword in call.keywords)]:
        for node in ast.walk(argument):
            if isinstance(node, ast.Call):
                called = node.func
                name = called.id if isinstance(called, ast.Name) else getattr(called, "attr", None)
                if name in STATEMENT_BUILDERS:
                    return f"{name}(...)"
            if isinstance(node, ast.Constant) and isinstance(node.value, str) \
                    and node.value.lstrip().upper().startswith(WRITING_SQL):
                return repr(node.value.strip().split()[0])
    return None


def _write_problem(node: ast.AST, bound: set[str], opens_transactions: bool) -> str | None:
    if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("sqlalchemy"):
        builders = sorted(alias.name for alias in node.names if alias.name in STATEMENT_BUILDERS)
        if builders:
            return f"imports the statement builder {', '.join(builders)} from {node.module}"
    if not isinstance(node, ast.Call):
        return None
    if _is_db_transaction(node) and not opens_transactions:
        return "opens db.transaction(); only a service opens one, to hand its session to queries/"
    func = node.func
    if not isinstance(func, ast.Attribute):
        return None
    if func.attr in WRITE_METHODS and _is_session(func.value, bound):
        return f"calls {ast.unparse(func)}(), a session write"
    if func.attr in EXECUTE_METHODS:
        statement = _writing_statement(node)
        if statement:
            return f"{ast.unparse(func)}() runs a writing statement, {statement}"
    return None


def write_problems(module: Source) -> list[str]:
    if may_write(module.path):
        return []
    tree = module.tree
    bound = _session_names(tree)
    opens_transactions = may_open_transactions(module.path)
    found = []
    for node in ast.walk(tree):
        detail = _write_problem(node, bound, opens_transactions)
        if detail:
            found.append((node.lineno, detail))  # type: ignore[attr-defined]
    return [problem(module, line, WRITES_RULE, detail) for line, detail in sorted(found)]


# --- rule 4: no import cycles ------------------------------------------------------------------------


def _owner(name: str, modules: set[str]) -> str | None:
    """The longest prefix of ``name`` that is a module of the package."""
    parts = name.split(".")
    for end in range(len(parts), 0, -1):
        candidate = ".".join(parts[:end])
        if candidate in modules:
            return candidate
    return None


def import_graph(sources: list[Source]) -> dict[str, dict[str, int]]:
    """Module -> the package's modules it imports -> the first line importing each."""
    modules = {module.module for module in sources}
    graph: dict[str, dict[str, int]] = {module.module: {} for module in sources}
    for module in sources:
        for found in imports(module):
            for name in found.names:
                target = _owner(name, modules)
                if target is not None and target != module.module:
                    graph[module.module].setdefault(target, found.line)
    return graph


def strongly_connected(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """Tarjan's components of more than one module, each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in graph[node]:
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                components.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(components)


def _shortest_cycle(graph: dict[str, dict[str, int]], start: str, within: set[str]) -> list[str]:
    """The shortest path start -> ... -> start inside one component."""
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph[node]):
            if target == start:
                return [*paths[node], start]
            if target in within and target not in paths:
                paths[target] = [*paths[node], target]
                queue.append(target)
    raise AssertionError(f"{start} is in no cycle")  # pragma: no cover - Tarjan says it is


def cycle_problems(sources: list[Source]) -> list[str]:
    graph = import_graph(sources)
    path_of = {module.module: module.path for module in sources}
    found = []
    for component in strongly_connected(graph):
        cycle = _shortest_cycle(graph, component[0], set(component))
        hops = [f"{path_of[a]}:{graph[a][b]} imports {b}" for a, b in pairwise(cycle)]
        first, second = cycle[0], cycle[1]
        found.append(f"{path_of[first]}:{graph[first][second]}: [{CYCLES_RULE}] {first} imports "
                     f"{second}, which leads back to it: {'; '.join(hops)}")
    return found


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
