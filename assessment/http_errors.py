"""Error answers shared by every blueprint: the plain error page and Retry-After on 429 and 503."""

from __future__ import annotations

from flask import render_template
from flask_babel import gettext as _
from werkzeug.exceptions import HTTPException

ERROR_TITLES = {
    400: "Sorry, there is a problem with the request",
    403: "You do not have permission to see this page",
    404: "Page not found",
    405: "Sorry, there is a problem with the request",
    413: "The file is too large",
    429: "Too many attempts",
    500: "Sorry, there is a problem with the service",
    503: "Sorry, the service is unavailable",
}

#: Seconds a visitor is asked to wait on a 429 or 503 that does not say itself.
DEFAULT_RETRY_AFTER = {429: 60, 503: 30}


def retry_after(error: HTTPException) -> dict[str, str]:
    """The Retry-After header for a 429 or 503 (every one carries it), else nothing."""
    code = error.code or 500
    if code not in DEFAULT_RETRY_AFTER:
        return {}
    seconds = getattr(error, "retry_after", None)
    if isinstance(seconds, int | float) and seconds > 0:
        return {"Retry-After": str(int(seconds))}
    return {"Retry-After": str(DEFAULT_RETRY_AFTER[code])}


def error_page(code: int) -> tuple[str, int]:
    """The plain error page for ``code``: a title and advice, never a traceback or path."""
    title = _(ERROR_TITLES.get(code, ERROR_TITLES[400]))
    return render_template("errors/error.html", title=title, code=code), code
