"""The ``flask --app app ...`` commands of docs/specification.md section 7.

Each command calls the same services as the pages and the API.  Expected
problems go to stderr as one sentence each, with exit status 1.  Every name,
email or other text argument is of type :data:`LINE`: control characters are
removed by the rule of :mod:`assessment.core.text`, as the web forms do.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import with_appcontext

from .cli_benchmarks import BENCHMARK_COMMANDS
from .cli_common import LINE, friendly_errors, organisation_id_for, organisation_option, round_of
from .cli_setup import SETUP_COMMANDS
from .cli_tenants import TENANT_COMMANDS
from .cli_tokens import revoke_api_token_command
from .extensions import db
from .services import accounts, demo, importer, invitations, results, rounds


@click.command("init-db")
@friendly_errors
def init_db_command() -> None:
    """Create or migrate the database (safe to run again)."""
    from .migrate import upgrade

    upgrade(db.engine)
    click.echo("The database is up to date.")


@click.command("create-user")
@click.argument("email", type=LINE)
@click.option("--role", type=click.Choice(["admin", "lead", "trainer"]), required=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@organisation_option
@friendly_errors
def create_user_command(email: str, role: str, password_stdin: bool, organisation: str | None) -> None:
    """Create a user who signs in with EMAIL."""
    organisation_id = organisation_id_for(organisation)
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    user = accounts.create_user(email, password, role, organisation_id)
    click.echo(f"Created {user.role} {user.email}.", err=True)


@click.command("create-round")
@click.argument("name", type=LINE)
@click.option("--open", "open_now", is_flag=True, help="Open the round for answers now.")
@click.option("--name-cy", type=LINE, help="The round's Welsh name, if any.")
@organisation_option
@friendly_errors
def create_round_command(name: str, open_now: bool, name_cy: str | None, organisation: str | None) -> None:
    """Create a round; prints its id."""
    created = rounds.create_round(name, "open" if open_now else "draft", name_cy,
                                  organisation_id_for(organisation))
    click.echo(created.id)


@click.command("invite")
@click.argument("round_id", type=int)
@click.argument("department", type=LINE)
@click.option("--respondent", type=LINE, help="The respondent's name (a new one if not given).")
@click.option("--directorate", type=LINE, help="The department's directorate, if any.")
@click.option("--department-cy", type=LINE, help="The department's Welsh name, if any.")
@click.option("--directorate-cy", type=LINE, help="The directorate's Welsh name, if any.")
@click.option("--base-url", type=LINE,
              help="Where links start, like https://joined-up.example.org (default: BASE_URL).")
@organisation_option
@friendly_errors
def invite_command(round_id: int, department: str, respondent: str | None,
                   directorate: str | None, department_cy: str | None,
                   directorate_cy: str | None, base_url: str | None, organisation: str | None) -> None:
    """Create an invitation link for DEPARTMENT; prints the link."""
    from .queries.rounds import WelshNames

    round_id = round_of(round_id, organisation)
    invitation = invitations.invite(round_id, department, respondent, directorate,
                                    WelshNames(department_cy, directorate_cy), base_url)
    click.echo(invitation.link)


@click.command("import-responses")
@click.argument("round_id", type=int)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@organisation_option
@friendly_errors
def import_responses_command(round_id: int, file: Path, organisation: str | None) -> None:
    """Import answers from a CSV or XLSX FILE, all or nothing."""
    assessment_round = rounds.require_round(round_of(round_id, organisation))
    bank = results.round_bank(assessment_round)
    with file.open("rb") as stream:  # read as it is imported, never whole in memory
        plan = importer.import_file(assessment_round, bank, file.name, stream)
    click.echo(
        f"Imported {plan.answer_count} answers in {len(plan.responses)} responses "
        f"({plan.submitted_count} submitted).", err=True,
    )


@click.command("export-xlsx")
@click.argument("round_id", type=int)
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--anonymise", is_flag=True, help="Department A, B ... and no respondent names.")
@click.option("--no-comments", is_flag=True, help="Leave out comments and notes.")
@organisation_option
@friendly_errors
def export_xlsx_command(round_id: int, out: Path, anonymise: bool, no_comments: bool,
                        organisation: str | None) -> None:
    """Write the workshop workbook of a round to OUT (docs/specification.md section 9)."""
    from .services import exports
    from .workbook import WorkbookOptions

    round_id = round_of(round_id, organisation)
    count = exports.export_workbook_file(round_id, out, WorkbookOptions(anonymise, no_comments))
    click.echo(f"Wrote {out} with {count} answers.", err=True)


@click.command("results")
@click.argument("round_id", type=int)
@organisation_option
@friendly_errors
def results_command(round_id: int, organisation: str | None) -> None:
    """Print the results document of a round as JSON."""
    analysis = results.analyse(rounds.require_round(round_of(round_id, organisation)))
    click.echo(json.dumps(results.round_document(analysis), indent=2, ensure_ascii=False))


@click.command("check-questions")
@click.argument("path", required=False, type=click.Path(file_okay=False, path_type=Path))
def check_questions_command(path: Path | None) -> None:
    """Check a question bank folder (default: questions/) and list every problem."""
    from .question_bank import QuestionBankInvalid, load_question_bank

    try:
        bank = load_question_bank(path or current_app.config["QUESTIONS_PATH"])
    except QuestionBankInvalid as error:
        for problem in error.problems:
            click.echo(str(problem))
        click.echo(f"{len(error.problems)} problem(s) found.", err=True)
        sys.exit(1)
    click.echo(
        f"The question bank {bank.id} {bank.version} is valid: "
        f"{len(bank.dimensions)} dimensions, {len(bank.questions)} questions."
    )


@click.command("demo")
@click.option("--rows-csv", type=click.Path(dir_okay=False, path_type=Path),
              help="Also write the demo's answers as an import file.")
@organisation_option
@friendly_errors
def demo_command(rows_csv: Path | None, organisation: str | None) -> None:
    """Load a fictional council's two closed demonstration rounds (see remove-demo)."""
    if organisation is None:
        accounts.ensure_organisation(demo.ORGANISATION_NAME)
    loaded = demo.load_demo(current_app.extensions["question_bank"], organisation_id_for(organisation))
    if rows_csv:
        import csv

        with rows_csv.open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(loaded.rows)
    click.echo("Loaded the demonstration rounds; 'flask remove-demo' removes them.", err=True)
    click.echo(loaded.round_id)


@click.command("backup")
@click.argument("out", type=click.Path(dir_okay=False, path_type=Path))
@friendly_errors
def backup_command(out: Path) -> None:
    """Write every table of the database to OUT as versioned JSON."""
    from .services import backup

    count = backup.write_backup(out)
    click.echo(f"Backed up {count} rows to {out}.", err=True)


@click.command("restore")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Delete everything in the database first.")
@friendly_errors
def restore_command(file: Path, replace: bool) -> None:
    """Restore a backup FILE into an empty database, all or nothing."""
    from .services import backup

    report = backup.restore(backup.read_backup(file), replace=replace)
    if summary := report.cleaned_summary():
        click.echo(summary, err=True)
    click.echo(f"Restored {report.rows} rows from {file}.", err=True)


@click.command("create-api-token")
@click.argument("email", type=LINE)
@organisation_option
@friendly_errors
def create_api_token_command(email: str, organisation: str | None) -> None:
    """Create an API token for the lead or trainer EMAIL; prints it, alone."""
    from .services import api_tokens

    click.echo(api_tokens.create_api_token(email, organisation_id_for(organisation)))


COMMANDS = [
    backup_command, restore_command, create_api_token_command,
    init_db_command, create_user_command, create_round_command, invite_command,
    import_responses_command, results_command, check_questions_command, demo_command,
    export_xlsx_command, revoke_api_token_command, *SETUP_COMMANDS, *TENANT_COMMANDS, *BENCHMARK_COMMANDS,
]


def init_app(app: Flask) -> None:
    for command in COMMANDS:
        # Every command works on the app's database and bank: give it an app context.
        if command.callback is not None and not getattr(command.callback, "_has_app_context", False):
            command.callback = with_appcontext(command.callback)
            command.callback._has_app_context = True  # type: ignore[attr-defined]
        app.cli.add_command(command)
