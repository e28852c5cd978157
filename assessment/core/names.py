"""Which of a name's two spellings a reader sees: English, or Welsh where one was given.

Departments, directorates, rounds and the organisation have an English name (the key
everything else uses) and an optional Welsh name.  Every page, chart, workbook and report
picks between them here, so the fallback rule lives in one place.

>>> display_name("Libraries", "Llyfrgelloedd", "cy")
'Llyfrgelloedd'
>>> display_name("Libraries", None, "cy")
'Libraries'
>>> display_name("Libraries", "Llyfrgelloedd", "en")
'Libraries'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = ["display_name", "display_names"]


def display_name(english: str, welsh: str | None, language: str) -> str:
    """The Welsh name on a Welsh page when there is one, else the English name."""
    if language == "cy" and welsh and welsh.strip():
        return welsh
    return english


def display_names(pairs: Iterable[tuple[str, str | None]], language: str) -> Mapping[str, str]:
    """English name -> the name to show, for presenters keyed by English names."""
    return {english: display_name(english, welsh, language) for english, welsh in pairs}
