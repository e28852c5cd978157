"""Joining names into a list, in English and in Welsh.

A name typed by a user (a department, a directorate, a round) is never mutated, so a
sentence only has to pick the right form of "and" before it: Welsh writes *ac* rather
than *a* before a vowel and before a few words that take *ac* in standard usage, and
*ag* rather than *â* ("with", "as") before a vowel.

>>> join_names(["Libraries", "Housing", "Adult Social Care"], "en")
'Libraries, Housing and Adult Social Care'
>>> join_names(["Llyfrgelloedd", "Tai", "Addysg"], "cy")
'Llyfrgelloedd, Tai ac Addysg'
>>> join_names(["Tai", "Gwrando"], "cy")
'Tai a Gwrando'

"a" and "â" cause the aspirate mutation of c, p and t (Tai -> a Thai). A typed name cannot
take it (English names never do, and the base form is all the database holds), so a list
ending in such a name keeps the base form; docs/glossary.md asks the Welsh reviewer to
confirm this for the sentences that show lists.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import Final

__all__ = ["and_word", "join_names", "takes_ac", "with_word"]

#: Welsh vowel letters (accents are stripped before the test: â, ŵ, ŷ ...).
_VOWELS: Final = frozenset("aeiouwy")
#: Words that are preceded by "ac" in standard written Welsh although they begin
#: with a consonant ("ac mae", "ac nid", "ac felly").
_AC_WORDS: Final = frozenset({
    "mae", "mai", "mewn", "meddai", "mor", "na", "nac", "nad", "nid", "nis", "fel", "felly",
})
#: Figures read aloud with a vowel first: 8 is "wyth" (80, 800 ... too), 1 and 11 are "un",
#: "un ar ddeg". Other leading figures are read with a consonant ("dau", "tri", "dwy fil").
_VOWEL_FIGURES: Final = ("1", "11")
#: Spaces, quotes and brackets before the first letter or figure of a name.
_LEADING_PUNCTUATION: Final = re.compile(r"^[\W_]+")


def takes_ac(name: str) -> bool:
    """Whether Welsh writes "ac" rather than "a" before ``name``.

    "ac" goes before a vowel sound and before the words of ``_AC_WORDS``. An initial i, w
    or y followed by another vowel is a consonant ("Iechyd", "Youth Services", "Waste"),
    unless its accent marks it as a vowel ("Ŵyr").

    >>> [takes_ac(n) for n in ["Addysg", "Ysgolion", "Éire", "Heddlu", "Iechyd", "mewn"]]
    [True, True, True, False, False, True]
    >>> [takes_ac(n) for n in ["8 Ardal", "1 Stryd", "2026 baseline", "“Uned”", "", "\t"]]
    [True, True, False, True, False, False]
    """
    text = _LEADING_PUNCTUATION.sub("", name)
    first_word = text.split(maxsplit=1)[0].lower() if text else ""
    return first_word.rstrip(".,;:") in _AC_WORDS or _begins_with_vowel_sound(text)


def _begins_with_vowel_sound(text: str) -> bool:
    if not text:
        return False
    if text[0].isdigit():
        figure = text.split(maxsplit=1)[0].rstrip(".,;:")
        return figure.startswith("8") or figure in _VOWEL_FIGURES
    letters = unicodedata.normalize("NFD", text.lower())
    plain = "".join(c for c in letters if not unicodedata.combining(c))
    accented = len(letters) > 1 and unicodedata.combining(letters[1]) != 0
    if plain[0] in "iwy" and plain[1:2] in _VOWELS and not accented:
        return False
    return plain[0] in _VOWELS


def and_word(name: str) -> str:
    """The Welsh "and" to write before ``name``: "ac" or "a"."""
    return "ac" if takes_ac(name) else "a"


def with_word(name: str) -> str:
    """The Welsh "with" / "as" to write before ``name``: "ag" before a vowel sound, else "â".

    >>> with_word("Alun"), with_word("Bethan"), with_word("mewn")
    ('ag', 'â', 'â')
    """
    return "ag" if _begins_with_vowel_sound(_LEADING_PUNCTUATION.sub("", name)) else "â"


def join_names(names: Sequence[str], language: str) -> str:
    """'A', 'A and B', 'A, B and C' (GOV.UK style: no serial comma), in ``language``.

    In Welsh the last "and" is "a" or "ac", chosen by the name that follows it.

    >>> join_names([], "cy"), join_names(["Tai"], "cy")
    ('', 'Tai')
    >>> join_names(["Tai", "Ysgolion"], "cy")
    'Tai ac Ysgolion'
    >>> join_names(["Libraries", "Education"], "cy")
    'Libraries ac Education'
    >>> join_names(["Libraries", "Housing"], "cy_GB")
    'Libraries a Housing'
    >>> join_names(["A", "B", "C"], "fr")
    'A, B and C'
    """
    if len(names) <= 1:
        return "".join(names)
    first, last = ", ".join(names[:-1]), names[-1]
    conjunction = and_word(last) if language.lower().startswith("cy") else "and"
    return f"{first} {conjunction} {last}"
