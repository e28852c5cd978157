"""Sign-in for leads, trainers and admins (Flask-Login).

The id kept in the session cookie carries the user's ``session_version``:
logging out, changing the password or role, or deactivating bumps it, so every
older cookie stops working on its next request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, abort
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user

from .models import User
from .queries import accounts as account_queries

login_manager = LoginManager()
login_manager.login_view = "main.sign_in"
login_manager.login_message = _l("Sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

#: What each role may do; admins can do everything leads can.
ROLE_POWERS = {
    "admin": {"admin", "lead", "results"},
    "lead": {"lead", "results"},
    "trainer": {"results"},
}


class SignedInUser(UserMixin):
    """The session's view of a :class:`~assessment.models.User`."""

    def __init__(self, user: User) -> None:
        self.user_id = user.id
        self.email = user.email
        self.role = user.role
        self.organisation_id = user.organisation_id
        self.session_version = user.session_version

    def get_id(self) -> str:
        return f"{self.user_id}:{self.session_version}"

    def can(self, power: str) -> bool:
        return power in ROLE_POWERS.get(self.role, set())


@login_manager.user_loader
def load_user(session_id: str) -> SignedInUser | None:
    user_id, _, version = session_id.partition(":")
    if not all(part.isascii() and part.isdigit() and len(part) < 10 for part in (user_id, version)):
        return None  # never a number the database cannot hold
    user = account_queries.get_user(int(user_id))
    if user is None or not user.active or user.session_version != int(version):
        return None
    return SignedInUser(user)


def requires(power: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow a view only to signed-in users whose role has ``power``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(power):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
