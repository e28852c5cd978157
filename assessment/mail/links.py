"""Emailed links: the token derived from a random seed, so reminders reuse the link.

An invitation link is shown once and only its token's SHA-256 is stored
(services/invitations.py), yet a reminder days later must carry the same link.
So a link made for mailing has a token that is ``HMAC-SHA256(LINK_KEY, seed)``,
with ``seed`` 32 random bytes stored per respondent (``mail_recipient``).  The
send job recomputes the token at the moment it sends; the token is never stored,
queued or logged.  The database alone (a backup, a leaked dump) gives no link:
that needs ``LINK_KEY`` too, which lives in the settings.  docs/mail.md has the
reasoning and the alternatives weighed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets

from flask import current_app

from ..queries import mail as mail_queries
from ..services.invitations import hash_token, invitation_link

SEED_BYTES = 32
_DERIVATION_LABEL = b"joined-up emailed link key v1"


def new_link_seed() -> str:
    """A fresh seed (hex), from the OS's cryptographic generator."""
    return secrets.token_hex(SEED_BYTES)


def link_key() -> bytes:
    """``LINK_KEY``, or a key derived from ``SECRET_KEY`` (never SECRET_KEY itself)."""
    configured = current_app.config.get("LINK_KEY")
    if configured:
        return configured.encode("utf-8") if isinstance(configured, str) else bytes(configured)
    secret = str(current_app.config["SECRET_KEY"]).encode("utf-8")
    return hmac.new(secret, _DERIVATION_LABEL, hashlib.sha256).digest()


def token_from_seed(seed: str, key: bytes | None = None) -> str:
    """The link's token: 43 URL-safe characters, the same shape as a random token."""
    digest = hmac.new(key if key is not None else link_key(), bytes.fromhex(seed),
                      hashlib.sha256).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def link_for_reminder(response_id: int) -> str | None:
    """The respondent's current link, recomputed, or None if it cannot be sent.

    None when the respondent has no email address, their link was revoked, or
    their link was replaced by other means (a download, the CLI) or the key
    changed, so the recomputed token no longer matches the stored hash:
    sending a dead link would only confuse them.
    """
    found = mail_queries.target(response_id)
    if found is None:
        return None
    return live_link(found.link_seed, found.token_hash, found.link_revoked)


def live_link(seed: str, token_hash: str | None, revoked: bool) -> str | None:
    """The link made from ``seed`` if it is the respondent's working link."""
    if revoked or token_hash is None:
        return None
    token = token_from_seed(seed)
    if not hmac.compare_digest(hash_token(token), token_hash):
        return None
    return invitation_link(token)
