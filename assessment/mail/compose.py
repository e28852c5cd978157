"""A message's subject and plain-text body, in English, Welsh or both.

Each language is written under its own locale (``force_locale``), whatever the
language of the request or job that composes it, so a bilingual message always
holds both.  Bilingual messages put Welsh first unless ``MAIL_WELSH_FIRST`` is
False, with a line at the top pointing readers of the other language down.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale, format_date
from flask_babel import gettext as _

from ..queries.mail import RoundDetails

KINDS = ("invitation", "reminder")
LANGUAGES = ("en", "cy", "both")
SEPARATOR = "-" * 40


@dataclass(frozen=True)
class Composed:
    subject: str
    body: str


@dataclass(frozen=True)
class Addressee:
    """Who a message is for, as its text names them."""

    respondent: str
    department: str


def compose(kind: str, language: str, details: RoundDetails, addressee: Addressee, link: str,
            welsh_first: bool = True) -> Composed:
    """The message of ``kind`` in ``language`` (``en``, ``cy`` or ``both``)."""
    if kind not in KINDS or language not in LANGUAGES:
        raise ValueError(f"no {kind!r} message in {language!r}")
    if language != "both":
        return _in_locale(kind, language, details, addressee, link)
    order = ("cy", "en") if welsh_first else ("en", "cy")
    first, second = (_in_locale(kind, locale, details, addressee, link) for locale in order)
    with force_locale(order[1]):
        pointer = _("English below") if order[1] == "en" else _("Welsh below")
    body = f"{pointer}\n\n{first.body}\n\n{SEPARATOR}\n\n{second.body}"
    return Composed(f"{first.subject} / {second.subject}", body)


def _in_locale(kind: str, locale: str, details: RoundDetails, addressee: Addressee,
               link: str) -> Composed:
    with force_locale(locale):
        if kind == "invitation":
            subject = _("%(organisation)s: please take part in “%(round)s”",
                        organisation=details.organisation, round=details.round_name)
        else:
            subject = _("Reminder: please answer “%(round)s”", round=details.round_name)
        return Composed(subject, _body(kind, details, addressee, link))


def _body(kind: str, details: RoundDetails, addressee: Addressee, link: str) -> str:
    values = {"organisation": details.organisation, "round": details.round_name,
              "department": addressee.department}
    if kind == "invitation":
        opening = _("%(organisation)s invites you to answer the self-assessment “%(round)s” for "
                    "%(department)s.", **values)
        how = _("Use this link to start. It is yours alone: please do not forward this email.")
    else:
        opening = _("This is a reminder from %(organisation)s: you have not yet sent your answers "
                    "to the self-assessment “%(round)s” for %(department)s.", **values)
        how = _("Use the same link as before. Your saved answers are kept.")
    paragraphs = [_("Hello,"), opening]
    if details.purpose:
        paragraphs.append(_("Its purpose: %(purpose)s", purpose=details.purpose))
    if details.closing_date:
        paragraphs.append(_("Please answer by %(date)s.",
                            date=_long_date(details.closing_date)))
    paragraphs.append(f"{how}\n{link}")
    if details.contact:
        paragraphs.append(_("If you have a question, contact %(contact)s.",
                            contact=details.contact))
    return "\n\n".join(paragraphs)


def _long_date(value: date) -> str:
    """``2 December 2026`` / ``2 Rhagfyr 2026``, in the locale in force."""
    return format_date(value, format="d MMMM y")
