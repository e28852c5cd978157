"""Reading a printed spreadsheet back from its PDF (poppler's ``pdftotext -bbox``).

Plain ``pdftotext`` reads a table row by row across its columns, so a wrapped
cell's lines come out between its neighbours' lines.  Here every word keeps its
box, and a cell's text is found by following its words: along a line, then to
the next line of the same column.  Text that is cut (a line hidden by a row too
short) is not found whole; text that overprints the row below shows as words
whose boxes overlap.
"""

from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

PDFTOTEXT = shutil.which("pdftotext")
_PAGE = re.compile(r"<page [^>]*>(.*?)</page>", re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>')
#: Points of slack: words of one line share a top; a cell's lines share a left edge.
SAME_LINE, SAME_COLUMN = 0.6, 1.5


@dataclass(frozen=True)
class Word:
    text: str
    left: float
    top: float
    right: float
    bottom: float

    @property
    def height(self) -> float:
        return self.bottom - self.top


def pdf_pages(pdf: Path) -> list[list[Word]]:
    """Every page's words, in pdftotext's order."""
    assert PDFTOTEXT is not None
    xhtml = subprocess.run([PDFTOTEXT, "-bbox", str(pdf), "-"], capture_output=True, text=True,
                           check=True, timeout=120).stdout
    return [[Word(html.unescape(m[4]), *map(float, m[:4])) for m in _WORD.findall(page)]
            for page in _PAGE.findall(xhtml)]


def pdf_plain_text(pdf: Path) -> str:
    assert PDFTOTEXT is not None
    return subprocess.run([PDFTOTEXT, str(pdf), "-"], capture_output=True, text=True,
                          check=True, timeout=120).stdout


class Page:
    """One page's words in lines (top to bottom, each left to right), for following a
    cell's text."""

    def __init__(self, words: list[Word]) -> None:
        self.lines: list[list[Word]] = []
        for word in sorted(words, key=lambda w: (w.top, w.left)):
            if self.lines and abs(self.lines[-1][0].top - word.top) < SAME_LINE:
                self.lines[-1].append(word)
            else:
                self.lines.append([word])
        for line in self.lines:
            line.sort(key=lambda w: w.left)
        self.place = {id(w): (i, j) for i, line in enumerate(self.lines) for j, w in enumerate(line)}
        self.by_text: dict[str, list[Word]] = {}
        for line in self.lines:
            for w in line:
                self.by_text.setdefault(w.text, []).append(w)

    def _next_on_line(self, word: Word) -> Word | None:
        i, j = self.place[id(word)]
        line = self.lines[i]
        if j + 1 < len(line) and line[j + 1].left - word.right < word.height:
            return line[j + 1]
        return None

    def _next_lines(self, word: Word, line_start: float) -> list[Word]:
        found = []
        for line in self.lines[self.place[id(word)][0] + 1:]:
            if line[0].top - word.top >= 1.8 * word.height:
                break
            found += [w for w in line if abs(w.left - line_start) < SAME_COLUMN]
        return found

    def holds(self, text: str) -> bool:
        """True if ``text`` (spaces as any whitespace) is on this page, whole, in reading order."""
        target = " ".join(text.split())
        first = target.split(" ")[0]
        starts = [w for k in range(1, len(first) + 1) for w in self.by_text.get(first[:k], ())]
        return any(self._follow(target, len(w.text), w, w.left) for w in starts)

    def _follow(self, target: str, done: int, word: Word, line_start: float) -> bool:
        if done == len(target):
            return True
        spaced = target[done] == " "
        rest = target[done + 1:] if spaced else target[done:]
        candidates = []
        after = self._next_on_line(word)
        if spaced and after is not None:
            candidates.append((after, line_start))
        candidates += [(w, w.left) for w in self._next_lines(word, line_start)]
        return any(self._follow(target, len(target) - len(rest) + len(w.text), w, start)
                   for w, start in candidates if rest.startswith(w.text))


def missing_texts(pdf: Path, texts: list[str]) -> list[str]:
    """The texts not found whole on any page of ``pdf``."""
    pages = [Page(words) for words in pdf_pages(pdf)]
    return [text for text in dict.fromkeys(texts) if not any(page.holds(text) for page in pages)]


def overprinted(pdf: Path, skip_pages_holding: Sequence[str] = ()) -> list[tuple[int, str, str]]:
    """(page, word, word) for words drawn over one another: text spilling out of its row.

    Boxes of neighbouring lines touch (a glyph box is taller than the line
    spacing), so words count as overprinted when they share half their height.
    Pages holding every text of ``skip_pages_holding`` are not checked.
    """
    found = []
    for number, words in enumerate(pdf_pages(pdf), start=1):
        page = Page(words)
        if skip_pages_holding and all(page.holds(text) for text in skip_pages_holding):
            continue
        ordered = sorted(words, key=lambda w: w.top)
        for i, word in enumerate(ordered):
            for other in ordered[i + 1:]:
                shared = min(word.bottom, other.bottom) - other.top
                if shared < 0.5 * min(word.height, other.height):
                    break
                if other.left < word.right - SAME_LINE and word.left < other.right - SAME_LINE:
                    found.append((number, word.text, other.text))
    return found
