"""The JSON API (docs/specification.md section 8): results of a round, and its OpenAPI document.

Authentication: an API token sent as ``Authorization: Bearer ...`` (exempt
from CSRF, since no cookie is involved), or the signed-in session of a lead or
trainer.  Every error is JSON ``{"error": "..."}``.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request
from flask.typing import ResponseReturnValue
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..api_openapi import openapi_document
from ..auth import ROLE_POWERS
from ..extensions import csrf
from ..http_errors import retry_after
from ..queries import rounds as round_queries
from ..services import api_tokens, results

bp = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(bp)


class ApiError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


@bp.errorhandler(ApiError)
def api_error(error: ApiError) -> ResponseReturnValue:
    response = jsonify(error=error.message)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="Joined-Up"'
    if error.status == 405:
        response.headers["Allow"] = "GET, HEAD, OPTIONS"
    return response, error.status


@bp.errorhandler(HTTPException)
def http_error(error: HTTPException) -> ResponseReturnValue:
    return jsonify(error=error.description or error.name), error.code or 500, retry_after(error)


def _caller() -> tuple[int | None, str]:
    """(organisation id, role) of the token's user or the signed-in user; else 401/403."""
    header = request.headers.get("Authorization", "")
    if header:
        scheme, _space, token = header.partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "Send the API token as 'Authorization: Bearer <token>'.")
        caller = api_tokens.caller_for_token(token.strip())
        if caller is None:
            raise ApiError(401, "The API token is not valid: it may have been revoked.")
        return caller.organisation_id, caller.role
    if not current_user.is_authenticated:
        raise ApiError(401, "Sign in, or send an API token as 'Authorization: Bearer <token>'.")
    return current_user.organisation_id, current_user.role


# Other methods are routed here too, so that they get a JSON 405 (routing errors would
# otherwise reach the app's HTML error page) and so CSRF is never what refuses them.
ANY_METHOD = ["GET", "POST", "PUT", "PATCH", "DELETE"]


@bp.route("/rounds/<int:round_id>/results", methods=ANY_METHOD)
def round_results(round_id: int) -> ResponseReturnValue:
    if request.method != "GET":
        raise ApiError(405, "Only GET is allowed here.")
    organisation_id, role = _caller()
    if "results" not in ROLE_POWERS.get(role, set()) and role != "service":
        raise ApiError(403, "Your role cannot see results.")
    # A service administrator (no organisation) is told nothing: no round is theirs.
    assessment_round = round_queries.organisation_round(organisation_id, round_id)
    if assessment_round is None or "results" not in ROLE_POWERS.get(role, set()):
        raise ApiError(404, f"There is no round {round_id}.")
    return jsonify(results.round_document(results.analyse(assessment_round)))


@bp.route("/openapi.json")
def openapi() -> ResponseReturnValue:
    return jsonify(openapi_document())


@bp.route("/<path:_anything>", methods=ANY_METHOD)
def unknown(_anything: str) -> ResponseReturnValue:
    raise ApiError(404, "There is no such API address. See /api/v1/openapi.json.")
