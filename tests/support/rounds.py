"""Rounds: :class:`RoundFactory` makes every round a test needs (the ``round_factory``
fixture is one on the test's app); :func:`results_of` reads a round's results document."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from flask import Flask

from assessment.services import accounts, demo, importer, invitations, results, round_settings, rounds

from .people import ORGANISATION

#: The columns of the import files the factory and the tests write.
IMPORT_HEADER = [*importer.REQUIRED_COLUMNS, "evidence", "directorate"]
#: The contact of a round made by :meth:`RoundFactory.survey` unless told otherwise.
CONTACT = "Sam Jones, sam.jones@example.org"


@dataclass(frozen=True)
class MadeRound:
    """A round built by :class:`RoundFactory`: its id and, for each department invited
    without answers, the invitation link (a path, ``/r/<token>``) and the response's id."""

    id: int
    links: dict[str, str] = field(default_factory=dict)
    responses: dict[str, int] = field(default_factory=dict)


@dataclass
class RoundFactory:
    """Builds rounds of the organisation "Test Council" (made if there is none).

    ``departments`` maps a department to the level every respondent of it gives
    to every question of the round's bank: one respondent for a string
    (``{"Parks": "2"}``), one per item for a list (``{"Housing": ["1", "4"]}``).
    ``rows`` are more answers, as rows of an import file (header first).
    Answers go in through the importer, as submitted responses.
    ``directorates`` gives departments a directorate.  Each of ``invited`` gets an
    invitation link and no answers: a list names departments (the respondent is
    "<department> head"), a mapping gives each department's respondent.
    A round ends in ``status``; ``name_cy`` is its Welsh name.

    :meth:`survey` makes a round as the "New round" page does, with its survey
    settings; :meth:`demo` loads the demonstration rounds.
    """

    app: Flask

    def __call__(self, name: str = "Test round", *, status: str = "open", name_cy: str | None = None,
                 departments: Mapping[str, str | Sequence[str]] | None = None,
                 directorates: Mapping[str, str] | None = None,
                 rows: Sequence[Sequence[str]] | None = None,
                 invited: Sequence[str] | Mapping[str, str] = (),
                 organisation: str = ORGANISATION) -> MadeRound:
        filled = bool(departments or rows or invited)  # answers and invitations need an open round
        respondents = (dict(invited) if isinstance(invited, Mapping)
                       else {department: f"{department} head" for department in invited})
        with self.app.app_context():
            accounts.ensure_organisation(organisation)
            round_id = rounds.create_round(name, "open" if filled else status, name_cy).id
            if departments:
                self._import(round_id, _rows(round_id, departments, directorates or {}))
            if rows:
                self._import(round_id, [list(row) for row in rows])
            made = {department: invitations.invite(round_id, department, respondent)
                    for department, respondent in respondents.items()}
            if filled and status != "open":
                rounds.set_status(round_id, status)
        base = self.app.config["BASE_URL"]
        return MadeRound(round_id,
                         {name: invited.link.removeprefix(base) for name, invited in made.items()},
                         {name: invited.response_id for name, invited in made.items()})

    def survey(self, name: str = "Test round", *, status: str = "open", contact: str | None = CONTACT,
               ask_evidence: bool = True, show_department_radar: bool = True) -> MadeRound:
        """A round made as the "New round" page makes it (a draft with these survey
        settings, audited), then given ``status``."""
        with self.app.app_context():
            accounts.ensure_organisation(ORGANISATION)
            created = round_settings.create_round(name, round_settings.SurveySettings(
                ask_evidence, show_department_radar, contact))
            if status != "draft":
                rounds.set_status(created.id, status)
        return MadeRound(created.id)

    def demo(self, organisation: str = demo.ORGANISATION_NAME) -> demo.DemoRound:
        """The demonstration rounds (2025 and 2026, closed, 12 departments), of the
        demonstration council unless there is an organisation already."""
        with self.app.app_context():
            accounts.ensure_organisation(organisation)
            return demo.load_demo(self.app.extensions["question_bank"])

    @staticmethod
    def _import(round_id: int, rows: list[list[str]]) -> None:
        assessment_round = rounds.require_round(round_id)
        bank = results.round_bank(assessment_round)
        importer.apply_import(assessment_round, importer.plan_import(assessment_round, bank, rows))


def _rows(round_id: int, departments: Mapping[str, str | Sequence[str]],
          directorates: Mapping[str, str]) -> list[list[str]]:
    bank = results.round_bank(rounds.require_round(round_id))
    rows: list[list[str]] = [list(IMPORT_HEADER)]
    for department, levels in departments.items():
        for number, level in enumerate([levels] if isinstance(levels, str) else levels, 1):
            rows += [[department, f"Respondent {number}", question.id, level, "", "",
                      directorates.get(department, "")] for question in bank.questions]
    return rows


def results_of(app: Flask, round_id: int) -> dict:
    """The round's results document (docs/specification.md section 8)."""
    with app.app_context():
        return results.results_document(results.analyse(rounds.require_round(round_id)))
