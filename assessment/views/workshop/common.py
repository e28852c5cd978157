"""What every workshop page shares: the round, the language, private downloads."""

from __future__ import annotations

import io

from flask import send_file
from flask_babel import get_locale
from werkzeug.wrappers import Response

from ...queries.rounds import RoundInfo
from ..lookups import round_or_404


def own_round(round_id: int) -> RoundInfo:
    """The signed-in user's round; 404 for an unknown or another organisation's round."""
    return round_or_404(round_id)


def language() -> str:
    return str(get_locale() or "en")


def download(data: bytes, name: str, mimetype: str) -> Response:
    """A private attachment: never cached by the browser or anything between.

    ``send_file`` writes ``Content-Disposition`` with an ASCII ``filename`` and,
    for other letters, an RFC 6266 ``filename*``.
    """
    response = send_file(io.BytesIO(data), mimetype=mimetype, as_attachment=True, download_name=name,
                         max_age=0, etag=False, last_modified=None)
    response.headers["Cache-Control"] = "no-store"
    return response
