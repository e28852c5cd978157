"""The OpenAPI 3.1 description of the JSON API (docs/specification.md section 8)."""

from __future__ import annotations

from typing import Any

_NUMBER_OR_NULL = {"type": ["number", "null"]}
_BY_DIMENSION = {"type": "object", "additionalProperties": _NUMBER_OR_NULL,
                 "description": "Dimension id -> value; null where nothing was scored."}
_NAMES = {"type": "array", "items": {"type": "string"}}
_ERROR = {"$ref": "#/components/schemas/Error"}


def _error(description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ERROR}}}


_DEPARTMENT = {
    "type": "object",
    "required": ["name", "directorate", "respondents", "scores", "levels", "dont_know_rate",
                 "question_scores"],
    "properties": {
        "name": {"type": "string"},
        "directorate": {"type": ["string", "null"]},
        "respondents": {"type": "integer", "description": "Submitted responses."},
        "scores": _BY_DIMENSION,
        "levels": {"type": "object", "additionalProperties": {"type": ["integer", "null"],
                                                              "minimum": 1, "maximum": 5}},
        "dont_know_rate": _BY_DIMENSION,
        "question_scores": {"type": "object", "additionalProperties": _NUMBER_OR_NULL},
    },
}

_RESULTS = {
    "type": "object",
    "required": ["round", "scale", "dimensions", "organisation", "departments", "inconsistencies",
                 "outliers", "within_department", "responses"],
    "properties": {
        "round": {"type": "object", "required": ["id", "name", "status", "question_bank"], "properties": {
            "id": {"type": "integer"}, "name": {"type": "string"},
            "status": {"enum": ["draft", "open", "closed"]},
            "question_bank": {"type": "object", "properties": {"id": {"type": "string"},
                                                               "version": {"type": "string"}}},
        }},
        "scale": {"type": "array", "items": {"type": "object", "properties": {
            "level": {"type": "integer", "minimum": 1, "maximum": 5}, "name": {"type": "string"}}}},
        "dimensions": {"type": "array", "items": {"type": "object", "properties": {
            "id": {"type": "string"}, "name": {"type": "string"}}}},
        "organisation": {"type": "object", "properties": {
            "scores": _BY_DIMENSION, "median": _BY_DIMENSION, "min": _BY_DIMENSION,
            "max": _BY_DIMENSION,
            "targets": {"type": "object", "additionalProperties": {"type": "number"}},
            "departments_scored": {"type": "integer"},
        }},
        "departments": {"type": "array", "items": {"$ref": "#/components/schemas/Department"}},
        "inconsistencies": {"type": "array", "items": {"type": "object", "properties": {
            "kind": {"enum": ["dimension", "question"]}, "dimension": {"type": "string"},
            "question_id": {"type": ["string", "null"]}, "spread": {"type": "number"},
            "std_dev": {"type": "number"}, "lowest": _NAMES, "highest": _NAMES}}},
        "outliers": {"type": "array", "items": {"type": "object", "properties": {
            "department": {"type": "string"}, "dimension": {"type": "string"},
            "score": {"type": "number"}, "median": {"type": "number"},
            "direction": {"enum": ["behind", "ahead"]}}}},
        "within_department": {"type": "array", "items": {"type": "object", "properties": {
            "department": {"type": "string"}, "dimension": {"type": "string"},
            "spread": {"type": "number"}}}},
        "responses": {
            "type": "object",
            "description": "Respondents invited, and how many have not started (no answer saved), "
                           "are in progress (some answers saved) or have submitted.",
            "required": ["invited", "not_started", "in_progress", "submitted"],
            "properties": {key: {"type": "integer", "minimum": 0}
                           for key in ("invited", "not_started", "in_progress", "submitted")},
        },
    },
}


def openapi_document() -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Joined-Up results API",
            "version": "1",
            "description": "Results of a social media maturity round. Scores are unrounded; "
                           "`flask results ROUND_ID` prints the same document.",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerToken": []}, {"session": []}],
        "paths": {
            "/rounds/{round_id}/results": {"get": {
                "summary": "The results of a round",
                "operationId": "getRoundResults",
                "parameters": [{"name": "round_id", "in": "path", "required": True,
                                "schema": {"type": "integer"}}],
                "responses": {
                    "200": {"description": "The results document.", "content": {
                        "application/json": {"schema": {"$ref": "#/components/schemas/Results"}}}},
                    "401": _error("No valid API token and not signed in."),
                    "403": _error("The user's role cannot see results."),
                    "404": _error("There is no such round."),
                },
            }},
        },
        "components": {
            "securitySchemes": {
                "bearerToken": {"type": "http", "scheme": "bearer",
                                "description": "From `flask create-api-token EMAIL`."},
                "session": {"type": "apiKey", "in": "cookie", "name": "session",
                            "description": "The session of a signed-in lead or trainer."},
            },
            "schemas": {
                "Results": _RESULTS,
                "Department": _DEPARTMENT,
                "Error": {"type": "object", "required": ["error"],
                          "properties": {"error": {"type": "string"}}},
            },
        },
    }
