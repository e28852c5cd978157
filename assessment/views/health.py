"""``/healthz`` for load balancers and monitoring: is the database answering?"""

from __future__ import annotations

from flask import Blueprint, current_app, jsonify
from flask.typing import ResponseReturnValue
from sqlalchemy.exc import SQLAlchemyError

from ..queries import admin as admin_queries

bp = Blueprint("health", __name__)


@bp.route("/healthz")
def healthz() -> ResponseReturnValue:
    """200 ``{"status": "ok", "database": "ok"}``, or 503 when the database fails."""
    try:
        admin_queries.ping_database()
    except SQLAlchemyError as error:
        current_app.logger.warning("Health check failed: %s", error)
        return jsonify(status="unavailable", database="unavailable"), 503
    return jsonify(status="ok", database="ok")
