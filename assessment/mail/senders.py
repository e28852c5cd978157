"""Two real ways to send, chosen by ``MAIL_SENDER``: an SMTP relay or GOV.UK Notify.

A sender's :meth:`send` never raises for a failed message: it reports an
:class:`Outcome`, ``sent`` (with the provider's id), ``temporary`` (worth trying
again: a timeout, a lost connection, an SMTP 4xx reply, Notify's 429 or 5xx) or
``permanent`` (an SMTP 5xx reply, Notify's 400 or 403, a bad setting).  The
reason is redacted (:func:`redact`): it never holds the link or its token,
whatever a server echoes back.
"""

from __future__ import annotations

import os
import re
import smtplib
import ssl
from collections.abc import Mapping
from dataclasses import dataclass, field
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from typing import TYPE_CHECKING, Any, Literal, Protocol

if TYPE_CHECKING:
    from notifications_python_client.errors import APIError

SENDERS = ("smtp", "notify")
MAX_REASON_LENGTH = 500
REDACTED = "[link removed]"
# Any invitation path with a token, in case a server quotes the link in a changed form.
_LINK_PATTERN = re.compile(r"/r/[A-Za-z0-9_-]{16,}")


class MailNotConfigured(Exception):
    """Sending is off or a setting is missing; the message says which."""


@dataclass(frozen=True)
class Email:
    """One message to send: ``secrets`` are the link and token, kept out of any reason."""

    to: str
    subject: str
    body: str
    kind: str
    fields: Mapping[str, str] = field(default_factory=dict)
    secrets: tuple[str, ...] = ()


@dataclass(frozen=True)
class Outcome:
    status: Literal["sent", "temporary", "permanent"]
    reason: str | None = None
    provider_id: str | None = None


class Sender(Protocol):
    def send(self, email: Email) -> Outcome: ...

    def close(self) -> None: ...


def redact(text: str, secrets: tuple[str, ...] = ()) -> str:
    """``text`` without the link or token (nor any /r/<token> path), cut to a readable length."""
    for secret in sorted(filter(None, secrets), key=len, reverse=True):
        text = text.replace(secret, REDACTED)
    text = _LINK_PATTERN.sub("/r/" + REDACTED, text)
    return " ".join(text.split())[:MAX_REASON_LENGTH]


def _setting(config: Mapping[str, Any], name: str) -> Any:
    """A setting, or for the two secrets the environment variable of the same name."""
    value = config.get(name)
    if value in (None, "") and name in ("MAIL_SMTP_PASSWORD", "MAIL_NOTIFY_API_KEY"):
        value = os.environ.get(name)
    return value


def _required(config: Mapping[str, Any], name: str) -> Any:
    value = _setting(config, name)
    if value in (None, ""):
        raise MailNotConfigured(f"Set {name} to send email (see docs/mail.md).")
    return value


def sender_from_config(config: Mapping[str, Any]) -> Sender:
    """The sender ``MAIL_SENDER`` names; :class:`MailNotConfigured` if it cannot work."""
    kind = config.get("MAIL_SENDER")
    if kind == "smtp":
        return SmtpSender(config)
    if kind == "notify":
        return NotifySender(config)
    if kind in (None, ""):
        raise MailNotConfigured("Sending email is off: set MAIL_SENDER to smtp or notify "
                                "(see docs/mail.md).")
    raise MailNotConfigured(f"MAIL_SENDER must be one of {', '.join(SENDERS)}, not {kind!r}.")


def is_configured(config: Mapping[str, Any]) -> bool:
    try:
        sender_from_config(config)
    except MailNotConfigured:
        return False
    return True


# --- SMTP ---------------------------------------------------------------------------------------


class SmtpSender:
    """An SMTP relay: one connection kept open for a job's messages, opened again if lost."""

    def __init__(self, config: Mapping[str, Any]) -> None:
        self.host = _required(config, "MAIL_SMTP_HOST")
        self.port = int(config.get("MAIL_SMTP_PORT") or 587)
        self.security = config.get("MAIL_SMTP_SECURITY") or "starttls"
        if self.security not in ("starttls", "tls", "none"):
            raise MailNotConfigured("MAIL_SMTP_SECURITY must be starttls, tls or none.")
        self.user = _setting(config, "MAIL_SMTP_USER")
        self.password = _setting(config, "MAIL_SMTP_PASSWORD")
        self.timeout = float(config.get("MAIL_SMTP_TIMEOUT") or 30)
        self.ca_file = config.get("MAIL_SMTP_CA_FILE") or None
        self.from_address = _required(config, "MAIL_FROM")
        self.reply_to = config.get("MAIL_REPLY_TO")
        self._connection: smtplib.SMTP | None = None

    def message(self, email: Email) -> EmailMessage:
        """The MIME message: UTF-8 plain text, a Date and a Message-ID of the sender's domain."""
        message = EmailMessage()
        message["From"] = self.from_address
        message["To"] = email.to
        message["Subject"] = email.subject
        message["Date"] = formatdate(localtime=False, usegmt=True)
        domain = self.from_address.rpartition("@")[2].strip(" >") or None
        message["Message-ID"] = make_msgid(domain=domain)
        if self.reply_to:
            message["Reply-To"] = self.reply_to
        message.set_content(email.body, charset="utf-8")
        return message

    def send(self, email: Email) -> Outcome:
        message = self.message(email)
        try:
            connection = self._connect()
            connection.send_message(message)
        except Exception as error:  # every failure becomes an outcome, never a crash
            self.close()
            return _smtp_outcome(error, email.secrets)
        return Outcome("sent", provider_id=str(message["Message-ID"]))

    def _connect(self) -> smtplib.SMTP:
        if self._connection is not None:
            return self._connection
        context = ssl.create_default_context(cafile=self.ca_file)
        if self.security == "tls":
            connection: smtplib.SMTP = smtplib.SMTP_SSL(self.host, self.port, timeout=self.timeout,
                                                        context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, timeout=self.timeout)
        self._connection = connection
        if self.security == "starttls":
            connection.starttls(context=context)
        if self.user:
            connection.login(self.user, self.password or "")
        return connection

    def close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            connection.quit()
        except (smtplib.SMTPException, OSError):
            connection.close()


def _smtp_outcome(error: Exception, secrets: tuple[str, ...]) -> Outcome:
    """Classify an SMTP failure: 4xx and lost connections are temporary, 5xx permanent."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, text = next(iter(error.recipients.values()))
        return _by_code(code, text, secrets)
    if isinstance(error, smtplib.SMTPResponseException):
        return _by_code(error.smtp_code, error.smtp_error, secrets)
    if isinstance(error, smtplib.SMTPNotSupportedError | ssl.SSLCertVerificationError):
        return Outcome("permanent", redact(f"The mail server's security failed: {error}", secrets))
    # smtplib turns a reply's timeout into SMTPServerDisconnected; the timeout is its context.
    if isinstance(error, TimeoutError) or isinstance(error.__context__, TimeoutError):
        return Outcome("temporary", "The mail server did not answer in time.")
    if isinstance(error, smtplib.SMTPServerDisconnected | OSError):
        return Outcome("temporary", redact(f"Could not reach the mail server: {error}", secrets))
    return Outcome("permanent", redact(f"Could not send: {type(error).__name__}: {error}", secrets))


def _by_code(code: int, text: bytes | str, secrets: tuple[str, ...]) -> Outcome:
    said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
    status: Literal["temporary", "permanent"] = "temporary" if 400 <= code < 500 else "permanent"
    return Outcome(status, redact(f"The mail server answered {code}: {said}", secrets))


# --- GOV.UK Notify --------------------------------------------------------------------------------


class NotifySender:
    """GOV.UK Notify through its official client: one email template per kind of message.

    The template gets ``subject`` and ``body`` (the composed message) and each
    part on its own (``link``, ``organisation``...), so a template may use either.
    """

    def __init__(self, config: Mapping[str, Any]) -> None:
        api_key = _required(config, "MAIL_NOTIFY_API_KEY")
        self.templates = {"invitation": _required(config, "MAIL_NOTIFY_INVITATION_TEMPLATE_ID"),
                          "reminder": _required(config, "MAIL_NOTIFY_REMINDER_TEMPLATE_ID")}
        options: dict[str, Any] = {"timeout": float(config.get("MAIL_NOTIFY_TIMEOUT") or 30)}
        if config.get("MAIL_NOTIFY_BASE_URL"):
            options["base_url"] = config["MAIL_NOTIFY_BASE_URL"]
        if len(api_key) < 74:  # "name-<service id>-<secret>": two UUIDs at its end
            raise MailNotConfigured("MAIL_NOTIFY_API_KEY is not a Notify API key.")
        # Imported here: the client brings in requests, which only Notify users need.
        from notifications_python_client.notifications import NotificationsAPIClient

        self.client = NotificationsAPIClient(api_key, **options)

    def send(self, email: Email) -> Outcome:
        from notifications_python_client.errors import APIError

        personalisation = {"subject": email.subject, "body": email.body, **email.fields}
        try:
            answer = self.client.send_email_notification(
                email_address=email.to, template_id=self.templates[email.kind],
                personalisation=personalisation)
        except APIError as error:
            return _notify_outcome(error, email.secrets)
        except Exception as error:  # a reply that is not Notify's JSON, a client fault
            return Outcome("temporary", redact(f"Notify could not be used: {error}", email.secrets))
        return Outcome("sent", provider_id=str(answer.get("id")))

    def delivery_status(self, provider_id: str) -> str | None:
        """Notify's status of a sent message (``delivered``, ``permanent-failure``...), or None."""
        try:
            return str(self.client.get_notification_by_id(provider_id).get("status"))
        except Exception:
            return None

    def close(self) -> None:
        self.client.request_session.close()


def _notify_outcome(error: APIError, secrets: tuple[str, ...]) -> Outcome:
    """429 and 5xx (and no answer at all, which the client calls 503) are temporary."""
    code = error.status_code
    said = error.message
    if isinstance(said, list):
        said = "; ".join(str(item.get("message", item)) if isinstance(item, dict) else str(item)
                         for item in said)
    status: Literal["temporary", "permanent"] = (
        "temporary" if code == 429 or code >= 500 else "permanent")
    return Outcome(status, redact(f"Notify answered {code}: {said}", secrets))
