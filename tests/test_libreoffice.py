"""Exported workbooks open in another spreadsheet program: LibreOffice converts
them to PDF (its own profile in a temporary folder, with a time limit), and what
it prints is read back: every heading, every Gaps row and every level
descriptor whole, and no text printed over other text."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .support.ci import skip_or_fail_in_ci
from .support.pdf import PDFTOTEXT, missing_texts, overprinted

SOFFICE = shutil.which("soffice")
CONVERSION_SECONDS = 240
#: The sheets read back whole; Answers is the raw data, one line an answer.
CHECKED_SHEETS = ("Summary", "Heatmap", "Gaps", "Departments", "Questions")


@pytest.fixture(autouse=True)
def soffice_installed() -> None:
    """Without LibreOffice: a skip on a developer's machine, a failure under CI."""
    if SOFFICE is None:
        skip_or_fail_in_ci("LibreOffice's soffice is not installed (.ci/run installs libreoffice-calc-nogui)")


def convert_to_pdf(files: list[Path], folder: Path) -> list[Path]:
    assert SOFFICE is not None
    profile = (folder / "profile").as_uri()  # a fresh profile: no clash with a running LibreOffice
    result = subprocess.run(
        [SOFFICE, f"-env:UserInstallation={profile}", "--headless", "--norestore",
         "--convert-to", "pdf", "--outdir", str(folder / "pdf"), *map(str, files)],
        capture_output=True, text=True, timeout=CONVERSION_SECONDS, check=False,
    )
    assert result.returncode == 0, result.stderr
    return [folder / "pdf" / f"{file.stem}.pdf" for file in files]


def printed_texts(xlsx: Path) -> list[str]:
    """Every text the checked sheets hold: headings, Gaps rows, level descriptors."""
    workbook = load_workbook(xlsx)
    return [cell for title in CHECKED_SHEETS for row in workbook[title].iter_rows(values_only=True)
            for cell in row if isinstance(cell, str) and cell.strip()]


def answers_headings(xlsx: Path) -> list[str]:
    return [cell.value for cell in load_workbook(xlsx, read_only=True)["Answers"][1] if cell.value]


def test_workbooks_and_the_questionnaire_convert_to_pdf(app, tmp_path, client_for, round_factory):
    round_id = round_factory.demo().round_id
    client = client_for("trainer")
    downloads = {
        "workshop.xlsx": f"/rounds/{round_id}/export.xlsx",
        "anonymised.xlsx": f"/rounds/{round_id}/export.xlsx?anonymise=y&no_comments=y",
        "questionnaire.xlsx": f"/rounds/{round_id}/template.xlsx?sheets=departments",
        "welsh.xlsx": f"/rounds/{round_id}/export.xlsx?lang=cy",  # last: the language sticks
    }
    files = []
    for name, url in downloads.items():
        response = client.get(url)
        assert response.status_code == 200, url
        (tmp_path / name).write_bytes(response.data)
        files.append(tmp_path / name)
    for pdf in convert_to_pdf(files, tmp_path):
        assert pdf.exists(), f"LibreOffice made no {pdf.name}"
        content = pdf.read_bytes()
        pages = max(int(n) for n in re.findall(rb"/Count (\d+)", content))
        assert content.startswith(b"%PDF") and pages >= 2, pdf.name  # every sheet printed
    if PDFTOTEXT is None:
        skip_or_fail_in_ci("poppler-utils' pdftotext is not installed: the printed text is not read")
    for name in ("workshop", "anonymised", "welsh"):
        xlsx, pdf = tmp_path / f"{name}.xlsx", tmp_path / "pdf" / f"{name}.pdf"
        texts = printed_texts(xlsx)
        assert len(texts) > 500, name
        assert missing_texts(pdf, texts) == [], name
        assert overprinted(pdf, skip_pages_holding=answers_headings(xlsx)) == [], name
