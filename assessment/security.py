"""Security settings checked at start, headers on every response, and the audit of refusals.

Production is ``JOINED_UP_ENV=production`` (ignored when ``TESTING``).  There
the app refuses to start without a ``SECRET_KEY`` of 32 characters or more that
looks random (not one repeated character or piece, not an example key: see
:func:`secret_key_weakness`; it never generates one), without a ``BASE_URL``
(invitation links would otherwise start with whatever Host header a request
carried), or with debug on; the
session cookie is ``__Host-session`` (``Secure``, host-only) and responses
carry HSTS.  Elsewhere a key is generated into ``instance/``.

Behind a reverse proxy set ``PROXY_FIX_X_FOR`` to the number of proxies, so
rate limits and the audit log see the visitor's address, not the proxy's.

Content-Security-Policy: scripts only from our origin or with the request's
nonce (templates get it as ``cspNonce``; govuk template.html uses it for its
one inline script), so no other inline script runs.  Inline ``<style>``
elements need ``nonce="{{ cspNonce }}"`` (matplotlib's one constant style
element in SVG charts is allowed by its hash); ``style`` attributes are allowed
because inline SVG charts use them.
"""

from __future__ import annotations

import base64
import hashlib
import os
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, current_app, g, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import SQLAlchemyError
from werkzeug.exceptions import Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix

from . import audit
from .http_errors import error_page

PRODUCTION_ENVIRONMENT = "production"
MIN_SECRET_KEY_LENGTH = 32

#: The one <style> element matplotlib writes into every SVG chart, allowed by its hash.
MATPLOTLIB_SVG_STYLE = "*{stroke-linejoin: round; stroke-linecap: butt}"


def _style_hash(style: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() + "'"


CSP = (
    "default-src 'self'; base-uri 'none'; object-src 'none'; frame-ancestors 'none'; "
    "form-action 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self'; "
    "style-src-elem 'self' 'nonce-{nonce}' " + _style_hash(MATPLOTLIB_SVG_STYLE) + "; "
    "style-src-attr 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'"
)
HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000; includeSubDomains"


HOST_COOKIE_PREFIX = "__Host-"
#: Words of example or placeholder keys (from documentation, tests, tutorials); five
#: letters or more, so a random key contains one by chance about once in a million.
EXAMPLE_KEY_WORDS = ("change", "example", "secret", "replace", "production", "password",
                     "default", "placeholder", "sample", "insecure", "development")
#: A random key of 32 characters or more has far more different characters than this.
MIN_DISTINCT_KEY_CHARACTERS = 10


def secret_key_weakness(key: str) -> str | None:
    """Why ``key`` is not fit for production, or None.

    Length alone lets through ``"k" * 40`` or a key copied from an example:
    refuse keys with few different characters, made of a repeated piece, or
    containing the words of example keys.
    """
    if len(key) < MIN_SECRET_KEY_LENGTH:
        return "it is missing or too short"
    if len(set(key)) < MIN_DISTINCT_KEY_CHARACTERS:
        return "it has too few different characters"
    if any(key == key[:size] * (len(key) // size) for size in range(1, len(key) // 2 + 1)
           if len(key) % size == 0):
        return "it is one piece repeated"
    lowered = key.lower()
    if any(word in lowered for word in EXAMPLE_KEY_WORDS):
        return "it looks like an example key"
    return None


class InsecureConfiguration(RuntimeError):
    """The app must not start in production with this configuration."""


def is_production(app: Flask) -> bool:
    return os.environ.get("JOINED_UP_ENV") == PRODUCTION_ENVIRONMENT and not app.testing


def check_production_config(app: Flask) -> None:
    """Refuse to start in production without a strong key or with debug on."""
    if not is_production(app):
        return
    weakness = secret_key_weakness(str(app.config.get("SECRET_KEY") or ""))
    if weakness:
        raise InsecureConfiguration(
            f"SECRET_KEY must be set to a random value of {MIN_SECRET_KEY_LENGTH} characters or more "
            f"in production ({weakness}; make one with: "
            "python -c 'import secrets; print(secrets.token_hex(32))')."
        )
    if app.debug:
        raise InsecureConfiguration("Debug mode must be off in production: unset FLASK_DEBUG.")
    _check_base_url(str(app.config.get("BASE_URL") or ""))
    # Browsers keep a __Host- cookie only if it is Secure, for "/" and for this
    # host alone, so a neighbouring subdomain cannot plant or overwrite it.
    app.config["SESSION_COOKIE_NAME"] = HOST_COOKIE_PREFIX + app.config.get("SESSION_COOKIE_NAME", "session")
    app.config["SESSION_COOKIE_PATH"] = "/"
    app.config["SESSION_COOKIE_DOMAIN"] = None
    app.config["SESSION_COOKIE_SECURE"] = True
    app.config["REMEMBER_COOKIE_SECURE"] = True
    app.config.setdefault("STRICT_TRANSPORT_SECURITY", HSTS)


def _check_base_url(base_url: str) -> None:
    """Invitation links must not take their address from a request's Host header in production."""
    parts = urlsplit(base_url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise InsecureConfiguration(
            "BASE_URL must be set in production to the address people open the app at, "
            "like https://joined-up.example.org: invitation links start with it."
        )


def csp_nonce() -> str:
    """This request's nonce, made on first use."""
    if "csp_nonce" not in g:
        g.csp_nonce = secrets.token_urlsafe(18)
    return g.csp_nonce


def add_security_headers(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP.format(nonce=csp_nonce())
    response.headers.update(HEADERS)
    if request.endpoint != "static":
        # Signed-in pages, respondents' answers and downloads must not be kept
        # by the browser or a shared cache.
        response.headers["Cache-Control"] = "no-store"
    if current_app.config.get("STRICT_TRANSPORT_SECURITY"):
        response.headers["Strict-Transport-Security"] = current_app.config["STRICT_TRANSPORT_SECURITY"]
    return response


def safe_path() -> str:
    """The request path for the audit log, without an invitation token in it."""
    if request.url_rule is not None and "token" in (request.view_args or {}):
        return request.url_rule.rule
    return request.path


def _record_refusal(event: str, **details: object) -> None:
    """Audit a refusal; if the database is down the refusal page is still shown."""
    try:
        audit.record(event, endpoint=request.endpoint, method=request.method, path=safe_path(), **details)
    except SQLAlchemyError:
        current_app.logger.warning("Could not record %s in the audit log", event, exc_info=True)


def init_app(app: Flask) -> None:
    check_production_config(app)
    proxies = int(app.config.get("PROXY_FIX_X_FOR") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)  # type: ignore[method-assign]
    app.after_request(add_security_headers)

    @app.context_processor
    def nonce_context() -> dict[str, str]:
        return {"cspNonce": csp_nonce()}

    @app.errorhandler(CSRFError)
    def csrf_failed(error: CSRFError):  # type: ignore[no-untyped-def]
        _record_refusal("csrf_failed", reason=error.description)
        return error_page(400)

    @app.errorhandler(Forbidden)
    def access_denied(_error: Forbidden):  # type: ignore[no-untyped-def]
        _record_refusal("access_denied")
        return error_page(403)
