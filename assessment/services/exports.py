"""Exports of a round for trainers: the workshop workbook and the answers CSV.

The pages and ``flask export-xlsx`` call these; each export is recorded in the
audit log.  Scores come only from :func:`results.analyse`.
"""

from __future__ import annotations

import csv
import os
import re
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO, TextIO

from flask_babel import force_locale
from flask_babel import gettext as _

from .. import audit
from ..cells import csv_field
from ..core.names import display_name, display_names
from ..import_format import REQUIRED_COLUMNS, REVIEW_COLUMNS
from ..peer_words import PeerGroup, peer_groups
from ..queries import accounts as account_queries
from ..queries import exports as export_queries
from ..queries import results as result_queries
from ..workbook import AnswerRecord, WorkbookContent, WorkbookOptions, write_workbook
from . import benchmarks, results
from .rounds import require_round

#: The columns of the answers CSV: the import format, so an export re-imports (the
#: importer ignores the review loop's columns: challenges are not imported).
CSV_COLUMNS = (*REQUIRED_COLUMNS, "evidence", "directorate", *REVIEW_COLUMNS)
_UNSAFE_IN_FILE_NAMES = re.compile(r'[\x00-\x1f\x7f"\\/:*?<>|;,%]+')
MAX_FILE_NAME = 100


def download_name(base: str, extension: str) -> str:
    """A file name made from ``base`` that is safe in a header and on every disk.

    Letters outside ASCII are kept (the download sends them as RFC 6266
    ``filename*``); path separators, quotes and control characters go.

    >>> download_name('Round "1"/../2026: Ŵyl', "xlsx")
    'Round-1-..-2026-Ŵyl.xlsx'
    """
    name = unicodedata.normalize("NFC", base)
    name = _UNSAFE_IN_FILE_NAMES.sub(" ", name)
    name = "-".join(name.split()).strip(".-")[:MAX_FILE_NAME].strip(".-")
    return f"{name or 'joined-up'}.{extension}"


def organisation_chart_png(analysis: results.RoundAnalysis, language: str) -> bytes:
    """The organisation's radar (scores, and the range of department scores) as PNG."""
    from .. import charts  # matplotlib is slow to import: only when a chart is drawn

    organisation = analysis.results.organisation
    ids = analysis.bank.dimension_ids
    with force_locale(language):
        return charts.draw(charts.RadarChart(
            _("Organisation scores by dimension"),
            [d.name.get(language) for d in analysis.bank.dimensions],
            [(_("Organisation"), [organisation.scores[i] for i in ids])],
            band=([organisation.min[i] for i in ids], [organisation.max[i] for i in ids]),
        ), "png")


def _answer_records(round_id: int) -> Iterator[AnswerRecord]:
    for row in export_queries.answer_export_rows(round_id, submitted_only=True):
        yield AnswerRecord._make(row)


def write_round_workbook(round_id: int, out: BinaryIO | str, options: WorkbookOptions,
                         language: str = "en", progress: Callable[[int], None] | None = None) -> int:
    """Write the workshop workbook of a round; the answer rows written.

    ``progress`` is called with the answer rows written so far (background exports).
    """
    assessment_round = require_round(round_id)
    analysis = results.analyse(assessment_round)
    organisation = account_queries.get_organisation(assessment_round.organisation_id)
    content = WorkbookContent(
        round_name=display_name(assessment_round.name, assessment_round.name_cy, language),
        bank=analysis.bank,
        results=analysis.results,
        answers=_answer_records(round_id),
        language=language,
        chart_png=organisation_chart_png(analysis, language),
        author=organisation.name if organisation else "Joined-Up",
        shown_names=_shown_names(round_id, language),
        peers=_peers(analysis, language),
    )
    with force_locale(language):
        count = write_workbook(content, out, options, progress)
    audit.record("export", round_id, format="xlsx", anonymise=options.anonymise,
                 no_comments=options.no_comments, answers=count)
    return count


def _peers(analysis: results.RoundAnalysis, language: str) -> tuple[PeerGroup, ...]:
    """The benchmark groups the round contributes to, in ``language`` (the Peers sheet)."""
    with force_locale(language):
        return peer_groups(benchmarks.round_benchmarks(analysis, analysis.round.organisation_id),
                           analysis.bank, language)


def _shown_names(round_id: int, language: str) -> dict[str, str]:
    """The round's department and directorate names in ``language`` (keyed by English name)."""
    departments = result_queries.round_departments(round_id)
    pairs = [(d.name, d.name_cy) for d in departments]
    pairs += [(d.directorate, d.directorate_cy) for d in departments if d.directorate]
    return dict(display_names(pairs, language))


def write_answers_csv(round_id: int, out: TextIO) -> int:
    """Every answer of the round (submitted or not) in the import format; rows written.

    ``out`` should encode UTF-8 with a byte-order mark (``utf-8-sig``) so
    Excel shows Welsh letters.  Text that a spreadsheet would run as a formula
    starts with an apostrophe, which the importer removes again.
    """
    require_round(round_id)
    writer = csv.writer(out, quoting=csv.QUOTE_ALL)
    writer.writerow(CSV_COLUMNS)
    count = 0
    for row in export_queries.answer_export_rows(round_id, submitted_only=False):
        record = AnswerRecord._make(row)
        writer.writerow([csv_field(value) for value in (
            record.department, record.respondent, record.question_id, record.value,
            record.comment, record.evidence, record.directorate,
            record.challenge_note if record.challenged else None,
            record.challenge_state if record.challenged else None, record.challenge_reply,
        )])
        count += 1
    audit.record("export", round_id, format="csv", answers=count)
    return count


def export_workbook_file(round_id: int, path: Path, options: WorkbookOptions) -> int:
    """Write the workbook to ``path`` whole or not at all (a temporary file, then a rename)."""
    require_round(round_id)
    partial = path.with_name(f".{path.name}.{os.getpid()}.partial")
    try:
        with partial.open("wb") as handle:  # fails here, before any work, if the folder is missing
            count = write_round_workbook(round_id, handle, options)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)
    return count
