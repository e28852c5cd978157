"""Rate limits shared by every worker process and every host.

Three limits, each a setting read by ``limits.parse`` ("10 per 15 minutes"):

- ``RATELIMIT_SIGN_IN_PER_ACCOUNT``: sign-in attempts for one email address;
- ``RATELIMIT_SIGN_IN_PER_ADDRESS``: sign-in attempts from one network address;
- ``RATELIMIT_INVITATION_PER_ADDRESS``: invitation links (``/r/<token>``)
  followed from one network address (tokens have 256 bits: this stops scanning,
  not guessing).

Counts are fixed windows kept in the database (table ``rate_limit_counter``,
one upsert per attempt), so every gunicorn worker and every host using the same
database share them.  Set ``RATELIMIT_STORAGE_URI`` (or ``REDIS_URL``) to a
``redis://`` URL to keep them in Redis instead (``RATELIMIT_KEY_PREFIX`` keeps
installations sharing one Redis apart).  Per-process memory is never
used: with N workers it would let N times as many attempts through.

Behind a reverse proxy, set ``PROXY_FIX_X_FOR`` (see assessment.security) or
every visitor shares the proxy's address.

For other blueprints: endpoints named in :data:`ENDPOINT_LIMITS` are limited by
a ``before_request`` hook, so the survey blueprint's ``survey.follow_link``
needs no code of its own; any other view can use ``@rate_limited("invitation")``.
Over a limit the visitor gets the plain 429 "Too many attempts" page and the
audit log a ``rate_limited`` event naming the limit (never a token or password).
"""

from __future__ import annotations

import functools
import hashlib
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import TooManyRequests

from . import audit
from .extensions import db
from .queries import ratelimit as counter_queries

#: Limit name -> the setting holding its "N per period" value.
LIMIT_SETTINGS = {
    "sign_in_account": "RATELIMIT_SIGN_IN_PER_ACCOUNT",
    "sign_in_address": "RATELIMIT_SIGN_IN_PER_ADDRESS",
    "invitation": "RATELIMIT_INVITATION_PER_ADDRESS",
}

#: Endpoint -> limit applied (per address) before the view runs.
ENDPOINT_LIMITS = {"survey.follow_link": "invitation"}

_EXTENSION = "joined_up_ratelimit"


class DatabaseStorage(Storage):
    """``limits`` storage on the app's own database (no scheme: built directly)."""

    @property
    def base_exceptions(self) -> type[Exception]:
        return SQLAlchemyError

    @staticmethod
    def _key(key: str) -> str:
        return hashlib.sha256(key.encode("utf-8")).hexdigest()

    def incr(self, key: str, expiry: int, amount: int = 1) -> int:
        return counter_queries.count_hit(self._key(key), amount, expiry, int(time.time()))

    def get(self, key: str) -> int:
        counter = counter_queries.current(db.session, self._key(key), int(time.time()))
        return counter.hits if counter else 0

    def get_expiry(self, key: str) -> float:
        counter = counter_queries.current(db.session, self._key(key), int(time.time()))
        return float(counter.expires_at) if counter else time.time()

    def check(self) -> bool:
        try:
            db.session.execute(text("SELECT 1"))
        except SQLAlchemyError:
            return False
        return True

    def reset(self) -> int | None:
        return counter_queries.clear_counters()

    def clear(self, key: str) -> None:
        counter_queries.clear_counters(self._key(key))


def _storage_for(app: Flask) -> Storage:
    uri = app.config.get("RATELIMIT_STORAGE_URI") or app.config.get("REDIS_URL")
    if uri:
        return storage_from_string(uri, wrap_exceptions=True)
    return DatabaseStorage(wrap_exceptions=True)


def _limiter() -> FixedWindowRateLimiter:
    return current_app.extensions[_EXTENSION]


def _limit(name: str) -> RateLimitItem:
    return parse(current_app.config[LIMIT_SETTINGS[name]])


def hit(name: str, who: str) -> None:
    """Count one attempt by ``who`` against limit ``name``; 429 when over it.

    Every attempt counts, and the count is atomic, so parallel attempts cannot
    slip past the limit together.
    """
    prefix = current_app.config["RATELIMIT_KEY_PREFIX"]
    if not _limiter().hit(_limit(name), prefix, name, who):
        audit.record("rate_limited", limit=name, endpoint=request.endpoint)
        raise TooManyRequests()


def client_address() -> str:
    return request.remote_addr or "unknown"


def check_sign_in(email: str) -> None:
    """Before checking a password: count the attempt per address and per account."""
    hit("sign_in_address", client_address())
    hit("sign_in_account", email.strip().lower())


def rate_limited(name: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Decorator: count every call of the view per address against limit ``name``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            hit(name, client_address())
            return view(*args, **kwargs)

        return wrapped

    return decorator


def _limit_named_endpoints() -> None:
    name = ENDPOINT_LIMITS.get(request.endpoint or "")
    if name is not None:
        hit(name, client_address())


def init_app(app: Flask) -> None:
    for setting in LIMIT_SETTINGS.values():
        parse(app.config[setting])  # a malformed limit stops the app at start
    app.extensions[_EXTENSION] = FixedWindowRateLimiter(_storage_for(app))
    app.before_request(_limit_named_endpoints)
