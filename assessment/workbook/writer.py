"""Writing the workshop workbook with openpyxl: the sheets in order (see the package).

Imported by :func:`assessment.workbook.write_workbook` when the first workbook is written,
so a process that never writes one never loads openpyxl (issue #14, start-up).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import BinaryIO

from flask_babel import gettext as _
from openpyxl import Workbook

from ..cells import clean_text
from .answers import add_answers
from .content import WorkbookContent, WorkbookOptions
from .gaps import add_gaps
from .layout import add_footer
from .naming import Names
from .peers import add_peers
from .summary import add_summary
from .tables import add_departments, add_heatmap, add_questions


def write(content: WorkbookContent, out: BinaryIO | str, options: WorkbookOptions | None = None,
          progress: Callable[[int], None] | None = None) -> int:
    """See :func:`assessment.workbook.write_workbook`."""
    options = options or WorkbookOptions()
    workbook = Workbook(write_only=True)
    title = _("%(round)s: workshop workbook", round=content.round_name)
    workbook.properties.title = clean_text(title)
    workbook.properties.creator = clean_text(content.author)
    workbook.properties.subject = "Joined-Up"
    names = Names([d.name for d in content.results.departments], options.anonymise,
                  content.shown_names)
    add_summary(workbook, content)
    add_heatmap(workbook, content, names)
    add_gaps(workbook, content, names)
    add_departments(workbook, content, names)
    count = add_answers(workbook, content, names, options, progress)
    add_questions(workbook, content)
    add_peers(workbook, content)
    for sheet in workbook.worksheets:
        add_footer(sheet, content.round_name)
    workbook.save(out)
    return count
