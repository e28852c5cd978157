"""Respondents with email addresses, added one by one or from a CSV file (issue 16).

Every row is checked before anything is written, and every bad row is named
with its number, so a lead fixes the file once and nothing is half-added.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from flask_babel import gettext as _

from ..core.text import clean_line
from . import invitations
from .mail import MailError, NewRecipient, clean_email, give_email_links

#: Rows one file may hold: a council's whole staff list fits.
MAX_ROWS = 5000
LANGUAGE_WORDS = {"": "en", "en": "en", "english": "en", "saesneg": "en", "cy": "cy", "welsh": "cy",
                  "cymraeg": "cy", "both": "both", "bilingual": "both", "dwyieithog": "both"}


@dataclass(frozen=True)
class RespondentRow:
    department: str
    name: str
    email: str
    language: str = "en"


class CsvRowsError(MailError):
    """The file has bad rows; ``problems`` says which and why."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(_("The file has %(count)s rows that need fixing.", count=len(problems)))
        self.problems = problems


def _cell(value: str) -> str:
    return " ".join(clean_line(value).split())


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MailError(_("The file must be a CSV file saved as UTF-8 (in Excel, choose "
                          "“CSV UTF-8”).")) from None


def parse_csv(data: bytes) -> list[RespondentRow]:
    """The file's rows, checked; raises CsvRowsError naming every bad row."""
    lines = list(csv.reader(io.StringIO(_decode(data))))
    if lines and [cell.strip().lower() for cell in lines[0][:3]] == ["department", "name", "email"]:
        lines = [[], *lines[1:]]  # keep the numbering of the file's rows
    rows, problems = [], []
    for number, cells in enumerate(lines, start=1):
        if not any(cell.strip() for cell in cells):
            continue
        try:
            rows.append(_row(cells))
        except MailError as error:
            problems.append(_("Row %(row)s: %(problem)s", row=number, problem=error))
    if problems:
        raise CsvRowsError(problems[:20])
    if not rows:
        raise MailError(_("The file has no respondents: each row needs a department, a name "
                          "and an email address."))
    if len(rows) > MAX_ROWS:
        raise MailError(_("The file has more than %(max)s rows: split it in two.", max=MAX_ROWS))
    return rows


def _row(cells: list[str]) -> RespondentRow:
    if len(cells) < 3 or len(cells) > 4:
        raise MailError(_("it needs 3 or 4 columns: department, name, email and, if you like, "
                          "language."))
    department, name = _cell(cells[0]), _cell(cells[1])
    if not department or not name:
        raise MailError(_("enter a department and a name."))
    if len(department) > 200 or len(name) > 200:
        raise MailError(_("the department and the name must be 200 characters or fewer."))
    language = LANGUAGE_WORDS.get(_cell(cells[3]).lower() if len(cells) == 4 else "")
    if language is None:
        raise MailError(_("the language must be en, cy or both."))
    return RespondentRow(department, name, clean_email(cells[2]), language)


def add_respondents(round_id: int, rows: list[RespondentRow],
                    directorate: str | None = None) -> list[int]:
    """Create (or find) each respondent and give them an address and a mailable link."""
    response_ids: list[int] = []
    by_department: dict[str, list[RespondentRow]] = {}
    for row in rows:
        by_department.setdefault(row.department, []).append(row)
    recipients = []
    for department, members in by_department.items():
        created = invitations.invite_many(round_id, department, [m.name for m in members],
                                          directorate)
        ids = {invitation.respondent: invitation.response_id for invitation in created}
        for member in members:
            recipients.append(NewRecipient(ids[member.name], member.email, member.language))
            response_ids.append(ids[member.name])
    give_email_links(round_id, recipients)
    return list(dict.fromkeys(response_ids))
