"""``flask create-service-admin`` and ``flask create-organisation``: a regional service (issue 15).

An installation may hold several organisations.  The service administrator
creates them and their first admins, here or on the service pages
(:mod:`assessment.views.service`), through the same services.
"""

from __future__ import annotations

import click

from .cli_common import LINE, friendly_errors, organisation_id_for, organisation_option
from .cli_setup import read_password
from .services import accounts, tenants


@click.command("create-service-admin")
@click.argument("email", type=LINE)
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@friendly_errors
def create_service_admin_command(email: str, password_stdin: bool) -> None:
    """Create a service administrator EMAIL: creates organisations, sees none's answers."""
    user = accounts.create_service_admin(email, read_password(password_stdin))
    click.echo(f"Created the service administrator {user.email}.", err=True)


@click.command("create-organisation")
@click.argument("name", type=LINE)
@click.option("--admin", "email", type=LINE, required=True,
              help="The email address of the organisation's first administrator.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@friendly_errors
def create_organisation_command(name: str, email: str, password_stdin: bool) -> None:
    """Create the organisation NAME and its first administrator."""
    organisation, admin = accounts.create_organisation(name, email, read_password(password_stdin))
    click.echo(f"Created {organisation.name} with the administrator {admin.email}.", err=True)


@click.command("grant-trainer-access")
@click.argument("email", type=LINE)
@organisation_option
@click.option("--revoke", is_flag=True, help="Take the access away instead.")
@friendly_errors
def grant_trainer_access_command(email: str, organisation: str | None, revoke: bool) -> None:
    """Let the trainer EMAIL of another organisation switch to this one (or, with --revoke, stop)."""
    organisation_id = organisation_id_for(organisation)
    if revoke:
        trainer = tenants.revoke_trainer_access(email, organisation_id)
        click.echo(f"{trainer} no longer has access.", err=True)
        return
    trainer = tenants.grant_trainer_access(email, organisation_id)
    click.echo(f"{trainer} may now switch to this organisation.", err=True)


TENANT_COMMANDS = [create_service_admin_command, create_organisation_command,
                   grant_trainer_access_command]  # cli.COMMANDS lists them
