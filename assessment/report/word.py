"""The board report as an editable Word document (python-docx): A4 portrait, built-in
styles only (Title, Heading 1 to 3, List, List Bullet, Table Grid), so a
lead can paste it into the organisation's board-paper template and its styles take over.

Charts are PNG images drawn by :func:`assessment.charts.draw`; tables are real
Word tables with a repeated header row.  Heatmap cells carry the web's
colour-blind-safe shades and always the level name, so colour is never the only cue.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor
from docx.table import Table as WordTable
from docx.table import _Cell
from flask_babel import gettext as _
from flask_babel import ngettext

from .. import charts
from ..views.results.dashboard import HeatRow
from ..views.results.figures import FigureView, Table
from ..views.results.gaps import Gap
from ..views.results.peers import PeerSection
from ..views.results.plan import Step
from .content import BoardReport, Departments, HeatTable, PlanSection
from .notes import Note

#: The web heatmap's shades (assessment/static/src/_results.scss), level -> (fill, text).
HEAT_SHADES = {1: ("EEF5FB", "0B0C0C"), 2: ("C6DCEF", "0B0C0C"), 3: ("8CB8DE", "0B0C0C"),
               4: ("2F6FA8", "FFFFFF"), 5: ("0B3D66", "FFFFFF")}
#: Word's language tags for the app's languages.
LANGUAGE_TAGS = {"en": "en-GB", "cy": "cy-GB"}
CHART_WIDTH = Cm(16)
#: More table columns than this go on a landscape page.
PORTRAIT_COLUMNS = 8


def word_document(report: BoardReport, language: str) -> bytes:
    """The .docx file of ``report``, its text marked as ``language``."""
    document = Document()
    _set_up(document, report, language)
    heading = report.heading
    document.add_paragraph(report.title, style="Title")
    document.add_paragraph(f"{heading.organisation}: {heading.round_name}", style="Subtitle")
    document.add_paragraph(heading.date)
    document.add_paragraph(" ".join(heading.lines()))
    _figure(document, _("Organisation scores"), report.radar)
    _gaps(document, report.gaps, report.no_gaps)
    _departments(document, report.departments)
    _figure(document, _("Spread across departments"), report.dots)
    if report.history:
        _figure(document, _("Change since %(round)s", round=report.history.earlier.round.name),
                report.history.chart)
        if report.changes:
            _table(document, report.changes)
    _peers(document, report.peers)
    _plan(document, report.plan)
    for note in (report.guide, report.method):
        _note(document, note)
    output = io.BytesIO()
    document.save(output)
    return output.getvalue()


def _set_up(document: WordDocument, report: BoardReport, language: str) -> None:
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.8))  # 17.4 cm of text: a heatmap row fits
    footer = section.footer.paragraphs[0]
    footer.text = f"{report.heading.organisation}: {report.heading.round_name}"
    properties = document.core_properties
    properties.title = f"{report.title}: {report.heading.round_name}"
    properties.language = LANGUAGE_TAGS.get(language, language)
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Arial", Pt(11)
    language_mark = OxmlElement("w:lang")
    language_mark.set(qn("w:val"), LANGUAGE_TAGS.get(language, language))
    normal.element.get_or_add_rPr().append(language_mark)


def _figure(document: WordDocument, heading: str, figure: FigureView) -> None:
    document.add_heading(heading, level=1)
    document.add_picture(io.BytesIO(charts.draw(figure.chart, "png")), width=CHART_WIDTH)
    document.paragraphs[-1].paragraph_format.keep_with_next = True
    document.add_paragraph(figure.summary)
    _table(document, figure.table)


def _gaps(document: WordDocument, gaps: Sequence[Gap], no_gaps: str) -> None:
    document.add_heading(_("Where the organisation is not joined up"), level=1)
    if not gaps:
        document.add_paragraph(no_gaps)
    for number, gap in enumerate(gaps, start=1):  # numbers in the text: each list starts at 1
        document.add_paragraph(f"{number}. {gap.sentence}", style="List")
        if not gap.questions:  # as on the page: a dimension's levels come with its questions
            _descriptors(document, gap, with_questions=True)
        for question in gap.questions:
            document.add_paragraph(question.sentence, style="List Bullet 2")
            _descriptors(document, question, with_questions=False)


def _descriptors(document: WordDocument, gap: Gap, with_questions: bool) -> None:
    for item in gap.descriptors:
        if with_questions:
            document.add_paragraph(item.question, style="List Continue 2").runs[0].bold = True
        for who, text in item.levels:
            paragraph = document.add_paragraph(style="List Continue 2")
            paragraph.add_run(f"{who}: ").bold = True
            paragraph.add_run(text)


def _departments(document: WordDocument, found: Departments) -> None:
    document.add_heading(_("Departments"), level=1)
    if found.note:
        document.add_paragraph(found.note)
    if found.key:
        document.add_paragraph(_("Key to the column headings: %(key)s.", key="; ".join(
            f"{c.short} = {c.name}" for c in found.key)))
    for table in found.tables:
        _heat_table(document, table, found)


def _heat_table(document: WordDocument, table: HeatTable, found: Departments) -> None:
    head = [table.row_heading, *[_("Directorate")] * table.with_directorate,
            *(c.short for c in found.columns)]
    landscape = len(head) > PORTRAIT_COLUMNS
    if landscape:
        _orientation(document, WD_ORIENT.LANDSCAPE)
    document.add_paragraph(table.caption, style="Heading 3")
    word_table = _grid(document, head, len(table.rows))
    for number, row in enumerate(table.rows, start=1):
        _heat_row(word_table.rows[number].cells, row, table.with_directorate)
    _fit(word_table, [Cm(3.2), *[Cm(2.8)] * table.with_directorate],
         Cm(27.7 if landscape else 17.4), Pt(8))
    if landscape:
        _orientation(document, WD_ORIENT.PORTRAIT)


def _heat_row(cells: Sequence[_Cell], row: HeatRow, with_directorate: bool) -> None:
    cells[0].text = row.name
    if with_directorate:
        cells[1].text = row.directorate or ""
    for target, heat in zip(cells[1 + with_directorate:], row.cells, strict=True):
        target.text = heat.text  # the score, and under it the level, as on the page
        if heat.level_name:
            target.add_paragraph(heat.level_name)
        if heat.level in HEAT_SHADES:
            fill, colour = HEAT_SHADES[heat.level]
            _shade(target, fill, colour)


def _peers(document: WordDocument, peers: Sequence[PeerSection]) -> None:
    """Each benchmark group the round contributes to; nothing when it is in none."""
    if not peers:
        return
    _orientation(document, WD_ORIENT.LANDSCAPE)  # nine columns: the section is landscape
    document.add_heading(_("Compared with peers"), level=1)
    for group in peers:
        document.add_heading(group.name, level=2)
        document.add_paragraph(group.summary)
        for table in group.tables:
            _peer_table(document, table)
    _orientation(document, WD_ORIENT.PORTRAIT)


def _peer_table(document: WordDocument, table: Table) -> None:
    """A group's dimensions or questions (on a landscape page): the name, the position and
    the count below wide enough to read, the five figures sharing the rest."""
    document.add_paragraph(table.caption, style="Heading 3")
    word_table = _grid(document, list(table.head), len(table.rows))
    for number, row in enumerate(table.rows, start=1):
        for target, value in zip(word_table.rows[number].cells, row, strict=True):
            target.text = value
    _fit(word_table, [Cm(8), Cm(1.8), Cm(4), Cm(3.4)], Cm(27.7))


def _plan(document: WordDocument, plan: PlanSection) -> None:
    document.add_heading(_("Action plan"), level=1)
    _table(document, plan.targets)
    document.add_heading(_("Next steps for the organisation"), level=2)
    _steps(document, plan.organisation)
    document.add_heading(_("Departments that can learn from each other"), level=2)
    for pair in plan.pairs:
        document.add_paragraph(pair.sentence, style="List Bullet")
    if not plan.pairs:
        document.add_paragraph(_("No department is far enough ahead of another to pair them."))
    if plan.pairs_left_out:
        document.add_paragraph(pairs_left_out_text(plan.pairs_left_out))
    document.add_heading(_("Next steps for each department"), level=2)
    if plan.departments_note:
        document.add_paragraph(plan.departments_note)
    for department in plan.departments:
        document.add_heading(department.name, level=3)
        _steps(document, department.steps)


def pairs_left_out_text(number: int) -> str:
    return ngettext("%(num)s more pair is on the action plan page.",
                    "%(num)s more pairs are on the action plan page.", number)


def _steps(document: WordDocument, steps: Sequence[Step]) -> None:
    if not steps:
        document.add_paragraph(_("No next steps."))
    for number, step in enumerate(steps, start=1):
        paragraph = document.add_paragraph(f"{number}. ", style="List 2")
        paragraph.add_run(step.question).bold = True
        paragraph.add_run(f" ({step.dimension}): {step.score}. {step.next_level}: {step.descriptor}")


def _note(document: WordDocument, note: Note) -> None:
    document.add_heading(note.heading, level=1)
    for paragraph in note.paragraphs:
        document.add_paragraph(paragraph)


# --- tables ------------------------------------------------------------------------------


def _table(document: WordDocument, table: Table) -> None:
    document.add_paragraph(table.caption, style="Heading 3")
    word_table = _grid(document, list(table.head), len(table.rows))
    for number, row in enumerate(table.rows, start=1):
        for target, value in zip(word_table.rows[number].cells, row, strict=True):
            target.text = value
    _fit(word_table, [max(Cm(4), Cm(17.4) // len(table.head))], Cm(17.4))


def _grid(document: WordDocument, head: Sequence[str], rows: int) -> WordTable:
    """A table with a bold header row repeated on every page; rows never split."""
    word_table = document.add_table(rows=rows + 1, cols=len(head))
    word_table.style = "Table Grid"
    for target, heading in zip(word_table.rows[0].cells, head, strict=True):
        target.text = heading
        target.paragraphs[0].runs[0].bold = True
    for row in word_table.rows:  # schema order: cantSplit before tblHeader
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    word_table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    return word_table


def _fit(word_table: WordTable, leading: Sequence[int], width: int, size: int = Pt(9)) -> None:
    """Column widths: ``leading`` for the first columns, the rest shared; small text."""
    count = len(word_table.columns)
    rest = (width - sum(leading)) // max(1, count - len(leading))
    widths = [*leading, *[rest] * (count - len(leading))][:count]
    word_table.autofit = False
    for column, column_width in zip(word_table.columns, widths, strict=True):
        column.width = column_width  # the grid LibreOffice lays out by
    for number, row in enumerate(word_table.rows):
        for target, cell_width in zip(row.cells, widths, strict=True):
            target.width = cell_width
            for paragraph in target.paragraphs:
                for run in paragraph.runs:  # bold headings a point smaller, so they fit whole
                    run.font.size = size if number else size - Pt(1)


def _shade(target: _Cell, fill: str, colour: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:fill"), fill)
    target._tc.get_or_add_tcPr().append(shading)
    for paragraph in target.paragraphs:
        for run in paragraph.runs:
            run.font.color.rgb = RGBColor.from_string(colour)


def _orientation(document: WordDocument, orientation: WD_ORIENT) -> None:
    """A new section turned to ``orientation`` (A4 either way)."""
    section = document.add_section()
    section.orientation = orientation  # margins carry over from the section before
    short, long = Cm(21), Cm(29.7)
    landscape = orientation == WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = (long, short) if landscape else (short, long)
