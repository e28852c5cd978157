"""What every command shares: a clean text argument type and one way to fail.

Expected problems go to stderr as one sentence each, with exit status 1,
never a traceback.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from .core.errors import AssessmentError
from .core.text import clean_line
from .import_format import ImportInvalid


class CleanLine(click.ParamType):
    """A one-line text argument (a name, an email) without control characters."""

    name = "text"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        return clean_line(str(value))


LINE = CleanLine()


def fail(message: str) -> None:
    """Print one clear sentence to stderr and exit with status 1."""
    click.echo(f"Error: {message}", err=True)
    sys.exit(1)


def friendly_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn domain and database errors into one line on stderr, never a traceback."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except ImportInvalid as error:
            for problem in error.problems:
                click.echo(problem, err=True)
            fail(f"nothing was imported: {len(error.problems)} problem(s) listed above.")
        except AssessmentError as error:
            fail(str(error))
        except OperationalError as error:
            fail(f"the database could not be used ({error.orig}). Is DATABASE_URL right?")
        except OSError as error:
            fail(f"{error.strerror or error}: {error.filename or ''}".rstrip(": "))

    return wrapper


#: ``--organisation NAME`` for every command that acts on one organisation (issue 15).
organisation_option = click.option(
    "--organisation", "organisation", type=LINE,
    help="Which organisation (needed only when the installation holds several).")


def organisation_id_for(name: str | None) -> int:
    """The id of the organisation called ``name``, or of the installation's only one.

    Fails with one clear sentence when there is no such organisation, or when
    the installation holds several and no name was given.
    """
    from .services import accounts

    return accounts.find_organisation(name).id


def round_of(round_id: int, organisation: str | None) -> int:
    """``round_id`` if it belongs to the organisation (see :func:`organisation_id_for`).

    Another organisation's round is "no round", as the pages answer 404.
    """
    from .extensions import db
    from .queries import accounts as account_queries
    from .queries import rounds as round_queries

    if not account_queries.organisation_ids(db.session, limit=1):
        fail(f"There is no round {round_id}.")  # nothing is set up: no round can exist
    if round_queries.organisation_round(organisation_id_for(organisation), round_id) is None:
        fail(f"There is no round {round_id}.")
    return round_id
