"""Sign-in for leads, trainers and admins (Flask-Login).

The id kept in the session cookie carries the user's ``session_version``:
logging out, changing the password or role, or deactivating bumps it, so every
older cookie stops working on its next request.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from flask import Flask, abort, session
from flask_babel import lazy_gettext as _l
from flask_login import LoginManager, UserMixin, current_user

from .models import User
from .queries import accounts as account_queries

login_manager = LoginManager()
login_manager.login_view = "main.sign_in"
login_manager.login_message = _l("Sign in to see this page.")
login_manager.login_message_category = "info"
login_manager.session_protection = "basic"

#: What each role may do; admins can do everything leads can.  The service administrator
#: (issue 15) runs the installation's organisations and may use none of their pages.
ROLE_POWERS = {
    "service": {"service"},
    "admin": {"admin", "lead", "results"},
    "lead": {"lead", "results"},
    # "switch": a trainer may be given access to other organisations and switch to them.
    "trainer": {"results", "switch"},
}


class SignedInUser(UserMixin):
    """The session's view of a :class:`~assessment.models.User`."""

    def __init__(self, user: User, organisation_id: int | None = None) -> None:
        self.user_id = user.id
        self.email = user.email
        self.role = user.role
        #: The organisation every page of this request is scoped to: the user's own, or for a
        #: trainer one they were given access to and switched to (:func:`load_user` checks it).
        self.organisation_id = organisation_id or user.organisation_id
        self.home_organisation_id = user.organisation_id
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
    return SignedInUser(user, _switched_organisation(user))


#: The session key holding the organisation a trainer switched to.
SWITCHED_ORGANISATION = "organisation_id"


def _switched_organisation(user: User) -> int | None:
    """The organisation a trainer switched to, checked again on every request: None (their
    own) unless the session names one they still have access to."""
    chosen = session.get(SWITCHED_ORGANISATION)
    if not isinstance(chosen, int) or user.role != "trainer" or chosen == user.organisation_id:
        return None
    if not account_queries.has_trainer_access(user.id, chosen):
        session.pop(SWITCHED_ORGANISATION, None)
        return None
    return chosen


def requires(power: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Allow a view only to signed-in users whose role has ``power``."""

    def decorator(view: Callable[..., Any]) -> Callable[..., Any]:
        @functools.wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if not current_user.can(power):
                # A service administrator is told nothing of any organisation's pages.
                abort(404 if current_user.role == "service" else 403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
