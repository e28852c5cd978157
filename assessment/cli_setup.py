"""``flask setup`` and ``flask remove-demo``: install and tidy up from the command line (issue 11).

``setup`` does what the set-up page does, through the same service
(:func:`assessment.services.accounts.set_up_installation`), so the same rules
hold; ``remove-demo`` does what the admins' "Remove the demonstration" button does.
"""

from __future__ import annotations

import sys

import click

from .cli_common import LINE, fail, friendly_errors, organisation_id_for, organisation_option
from .extensions import db
from .queries import accounts as account_queries
from .services import accounts


def read_password(password_stdin: bool) -> str:
    if password_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("Password", hide_input=True, confirmation_prompt=True)


@click.command("setup")
@click.option("--organisation", type=LINE, required=True, help="The name of your organisation.")
@click.option("--admin", "email", type=LINE, required=True,
              help="The email address of the first administrator.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--demo", "load_demo", is_flag=True,
              help="Also load the demonstration council (removable with 'flask remove-demo').")
@friendly_errors
def setup_command(organisation: str, email: str, password_stdin: bool, load_demo: bool) -> None:
    """Create the organisation and its first administrator (once, like the set-up page)."""
    if account_queries.count_members_in(db.session) > 0:  # a service administrator alone is no set-up
        names = [found.name for found in account_queries.list_organisations()]
        fail(f"Joined-Up is already set up for {names[0] if len(names) == 1 else 'an organisation'}: "
             "add people with 'flask create-user' instead.")
    user = accounts.set_up_installation(organisation, email, read_password(password_stdin))
    click.echo(f"Set up {organisation} with the administrator {user.email}.", err=True)
    if load_demo:
        from flask import current_app

        from .services import demo

        demo.load_demo(current_app.extensions["question_bank"], user.organisation_id)
        click.echo("Loaded the demonstration rounds.", err=True)


@click.command("remove-demo")
@organisation_option
@friendly_errors
def remove_demo_command(organisation: str | None) -> None:
    """Delete the demonstration rounds and everything that belongs only to them."""
    from .services import demo

    removed = demo.remove_demo(organisation_id_for(organisation))
    if not removed.exists:
        click.echo("There is no demonstration data to remove.", err=True)
        return
    click.echo(f"Removed the demonstration: {', '.join(removed.round_names)} "
               f"({removed.responses} responses, {removed.departments} departments).", err=True)


SETUP_COMMANDS = [setup_command, remove_demo_command]  # cli.COMMANDS lists them
