"""The names a workbook shows: real ones, or anonymised ones.

Anonymised, departments are ``Department A``, ``B`` ... ``Z``, ``AA`` ... in
results order, the same on every sheet; respondents are ``Respondent 1``,
``2`` ... within their department, in the order they are first met;
directorates are left out (a directorate of one department would name it).
Real names are shown in the workbook's language: ``shown`` maps an English
department or directorate name to its Welsh name in a Welsh workbook
(:func:`assessment.core.names.display_names`); a name not in it stays as it is.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from flask_babel import gettext as _


def letters(index: int) -> str:
    """Spreadsheet-style letters: 0 -> A, 25 -> Z, 26 -> AA, 27 -> AB.

    >>> [letters(i) for i in (0, 25, 26, 27, 701, 702)]
    ['A', 'Z', 'AA', 'AB', 'ZZ', 'AAA']
    """
    name = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        name = chr(ord("A") + remainder) + name
    return name


class Names:
    """Department, respondent and directorate names as one workbook shows them."""

    def __init__(self, departments_in_results_order: Sequence[str], anonymise: bool,
                 shown: Mapping[str, str] | None = None) -> None:
        self.anonymise = anonymise
        self._shown = dict(shown or {})
        self._departments: dict[str, str] = {}
        self._respondents: dict[str, dict[str, str]] = {}
        for name in departments_in_results_order:
            self.department(name)

    def department(self, name: str) -> str:
        if not self.anonymise:
            return self._shown.get(name, name)
        if name not in self._departments:
            label = letters(len(self._departments))
            self._departments[name] = _("Department %(letter)s", letter=label)
        return self._departments[name]

    def departments(self, names: Iterable[str]) -> str:
        return ", ".join(self.department(name) for name in names)

    def respondent(self, department: str, respondent: str) -> str:
        if not self.anonymise:
            return respondent
        numbers = self._respondents.setdefault(department, {})
        if respondent not in numbers:
            numbers[respondent] = _("Respondent %(number)d", number=len(numbers) + 1)
        return numbers[respondent]

    def directorate(self, directorate: str | None) -> str | None:
        if self.anonymise or directorate is None:
            return None
        return self._shown.get(directorate, directorate)
