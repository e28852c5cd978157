"""One rule for text from every entry point: forms, imports, the API, the CLI, restore.

Control characters are removed, never stored: PostgreSQL refuses NUL in text
columns, and the others (bell, escape, ...) only garble names on screen and in
workbooks. Long text keeps tab and newline; a one-line value keeps neither.

>>> clean_line("Adult\\x00 Social\\tCare\\x1b ")
'Adult Social Care'
>>> clean_text("First line\\r\\nSecond\\x07 line\\n")
'First line\\nSecond line'
"""

from __future__ import annotations

import re
from typing import Final

__all__ = ["clean_line", "clean_text", "has_control_characters"]

#: C0 controls, DEL and C1 controls.
_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f]")
#: The same, less tab and newline (kept in long text).
_CONTROL_IN_LONG_TEXT: Final = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
#: Runs of spaces and tabs that a one-line value folds into one space.
_LINE_SPACE: Final = re.compile(r"[ \t\r\n]+")


def clean_line(value: str) -> str:
    """A one-line value (a name, an email, a title) without control characters.

    Tabs and line breaks become single spaces; other control characters are
    removed; surrounding space is trimmed.
    """
    return _CONTROL.sub("", _LINE_SPACE.sub(" ", value)).strip()


def clean_text(value: str) -> str:
    """Long text (a comment, a note) with line endings unified to ``\\n``.

    Tab and newline are kept; every other control character is removed;
    surrounding space is trimmed.
    """
    unified = value.replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL_IN_LONG_TEXT.sub("", unified).strip()


def has_control_characters(value: str, long_text: bool = False) -> bool:
    """True when :func:`clean_line` (or :func:`clean_text`) would remove a character.

    >>> has_control_characters("a\\x00b"), has_control_characters("a\\nb", long_text=True)
    (True, False)
    """
    pattern = _CONTROL_IN_LONG_TEXT if long_text else _CONTROL
    return bool(pattern.search(value.replace("\r\n", "\n") if long_text else value))
