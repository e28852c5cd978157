"""Organisation set-up and user accounts."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.errors import AssessmentError
from ..extensions import db
from ..models import ROLES, Organisation, User
from ..queries import accounts as account_queries

MIN_PASSWORD_LENGTH = 12
# scrypt's cost grows with input; an upper bound stops a huge password being a DoS.
MAX_PASSWORD_LENGTH = 256
#: The hash checked when there is no usable account: scrypt with the users' cost, of a
#: random password nobody kept, so it matches nothing.
_DUMMY_SALT_AND_HASH = (
    "2e1wylaLDkgaIpYw$061109f73cb40fbfe79f4ae484916bd4a627369a8b83dd"
    "a36bb478c816c62df65ef384dc97f9d6e734ab1ede06f877401bcfa3f4ef0bc7aa8076308df99b93c7"
)
DUMMY_PASSWORD_HASH = "scrypt:32768:8:1$" + _DUMMY_SALT_AND_HASH


class AccountError(AssessmentError):
    """An account cannot be created or changed as asked; ``field`` names the input."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def normalise_email(email: str) -> str:
    try:
        return validate_email(email.strip(), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        raise AccountError(
            _("Enter an email address in the correct format, like name@example.org."),
            "email",
        ) from None


def check_password_rules(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must be %(count)d characters or more.", count=MIN_PASSWORD_LENGTH), "password"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise AccountError(
            _("The password must be %(count)d characters or fewer.", count=MAX_PASSWORD_LENGTH), "password"
        )


def hash_password(password: str) -> str:
    check_password_rules(password)
    return generate_password_hash(password, method="scrypt")


def password_matches(user: User, password: str) -> bool:
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    return check_password_hash(user.password_hash, password)


def ensure_organisation(name: str) -> Organisation:
    """The installation's organisation, created with ``name`` if there is none."""
    organisation = account_queries.get_organisation()
    if organisation is not None:
        return organisation
    name = name.strip()
    if not name:
        raise AccountError(_("Enter the name of your organisation."), "organisation")
    with db.transaction() as session:
        return account_queries.create_organisation(session, name[:200])


def create_user(email: str, password: str, role: str) -> User:
    if role not in ROLES:
        raise AccountError(
            _("The role must be one of %(roles)s, not %(role)s.", roles=", ".join(ROLES), role=role)
        )
    email = normalise_email(email)
    password_hash = hash_password(password)
    organisation = account_queries.get_organisation()
    if organisation is None:
        raise AccountError(_("Set up the organisation first (open the app or run 'flask setup')."))
    with db.transaction() as session:
        if account_queries.email_taken(session, email):
            raise AccountError(
                _("There is already a user with the email address %(email)s.", email=email), "email"
            )
        return account_queries.create_user(session, organisation.id, email, password_hash, role)


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, else None.

    Every attempt runs scrypt exactly once on at most MAX_PASSWORD_LENGTH
    characters, against the user's hash or a dummy one made with the same
    cost, so neither an unknown email nor a too-long password answers faster.
    """
    user = account_queries.get_user_by_email(email)
    usable = user is not None and user.active
    stored_hash = user.password_hash if usable and user is not None else DUMMY_PASSWORD_HASH
    matches = check_password_hash(stored_hash, password[:MAX_PASSWORD_LENGTH])
    if not usable or not matches or len(password) > MAX_PASSWORD_LENGTH:
        return None
    return user


def set_up_installation(organisation_name: str, email: str, password: str,
                        organisation_cy: str | None = None) -> User:
    """The organisation (its Welsh name optional) and its first admin, in one transaction.

    The set-up page and ``flask setup`` both call this.  An organisation made
    earlier without users (by ``flask demo``) takes the name given here.
    """
    organisation_name = " ".join(organisation_name.split())
    organisation_cy = " ".join((organisation_cy or "").split())[:200] or None
    if not organisation_name:
        raise AccountError(_("Enter the name of your organisation."), "organisation")
    if len(organisation_name) > 200:
        raise AccountError(_("The name must be 200 characters or fewer"), "organisation")
    email = normalise_email(email)
    password_hash = hash_password(password)
    with db.transaction() as session:
        if account_queries.count_users_in(session) > 0:
            raise AccountError(_("Joined-Up is already set up: sign in instead."), "email")
        organisation = account_queries.get_organisation_in(session)
        if organisation is None:
            organisation = account_queries.create_organisation(session, organisation_name, organisation_cy)
        elif organisation.name != organisation_name:
            account_queries.rename_organisation(session, organisation.id, organisation_name)
        return account_queries.create_user(session, organisation.id, email, password_hash, "admin")
