"""Analysed round results kept between requests, shared by every worker and host.

A round's results are stored once per *version*: its ``data_version`` (bumped
in the same transaction as every answer write) and :func:`inputs_digest` (its
creation time, targets, thresholds and the serialisation format).  A stored
version that no longer matches the round is ignored and replaced by the next
view that computes, so a new answer costs one computation, not one per view.

Where: the ``round_results`` table (:mod:`assessment.queries.results_store`),
or Redis when ``REDIS_URL`` is set.  One row or key per round, so looking at
one round never pushes out another's.  Each holds the whole results
(:func:`~assessment.core.serialise.results_to_dict`) and, apart, the small
summary the trend reads (:func:`~assessment.core.serialise.summary_to_dict`),
both zlib-compressed JSON.

Storing is an optimisation: a payload that cannot be read, a Redis that is
down or a write that fails (the round deleted meanwhile, a lock timeout) is
logged and the results are computed, never an error page.
"""

from __future__ import annotations

import hashlib
import json
import logging
import zlib
from collections.abc import Callable
from typing import Any, Protocol

from flask import current_app
from sqlalchemy.exc import SQLAlchemyError

from ..core.analysis import RoundResults
from ..core.serialise import (
    FORMAT,
    results_from_dict,
    results_to_dict,
    summary_from_dict,
    summary_to_dict,
)
from ..extensions import db
from ..models import Round
from ..queries import results_store as store_queries

log = logging.getLogger(__name__)

_EXTENSION = "joined_up_results_store"
#: A Redis key goes a month after it was written; a round viewed after that is computed again.
REDIS_EXPIRY_SECONDS = 31 * 24 * 3600


def inputs_digest(assessment_round: Round) -> str:
    """What the results depend on besides the answers (see the module docstring); the
    organisation too, so stored results always say whose they are (issue 15)."""
    inputs = [FORMAT, assessment_round.organisation_id, str(assessment_round.created_at),
              assessment_round.targets or {},
              assessment_round.thresholds or {}]
    return hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()


class Store(Protocol):
    def load(self, assessment_round: Round, digest: str, summary: bool) -> bytes | None: ...

    def save(self, assessment_round: Round, digest: str, payload: bytes, summary: bytes) -> None: ...

    def clear(self) -> None: ...


class DatabaseStore:
    """The ``round_results`` table of the app's database."""

    def load(self, assessment_round: Round, digest: str, summary: bool) -> bytes | None:
        found = store_queries.stored_results(assessment_round.id, summary)
        if found is None or (found.data_version, found.inputs_digest) != (
                assessment_round.data_version, digest):
            return None
        return found.data

    def save(self, assessment_round: Round, digest: str, payload: bytes, summary: bytes) -> None:
        try:
            store_queries.save_results(assessment_round.id, assessment_round.data_version,
                                       assessment_round.bank_version, digest, payload, summary)
        except SQLAlchemyError as error:
            log.warning("round %s: results not stored: %s", assessment_round.id, error)

    def clear(self) -> None:
        store_queries.forget_results()


class RedisStore:
    """One Redis hash per round, named after the database and the round's identity."""

    def __init__(self, url: str, prefix: str) -> None:
        import redis  # only installations that set REDIS_URL pay for the import

        self.client = redis.Redis.from_url(url)
        self.prefix = prefix
        self.errors: tuple[type[Exception], ...] = (redis.RedisError,)

    def key(self, assessment_round: Round) -> str:
        # Installations sharing one Redis, and a round id used again after a
        # restore, get different keys; the key carries the organisation (issue 15).
        identity = json.dumps([db.engine.url.render_as_string(hide_password=True),
                               assessment_round.organisation_id, assessment_round.id,
                               str(assessment_round.created_at)])
        return f"{self.prefix}:round-results:{hashlib.sha256(identity.encode()).hexdigest()}"

    def load(self, assessment_round: Round, digest: str, summary: bool) -> bytes | None:
        field = "summary" if summary else "payload"
        try:
            version, found_digest, data = self.client.hmget(
                self.key(assessment_round), ["data_version", "inputs_digest", field])
        except self.errors as error:
            log.warning("round %s: stored results not read: %s", assessment_round.id, error)
            return None
        if data is None or version is None or found_digest is None:
            return None
        if (int(version), found_digest.decode()) != (assessment_round.data_version, digest):
            return None
        return bytes(data)

    def save(self, assessment_round: Round, digest: str, payload: bytes, summary: bytes) -> None:
        key = self.key(assessment_round)
        try:
            with self.client.pipeline(transaction=True) as pipe:
                pipe.hset(key, mapping={"data_version": assessment_round.data_version,
                                        "inputs_digest": digest, "payload": payload,
                                        "summary": summary})
                pipe.expire(key, REDIS_EXPIRY_SECONDS)
                pipe.execute()
        except self.errors as error:
            log.warning("round %s: results not stored: %s", assessment_round.id, error)

    def clear(self) -> None:
        keys = list(self.client.scan_iter(match=f"{self.prefix}:round-results:*"))
        if keys:
            self.client.delete(*keys)


def store() -> Store:
    """The current app's store: Redis when ``REDIS_URL`` is set, else the database."""
    app = current_app
    found = app.extensions.get(_EXTENSION)
    if found is None:
        url = app.config.get("REDIS_URL")
        prefix = app.config.get("RATELIMIT_KEY_PREFIX") or "joined-up"
        found = app.extensions.setdefault(
            _EXTENSION, RedisStore(url, prefix) if url else DatabaseStore())
    return found


def _encode(data: dict[str, Any]) -> bytes:
    return zlib.compress(json.dumps(data, separators=(",", ":")).encode(), 1)


def _decode(data: bytes, read: Callable[[dict[str, Any]], RoundResults]) -> RoundResults | None:
    try:
        return read(json.loads(zlib.decompress(data)))
    except (zlib.error, ValueError, TypeError, KeyError, IndexError) as error:
        # SerialiseError is a ValueError: another format, or a damaged payload
        log.warning("stored results not read (%s): computing them again", error)
        return None


def load(assessment_round: Round, summary: bool = False) -> RoundResults | None:
    """The round's stored results at its current version, else None.

    ``summary``: only what the trend reads (:func:`~assessment.core.serialise.summary_from_dict`).
    """
    if assessment_round.id is None:
        return None
    data = store().load(assessment_round, inputs_digest(assessment_round), summary)
    if data is None:
        return None
    return _decode(data, summary_from_dict if summary else results_from_dict)


def save(assessment_round: Round, results: RoundResults) -> None:
    """Store ``results`` as the round's at its current version (last writer wins)."""
    if assessment_round.id is None:
        return
    store().save(assessment_round, inputs_digest(assessment_round),
                 _encode(results_to_dict(results)), _encode(summary_to_dict(results)))


def clear() -> None:
    """Forget every round's stored results (benchmarks measuring a computation)."""
    store().clear()


__all__ = ["DatabaseStore", "RedisStore", "clear", "inputs_digest", "load", "save", "store"]
