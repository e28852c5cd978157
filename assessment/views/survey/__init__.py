"""The questionnaire for department heads: an invitation link, then token-free pages.

``/r/<token>`` binds the browser's session to one response (the session keeps
its id and a check value that changes when the link is replaced) and
redirects to ``/respond/...``, so the token never stays in the address bar,
the history or a Referer header.

A page is assembled in a straight line: ``routes`` (what happens) ->
``pages`` (what is shown) -> ``forms``; ``respondent`` loads who is answering,
``rendering`` and ``navigation`` hold the page's words and links.  Saving and
submitting are ``services.survey``'s, shared with the API and the CLI.

The URL rules are all here, so the blueprint reads as a table of contents.
"""

from __future__ import annotations

from flask import Blueprint
from flask_wtf.csrf import CSRFError

from . import routes

bp = Blueprint("survey", __name__)
bp.before_request(routes.require_respondent)
bp.after_request(routes.private_pages)
bp.register_error_handler(CSRFError, routes.form_expired)

bp.add_url_rule("/r/<token>", view_func=routes.follow_link)
bp.add_url_rule("/respond/link-not-working", view_func=routes.link_not_working)
bp.add_url_rule("/respond/", view_func=routes.start)
bp.add_url_rule("/respond/tasks", view_func=routes.tasks)
bp.add_url_rule("/respond/questions/<question_id>", view_func=routes.question, methods=["GET", "POST"])
bp.add_url_rule("/respond/sections/<dimension_id>", view_func=routes.section, methods=["GET", "POST"])
bp.add_url_rule("/respond/challenges/<question_id>", view_func=routes.challenge,
                methods=["GET", "POST"])
bp.add_url_rule("/respond/check", view_func=routes.check)
bp.add_url_rule("/respond/submit", view_func=routes.submit, methods=["POST"])
bp.add_url_rule("/respond/confirmation", view_func=routes.confirmation)
