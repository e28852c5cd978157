"""Limits on an uploaded file, checked before it is parsed.

A CSV is refused when it is too big; an XLSX (a zip archive) also when the
parts it would expand to are too big, when a part is compressed far more than
any spreadsheet is (a "zip bomb"), when it has too many parts, or when a
worksheet declares more rows than allowed.  Only the zip's directory and the
first bytes of each worksheet are read, so the check takes milliseconds
whatever is uploaded.  Python's zip reader never expands a part beyond the
size its directory declares, so these declared sizes bound the real work.

Rows, columns and field lengths are checked again row by row while a file is
read (:mod:`.readers`): a CSV has no directory to trust.
"""

from __future__ import annotations

import io
import re
import sys
import zipfile
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask_babel import lazy_gettext as _l

from .rows import ImportInvalid, Problem

#: Parts of an XLSX compressed less than this are never called a zip bomb.
_SMALL_PART_BYTES = 1024 * 1024
#: Enough of a worksheet's start to hold its ``<dimension ref="A1:G12"/>``.
_SHEET_HEAD_BYTES = 4096
_DIMENSION = re.compile(rb'<(?:\w+:)?dimension\s+ref="[A-Z]+\d+:[A-Z]+(\d+)"')


@dataclass(frozen=True)
class Limits:
    """What an import file may be; ``from_config`` reads the app's settings."""

    file_bytes: int = 20 * 1024 * 1024
    uncompressed_bytes: int = 150 * 1024 * 1024
    compression_ratio: int = 200
    zip_parts: int = 1000
    rows: int = 400_000
    columns: int = 50
    field_characters: int = 10_000

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Limits:
        return cls(
            file_bytes=config["IMPORT_MAX_FILE_BYTES"],
            uncompressed_bytes=config["IMPORT_MAX_UNCOMPRESSED_BYTES"],
            compression_ratio=config["IMPORT_MAX_COMPRESSION_RATIO"],
            zip_parts=config["IMPORT_MAX_ZIP_PARTS"],
            rows=config["IMPORT_MAX_ROWS"],
            columns=config["IMPORT_MAX_COLUMNS"],
            field_characters=config["IMPORT_MAX_FIELD_CHARACTERS"],
        )


#: For the command line, which an operator runs on files they trust: no row or
#: column limit, and values up to the csv module's own limit.
NO_LIMITS = Limits(file_bytes=sys.maxsize, uncompressed_bytes=sys.maxsize,
                   compression_ratio=sys.maxsize, zip_parts=sys.maxsize, rows=sys.maxsize,
                   columns=sys.maxsize, field_characters=131_072)


@dataclass(frozen=True)
class FileFacts:
    """What the check before parsing learnt: the kind of file, its size, the
    bytes of text that reading it means (a CSV's size, an XLSX's expanded
    parts) and how many rows it has, roughly (0 when unknown)."""

    kind: str
    size: int
    text_bytes: int
    rows_estimate: int


def size_text(count: int) -> str:
    """A size as a person reads it: "20 MB", "512 KB", "1,000 bytes"."""
    for unit, name in ((1024 * 1024, "MB"), (1024, "KB")):
        if (count >= unit and count % unit == 0) or count >= 10 * unit:
            return f"{count / unit:,.0f} {name}"
    return f"{count:,} bytes"


def file_kind(filename: str) -> str:
    name = filename.lower()
    for kind in ("csv", "xlsx"):
        if name.endswith(f".{kind}"):
            return kind
    raise ImportInvalid([_l("The file must be a CSV or an XLSX file.")])


def too_many_rows(limits: Limits) -> ImportInvalid:
    return ImportInvalid([_l("The file has more than %(rows)s rows. Split it into files of "
                             "%(rows)s rows or fewer, and import each.", rows=f"{limits.rows:,}")])


def file_too_big(limits: Limits, size: int) -> ImportInvalid:
    return ImportInvalid([_l("The file is %(size)s. It must be %(limit)s or smaller: split it "
                             "into smaller files.", size=size_text(size),
                             limit=size_text(limits.file_bytes))])


def check_file(filename: str, content: bytes, limits: Limits) -> FileFacts:
    """Refuse a file that breaks a limit, before parsing it; what was learnt."""
    kind = file_kind(filename)
    if len(content) > limits.file_bytes:
        raise file_too_big(limits, len(content))
    if kind == "csv":
        return FileFacts(kind, len(content), len(content), content.count(b"\n"))
    text_bytes, declared_rows = _check_zip(content, limits)
    return FileFacts(kind, len(content), text_bytes, declared_rows)


def not_xlsx() -> ImportInvalid:
    return ImportInvalid([_l("The file could not be read as an XLSX workbook.")])


def _check_zip(content: bytes, limits: Limits) -> tuple[int, int]:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
            _check_parts(parts, limits)
            rows = max((_declared_rows(archive, part) for part in parts
                        if part.filename.startswith("xl/worksheets/")), default=0)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, OSError, EOFError):
        raise not_xlsx() from None
    if rows > limits.rows:
        raise too_many_rows(limits)
    return sum(part.file_size for part in parts), rows


def _check_parts(parts: list[zipfile.ZipInfo], limits: Limits) -> None:
    problem: Problem | None = None
    expanded = sum(part.file_size for part in parts)
    if len(parts) > limits.zip_parts:
        problem = _l("The XLSX file has %(count)s parts; a workbook has at most %(limit)s. Save it "
                     "again from your spreadsheet program and upload the new file.",
                     count=f"{len(parts):,}", limit=f"{limits.zip_parts:,}")
    elif any(part.file_size > _SMALL_PART_BYTES
             and part.file_size > limits.compression_ratio * max(part.compress_size, 1)
             for part in parts):
        problem = _l("The XLSX file is compressed far more than a spreadsheet can be, so it was not "
                     "opened. Save it again from your spreadsheet program and upload the new file.")
    elif expanded > limits.uncompressed_bytes:
        problem = _l("The XLSX file is %(size)s when opened. It must be %(limit)s or smaller: "
                     "split it into smaller files.", size=size_text(expanded),
                     limit=size_text(limits.uncompressed_bytes))
    if problem is not None:
        raise ImportInvalid([problem])


def _declared_rows(archive: zipfile.ZipFile, part: zipfile.ZipInfo) -> int:
    """The last row a worksheet says it uses (its ``<dimension>``); 0 when it does not say."""
    with archive.open(part) as sheet:
        match = _DIMENSION.search(sheet.read(_SHEET_HEAD_BYTES))
    return int(match.group(1)) if match else 0
