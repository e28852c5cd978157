"""Organisation set-up and user accounts."""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email
from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash

from ..core.errors import AssessmentError
from ..extensions import db
from ..models import MEMBER_ROLES, Organisation, User
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


def _clean_organisation_name(name: str) -> str:
    name = " ".join(name.split())
    if not name:
        raise AccountError(_("Enter the name of your organisation."), "organisation")
    if len(name) > 200:
        raise AccountError(_("The name must be 200 characters or fewer"), "organisation")
    return name


def find_organisation(name: str | None) -> Organisation:
    """The organisation called ``name``; without a name, the installation's only one.

    A single-organisation installation needs no name, as before issue 15;
    one holding several must be told which.
    """
    if name is not None:
        found = account_queries.organisation_named(db.session, " ".join(name.split()))
        if found is None:
            raise AccountError(_("There is no organisation called %(name)s.", name=name), "organisation")
        return found
    ids = account_queries.organisation_ids(db.session, limit=2)
    if not ids:
        raise AccountError(_("Set up the organisation first (open the app or run 'flask setup')."))
    if len(ids) > 1:
        raise AccountError(_("This installation holds several organisations: "
                             "say which one with --organisation NAME."), "organisation")
    organisation = account_queries.get_organisation(ids[0])
    assert organisation is not None
    return organisation


def ensure_organisation(name: str) -> Organisation:
    """The organisation called ``name``, or the installation's only one, or a new one
    called ``name`` when there is none yet."""
    found = account_queries.organisation_named(db.session, " ".join(name.split()))
    if found is not None:
        return found
    if account_queries.organisation_ids(db.session, limit=1):
        return find_organisation(None)
    name = _clean_organisation_name(name)
    with db.transaction() as session:
        return account_queries.create_organisation(session, name)


def _new_account(organisation_id: int | None, email: str, password: str, role: str) -> User:
    email = normalise_email(email)
    password_hash = hash_password(password)
    with db.transaction() as session:
        if account_queries.email_taken(session, email):
            raise AccountError(
                _("There is already a user with the email address %(email)s.", email=email), "email"
            )
        return account_queries.create_user(session, organisation_id, email, password_hash, role)


def create_user(email: str, password: str, role: str, organisation_id: int | None = None) -> User:
    """A member of organisation ``organisation_id`` (default: the installation's only one)."""
    if role not in MEMBER_ROLES:
        raise AccountError(
            _("The role must be one of %(roles)s, not %(role)s.", roles=", ".join(MEMBER_ROLES), role=role)
        )
    if organisation_id is None:
        organisation_id = find_organisation(None).id
    return _new_account(organisation_id, email, password, role)


def create_service_admin(email: str, password: str) -> User:
    """A service administrator: above every organisation's admin, a member of none."""
    return _new_account(None, email, password, "service")


def create_organisation(name: str, admin_email: str, password: str) -> tuple[Organisation, User]:
    """A new organisation and its first admin, in one transaction; a taken name is refused."""
    name = _clean_organisation_name(name)
    email = normalise_email(admin_email)
    password_hash = hash_password(password)
    with db.transaction() as session:
        if account_queries.organisation_named(session, name) is not None:
            raise AccountError(
                _("There is already an organisation called %(name)s.", name=name), "organisation")
        if account_queries.email_taken(session, email):
            raise AccountError(
                _("There is already a user with the email address %(email)s.", email=email), "email"
            )
        organisation = account_queries.create_organisation(session, name)
        admin = account_queries.create_user(session, organisation.id, email, password_hash, "admin")
        return organisation, admin


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
    organisation_name = _clean_organisation_name(organisation_name)
    organisation_cy = " ".join((organisation_cy or "").split())[:200] or None
    email = normalise_email(email)
    password_hash = hash_password(password)
    with db.transaction() as session:
        ids = account_queries.organisation_ids(session, limit=2)
        if account_queries.count_members_in(session) > 0 or len(ids) > 1:
            raise AccountError(_("Joined-Up is already set up: sign in instead."), "email")
        organisation = account_queries.organisation_in(session, ids[0]) if ids else None
        if organisation is None:
            organisation = account_queries.create_organisation(session, organisation_name, organisation_cy)
        elif organisation.name != organisation_name:
            account_queries.rename_organisation(session, organisation.id, organisation_name)
        return account_queries.create_user(session, organisation.id, email, password_hash, "admin")
