"""Start-up stays light: CLI commands that draw nothing never import matplotlib, and the
question bank is parsed once per process, with the C YAML loader where installed.

matplotlib costs about half a second to a second per process to import
(benchmarks/README.md).  ``tests/test_charts.py`` checks ``create_app()``;
here each command runs in a fresh process, as ``flask --app app ...`` runs it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from .support.apps import AppFactory
from .support.rounds import RoundFactory

ROOT = Path(__file__).resolve().parent.parent
#: Runs each command (arguments separated by "--") through flask.cli in this one process,
#: and after each says on stderr whether matplotlib has been imported so far.
PROGRAM = """
import json, sys
from flask.cli import main
commands = " ".join(sys.argv[1:]).split(" -- ")
for command in commands:
    sys.argv = ["flask", "--app", "app", *command.split()]
    code = 0
    try:
        main()
    except SystemExit as ended:
        code = ended.code
    sys.stderr.write("\\n" + json.dumps({"command": command, "code": code,
                                         "matplotlib": "matplotlib" in sys.modules}) + "\\n")
"""


@pytest.fixture
def environment(tmp_path: Path) -> dict[str, str]:
    """An environment whose settings file points at a SQLite database in tmp_path."""
    database = f"sqlite:///{tmp_path / 'startup.sqlite'}"
    settings_file = tmp_path / "settings.py"
    settings_file.write_text(f"SQLALCHEMY_DATABASE_URI = {database!r}\n"
                             f"JOBS_SQLITE_PATH = {str(tmp_path / 'jobs.sqlite')!r}\n"
                             "SECRET_KEY = 'test-secret-key-not-for-production'\n")
    environment = {name: value for name, value in os.environ.items()
                   if name not in ("DATABASE_URL", "REDIS_URL", "RATELIMIT_STORAGE_URI")}
    environment["JOINED_UP_SETTINGS"] = str(settings_file)
    return environment


def round_with_answers(app_on: AppFactory, database: str) -> int:
    """A database migrated by ``flask init-db``, holding a round with one submitted response."""
    app = app_on(database)
    assert app.test_cli_runner().invoke(args=["init-db"]).exit_code == 0
    return RoundFactory(app)("Start-up", departments={"Parks": "3"}).id


def test_init_db_results_and_check_questions_do_not_import_matplotlib(app_on, environment, tmp_path):
    round_id = round_with_answers(app_on, f"sqlite:///{tmp_path / 'startup.sqlite'}")
    commands = ["init-db", f"results {round_id}", "check-questions"]
    done = subprocess.run([sys.executable, "-c", PROGRAM, " -- ".join(commands)], cwd=ROOT,
                          env=environment, capture_output=True, text=True, timeout=120)
    reports = [json.loads(line) for line in done.stderr.splitlines() if line.startswith('{"command"')]
    assert reports == [{"command": command, "code": 0, "matplotlib": False} for command in commands], \
        done.stderr


#: ``flask check-questions`` in a fresh process, counting every YAML parse and its loader.
COUNTING_PROGRAM = """
import collections, contextlib, io, json, sys, yaml
from flask.cli import main
parses = collections.Counter()
compose = yaml.compose
def counting_compose(stream, Loader):
    parses[Loader.__name__] += 1
    return compose(stream, Loader=Loader)
yaml.compose = counting_compose
yaml.safe_load = yaml.load = None  # the bank must not be parsed a second way
sys.argv = ["flask", "--app", "app", "check-questions"]
with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):
    main()
sys.stderr.write("\\n" + json.dumps(parses) + "\\n")
"""


def test_a_flask_command_parses_the_bank_once_with_the_c_loader(environment):
    """create_app() and check-questions both load the bank: its files are parsed once."""
    done = subprocess.run([sys.executable, "-c", COUNTING_PROGRAM], cwd=ROOT, env=environment,
                          capture_output=True, text=True, timeout=120)
    parses = json.loads(done.stderr.strip().splitlines()[-1])
    loader = "CSafeLoader" if yaml.__with_libyaml__ else "SafeLoader"
    assert parses == {loader: len(list((ROOT / "questions").glob("*.yaml")))}, done.stderr
