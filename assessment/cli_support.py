"""What every command shares: the text type of its arguments and its one-sentence errors."""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable
from typing import Any

import click
from sqlalchemy.exc import OperationalError

from .core.errors import AssessmentError
from .core.text import clean_line
from .services import importer


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
        except importer.ImportInvalid as error:
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
