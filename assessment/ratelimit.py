"""Rate limits shared by every worker process and every host.

Sign-in counts failed attempts only (a successful sign-in never counts), in
three limits (OWASP Authentication Cheat Sheet: limit guessing without letting
anyone lock a user out):

- ``RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS``: failures for one account
  from one network address; past it that address gets 429 for that account
  (even with the right password) until the window ends;
- ``RATELIMIT_SIGN_IN_PER_ADDRESS``: failures from one address, any account;
- ``RATELIMIT_SIGN_IN_PER_ACCOUNT``: failures for one account from every
  address together, a higher ceiling against guessing spread over many
  addresses.  Past it the account is slowed, not locked: a browser in which
  the account has signed in before (a signed "device" cookie,
  :data:`DEVICE_COOKIE`) is not affected; any other browser gets a password
  check at most ``RATELIMIT_SIGN_IN_SLOWED`` ("1 per minute") and otherwise
  429 with ``Retry-After`` saying how long to wait.

``RATELIMIT_INVITATION_PER_ADDRESS`` limits invitation links (``/r/<token>``)
followed from one address (tokens have 256 bits: this stops scanning, not
guessing).  Every 429 carries ``Retry-After``.

Each limit is a setting read by ``limits.parse`` ("10 per 15 minutes").

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
import math
import time
from collections.abc import Callable
from typing import Any

from flask import Flask, current_app, request
from itsdangerous import BadData, URLSafeTimedSerializer
from limits import RateLimitItem, parse
from limits.storage import Storage, storage_from_string
from limits.strategies import FixedWindowRateLimiter
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import TooManyRequests
from werkzeug.wrappers import Response

from . import audit
from .extensions import db
from .queries import ratelimit as counter_queries

#: Limit name -> the setting holding its "N per period" value.
LIMIT_SETTINGS = {
    "sign_in_account_and_address": "RATELIMIT_SIGN_IN_PER_ACCOUNT_AND_ADDRESS",
    "sign_in_address": "RATELIMIT_SIGN_IN_PER_ADDRESS",
    "sign_in_account": "RATELIMIT_SIGN_IN_PER_ACCOUNT",
    "sign_in_slowed": "RATELIMIT_SIGN_IN_SLOWED",
    "invitation": "RATELIMIT_INVITATION_PER_ADDRESS",
}

#: The cookie naming the account last signed in with in this browser (signed; 90 days).
DEVICE_COOKIE = "sign_in_device"
DEVICE_COOKIE_DAYS = 90

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


def _refuse(name: str, *who: str) -> None:
    """Audit and answer 429, saying when the limit's window ends."""
    reset_at, _remaining = _limiter().get_window_stats(_limit(name), _prefix(), name, *who)
    audit.record("rate_limited", limit=name, endpoint=request.endpoint)
    raise TooManyRequests(retry_after=max(1, math.ceil(reset_at - time.time())))


def _prefix() -> str:
    return current_app.config["RATELIMIT_KEY_PREFIX"]


def hit(name: str, *who: str) -> None:
    """Count one attempt by ``who`` against limit ``name``; 429 when over it.

    The count is atomic, so parallel attempts cannot slip past the limit together.
    """
    if not _limiter().hit(_limit(name), _prefix(), name, *who):
        _refuse(name, *who)


def _over(name: str, *who: str) -> bool:
    return not _limiter().test(_limit(name), _prefix(), name, *who)


def client_address() -> str:
    return request.remote_addr or "unknown"


def _account(email: str) -> str:
    return email.strip().lower()


def check_sign_in(email: str) -> None:
    """Before checking a password: 429 if this attempt may not be made (nothing is counted)."""
    account, address = _account(email), client_address()
    for name, who in (("sign_in_address", (address,)),
                      ("sign_in_account_and_address", (account, address))):
        if _over(name, *who):
            _refuse(name, *who)
    if _over("sign_in_account", account) and not _known_device(account):
        hit("sign_in_slowed", account)  # one password check a while, shared by all browsers


def sign_in_failed(email: str) -> None:
    """Count a wrong email or password against every sign-in limit."""
    account, address = _account(email), client_address()
    for name, who in (("sign_in_address", (address,)),
                      ("sign_in_account_and_address", (account, address)),
                      ("sign_in_account", (account,))):
        _limiter().hit(_limit(name), _prefix(), name, *who)


def _device_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="sign-in-device")


def _account_digest(account: str) -> str:
    return hashlib.sha256(account.encode("utf-8")).hexdigest()[:32]


def _known_device(account: str) -> bool:
    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return False
    try:
        remembered = _device_serializer().loads(cookie, max_age=DEVICE_COOKIE_DAYS * 86400)
    except BadData:
        return False
    return remembered == _account_digest(account)


def remember_device(response: Response, email: str) -> Response:
    """After a successful sign-in: this browser is known to the account (no email in it)."""
    response.set_cookie(
        DEVICE_COOKIE, _device_serializer().dumps(_account_digest(_account(email))),
        max_age=DEVICE_COOKIE_DAYS * 86400, httponly=True, samesite="Lax",
        secure=bool(current_app.config.get("SESSION_COOKIE_SECURE")),
    )
    return response


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
