"""The workshop workbook (docs/specification.md section 9): analysed results -> an .xlsx file.

Sheets, in order: Summary, Heatmap, Gaps, Departments, Answers, Questions, and Peers
when the round contributes to a benchmark group (:data:`SHEETS` lists the six always there).
Every score comes from the round's typed results (never computed here; the
flags are explained by :func:`assessment.flags.explain_flags`) and is stored
unrounded, shown with one decimal place.  Every string from users is
written as text (see :mod:`assessment.cells`).  The whole workbook is
written in openpyxl's write-only mode, so big rounds stream to disk rather
than building every cell in memory.

Public names: :func:`write_workbook`, :class:`WorkbookContent`,
:class:`WorkbookOptions`, :class:`AnswerRecord`, :data:`SHEETS`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from .content import AnswerRecord, WorkbookContent, WorkbookOptions

__all__ = ["SHEETS", "AnswerRecord", "WorkbookContent", "WorkbookOptions", "write_workbook"]

SHEETS = ("Summary", "Heatmap", "Gaps", "Departments", "Answers", "Questions")


def write_workbook(content: WorkbookContent, out: BinaryIO | str,
                   options: WorkbookOptions | None = None,
                   progress: Callable[[int], None] | None = None) -> int:
    """Write the workbook to ``out`` (a path or binary file); the answer rows written.

    Call inside ``flask_babel.force_locale`` for headings in another language.
    ``progress`` is called with the answer rows written so far, every few
    thousand rows (see :func:`.answers.add_answers`).
    """
    from .writer import write  # openpyxl loads with the first workbook, not at start-up

    return write(content, out, options, progress)
