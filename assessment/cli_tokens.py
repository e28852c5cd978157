"""``flask revoke-api-token``: end API tokens from the command line (issue 11 item 7)."""

from __future__ import annotations

import click

from .cli_common import fail, friendly_errors, organisation_id_for, organisation_option
from .queries import LARGEST_ID


@click.command("revoke-api-token")
@click.option("--id", "token_id", help="The number of one token (see the audit log).")
@click.option("--email", help="Revoke every token of the user with this email address.")
@organisation_option
@friendly_errors
def revoke_api_token_command(token_id: str | None, email: str | None, organisation: str | None) -> None:
    """Revoke one API token by --id, or all of a user's tokens by --email."""
    from .services import api_tokens

    if (token_id is None) == (email is None):
        fail("Give either --id or --email.")
    organisation_id = organisation_id_for(organisation)
    if token_id is not None:
        number = int(token_id) if token_id.isascii() and token_id.isdigit() else 0
        if not 0 < number <= LARGEST_ID:
            fail(f"There is no API token {token_id}.")
        owner = api_tokens.revoke_token(number, organisation_id)
        click.echo(f"Revoked API token {number} of {owner}.", err=True)
        return
    assert email is not None
    owner, count = api_tokens.revoke_user_tokens(email, organisation_id)
    noun = "API token" if count == 1 else "API tokens"
    click.echo(f"Revoked {count} {noun} of {owner}.", err=True)

