"""The import format (docs/specification.md section 6): its columns, the :class:`Upload`
type, the readers of CSV and XLSX files, the limits checked before a file is
parsed, and the layout of the offline questionnaire.

Both the importer (:mod:`assessment.services.importer`) and the questionnaire
writer (:mod:`assessment.services.offline_template`) depend on this package;
neither depends on the other.

Problems are lazy strings (``lazy_gettext``): a page shows them in its
reader's language, the command line in English.
"""

from __future__ import annotations

from .limits import NO_LIMITS, FileFacts, Limits, check_file
from .readers import read_upload
from .rows import (
    ALL_COLUMNS,
    MAX_NAME_LENGTH,
    OPTIONAL_COLUMNS,
    REQUIRED_COLUMNS,
    ImportInvalid,
    Problem,
    Row,
    Upload,
    at,
    row_name,
)

__all__ = [
    "ALL_COLUMNS",
    "MAX_NAME_LENGTH",
    "NO_LIMITS",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "FileFacts",
    "ImportInvalid",
    "Limits",
    "Problem",
    "Row",
    "Upload",
    "at",
    "check_file",
    "read_upload",
    "row_name",
]
