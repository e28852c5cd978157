"""How cells look: fonts, the header, the level colours, rules between rows.

openpyxl hashes a style object every time one is assigned to a cell (about
0.1 ms a cell), which made a 10,000-row sheet take seconds; :func:`restyle`
works each combination out once per workbook and copies its indexes after.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from copy import copy
from typing import Any
from weakref import WeakKeyDictionary

from openpyxl.cell.cell import Cell, WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook import Workbook

#: The workbook's own font (openpyxl's default): named in every styled font, since a
#: font without a name is shown in the spreadsheet's fallback, a serif in LibreOffice.
FONT_NAME = "Calibri"
HEADER_STYLE = {
    "font": Font(name=FONT_NAME, bold=True, color="FFFFFF"),
    "fill": PatternFill("solid", fgColor="005A70"),
    "alignment": Alignment(wrap_text=True, vertical="top"),
}
TITLE_STYLE = {"font": Font(name=FONT_NAME, bold=True, size=14)}
WRAPPED_STYLE = {"alignment": Alignment(wrap_text=True, vertical="top")}
#: A thin light rule under each row: gridlines are off, on paper and on presentation sheets.
ROW_RULE = Border(bottom=Side(style="thin", color="B1B4B6"))
#: The web heatmap's colours (assessment/static/src/_results.scss), as (fill, text) per
#: level: one hue from light to dark, readable with any colour vision; the level's name
#: is always written beside them, so colour is never the only cue.
LEVEL_COLOURS = {
    1: ("EEF5FB", "0B0C0C"),
    2: ("C6DCEF", "0B0C0C"),
    3: ("8CB8DE", "0B0C0C"),
    4: ("2F6FA8", "FFFFFF"),
    5: ("0B3D66", "FFFFFF"),
}

_KNOWN: WeakKeyDictionary[Workbook, dict[tuple[Any, ...], StyleArray]] = WeakKeyDictionary()


def restyle(cell: Cell, key: Hashable, apply: Callable[[Cell], None]) -> Cell:
    """``cell`` styled as ``apply`` styles it; ``key`` names what ``apply`` does.

    The result depends only on the cell's style before and on ``key``, so it
    is worked out once per workbook and copied to every later cell.
    """
    known = _KNOWN.setdefault(cell.parent.parent, {})
    before = (tuple(cell._style or ()), key)
    if before in known:
        cell._style = copy(known[before])
    else:
        apply(cell)
        known[before] = copy(cell._style)
    return cell


def _is_whole_number(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _wrap(cell: Cell) -> None:
    cell.alignment = WRAPPED_STYLE["alignment"]


def wrap(cell: Cell) -> Cell:
    """``cell`` with its text wrapped, from the top."""
    return restyle(cell, "wrap", _wrap)


def _centre(cell: Cell) -> None:
    cell.alignment = Alignment(horizontal="center")


def centred(sheet: Any, value: int | None) -> Any:
    """A count or a level, centred: clear of the text in the next column."""
    return restyle(WriteOnlyCell(sheet, value), "centred", _centre)


def coloured(sheet: Any, value: Any, level: int | None) -> Any:
    """A cell in the colours of ``level`` (as on the web heatmap); plain when unscored.
    A level number is centred, clear of the text beside it."""
    cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
    whole = _is_whole_number(cell.value)

    def apply(cell: Cell) -> None:
        if whole:
            cell.alignment = Alignment(horizontal="center", vertical="top")
        if level in LEVEL_COLOURS:
            fill, colour = LEVEL_COLOURS[level]
            cell.fill = PatternFill("solid", fgColor=fill)
            cell.font = Font(name=FONT_NAME, color=colour)

    return restyle(cell, ("level", level, whole), apply)


def ruled(sheet: Any, cells: Iterable[Any]) -> list[Any]:
    """The row's cells with a thin rule beneath each (empty ones too, so it runs on),
    aligned to the top so a row's cells read level with each other; counts and
    levels centred, clear of the text in the next column."""
    row = []
    for value in cells:
        # text_cell's plain strings are safe as they are.
        cell = value if isinstance(value, Cell) else WriteOnlyCell(sheet, value)
        row.append(restyle(cell, ("ruled", _is_whole_number(cell.value)), _rule))
    return row


def _rule(cell: Cell) -> None:
    cell.border = ROW_RULE
    if cell.alignment.vertical is None:
        whole = _is_whole_number(cell.value)
        cell.alignment = Alignment(horizontal="center" if whole else None, vertical="top")
