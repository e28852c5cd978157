"""The architecture's rules, checked on the source with :mod:`ast` (tests/test_architecture.py).

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

   What it cannot see: setting an attribute of an ORM object that a query
   loaded into a write session (``response.status = "submitted"`` in a
   service); by convention a service only hands its session on to queries/.
4. **no import cycles** (tests/import_cycles.py) between modules of
   ``assessment``: in the graph of every import (``from . import x`` is an
   edge to the module ``x`` if there is one, else to the package), no module
   leads back to itself.  Importing a
   submodule adds no edge to its package's ``__init__`` (Python runs it, but
   then every module would "import" ``assessment/__init__.py``).
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

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
