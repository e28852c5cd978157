"""The board paper prints on A4: Chromium saves the print view as a PDF, and its text
holds every dimension, department (or every name a large round's summary promises),
gap sentence and the action plan, with no link address and no page wider than A4.

Pages 1 and 2 of the demonstration round's paper are saved as screenshots (``make screenshots``).
"""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from pypdf import PdfReader

from assessment.services import accounts, demo

from ..support.ci import skip_or_fail_in_ci
from ..support.reports import build_report, large_round, results_document, squashed
from .conftest import axe_violations, screenshots_folder

PASSWORD = "correct horse battery"
A4_POINTS = (595.3, 841.9)  # 210 x 297 mm; Chromium rounds A4 to 8.27 x 11.7 inches
#: The print view's content width on A4 (210 mm less 2 x 12 mm margins) in CSS pixels.
A4_CONTENT_PIXELS = 702


@pytest.fixture
def lead(live_app) -> None:
    with live_app.app_context():
        accounts.ensure_organisation(demo.ORGANISATION_NAME)
        accounts.create_user("lead@example.org", PASSWORD, "lead")


def sign_in(page, live_server: str) -> None:
    page.goto(live_server + "/sign-in")
    page.get_by_label("Email address").fill("lead@example.org")
    page.get_by_role("textbox", name="Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def printed(page, url: str) -> tuple[bytes, str]:
    """The page saved as an A4 PDF by Chromium, and its text."""
    page.goto(url)
    content = page.pdf(format="A4", print_background=True)
    reader = PdfReader(io.BytesIO(content))
    for number, sheet in enumerate(reader.pages, start=1):
        width, height = sorted((float(sheet.mediabox.width), float(sheet.mediabox.height)))
        assert abs(width - A4_POINTS[0]) < 2 and abs(height - A4_POINTS[1]) < 2, (
            f"page {number} is {width} x {height} points, not A4")
    return content, "\n".join(sheet.extract_text() for sheet in reader.pages)


def assert_fits_the_page(page) -> None:
    """In print media at A4's content width, no table or chart is wider than the page."""
    page.set_viewport_size({"width": A4_CONTENT_PIXELS, "height": 1000})
    page.emulate_media(media="print")
    too_wide = page.evaluate("""() => [...document.querySelectorAll('table, svg, .app-print__section')]
        .filter(el => el.getBoundingClientRect().right > document.documentElement.clientWidth + 1
                      || el.scrollWidth > el.clientWidth + 1)
        .map(el => el.tagName + ' ' + (el.className.baseVal ?? el.className) + ' '
                   + (el.querySelector('caption, h2')?.textContent ?? '').trim())""")
    assert too_wide == []
    page.emulate_media(media="screen")


def assert_the_report_is_in(text: str, report) -> None:
    plain = squashed(text)
    missing = [sentence for sentence in report.gap_sentences() if squashed(sentence) not in plain]
    assert missing == [], missing
    plan = report.plan
    expected = [step.question for step in plan.organisation]
    expected += [step.descriptor for step in plan.organisation]
    expected += [pair.sentence for pair in plan.pairs]
    expected += [row[0] for row in plan.targets.rows]
    expected += ["Action plan", "Next steps for the organisation", "How to read this paper", "Method"]
    missing = [item for item in expected if squashed(item) not in plain]
    assert missing == [], missing
    assert "http" not in text and "/rounds/" not in text, "a link address was printed"


def assert_accessible(page) -> None:
    problems = [f"{v['id']}: {node['html'][:160]}" for v in axe_violations(page) for node in v["nodes"]]
    assert problems == [], "\n".join(problems)


def save_pages(content: bytes, name: str, pages: int) -> None:
    if shutil.which("pdftoppm") is None:
        skip_or_fail_in_ci("pdftoppm (poppler-utils) is not installed")
    for number in range(1, pages + 1):
        subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", str(number), "-l", str(number),
                        "-singlefile", "-", str(screenshots_folder() / f"{name}-{number}")],
                       input=content, check=True, timeout=60)


def test_the_demonstration_board_paper_prints_whole_on_a4(page, live_app, live_server, lead, round_factory):
    round_id = round_factory.demo().round_id
    document = results_document(live_app, round_id)
    sign_in(page, live_server)
    content, text = printed(page, f"{live_server}/rounds/{round_id}/print")
    plain = squashed(text)
    for name in [d["name"] for d in document["dimensions"]] + [d["name"] for d in document["departments"]]:
        assert squashed(name) in plain, name
    assert squashed(demo.ORGANISATION_NAME) in plain
    assert_the_report_is_in(text, build_report(live_app, round_id))
    assert "Change since 2025 baseline" in text
    assert_fits_the_page(page)
    save_pages(content, "board-paper", 2)
    assert_accessible(page)
    page.goto(f"{live_server}/rounds/{round_id}/print?lang=cy")
    assert_accessible(page)
    page.goto(f"{live_server}/rounds/{round_id}/print?lang=en")


def test_the_dashboard_prints_on_a4_without_link_addresses(page, live_app, live_server, lead, round_factory):
    round_id = round_factory.demo().round_id
    document = results_document(live_app, round_id)
    sign_in(page, live_server)
    _, text = printed(page, f"{live_server}/rounds/{round_id}/dashboard")
    plain = squashed(text)
    for name in [d["name"] for d in document["dimensions"]] + [d["name"] for d in document["departments"]]:
        assert squashed(name) in plain, name
    assert "http" not in text and "/rounds/" not in text, "a link address was printed"
    assert_fits_the_page(page)


def test_a_200_department_board_paper_prints_its_summary_on_a4(page, live_app, live_server, lead):
    round_id = large_round(live_app, 200)
    document = results_document(live_app, round_id)
    report = build_report(live_app, round_id)
    assert report.departments.summarised
    sign_in(page, live_server)
    _, text = printed(page, f"{live_server}/rounds/{round_id}/print")
    plain = squashed(text)
    for name in [d["name"] for d in document["dimensions"]] + report.departments.names():
        assert squashed(name) in plain, name
    for directorate in {d["directorate"] for d in document["departments"]}:
        assert squashed(directorate) in plain, directorate
    flagged = {o["department"] for o in document["outliers"]}
    assert flagged and flagged <= set(report.departments.names())  # behind and ahead, all listed
    assert squashed("in the workshop workbook") in plain  # says where every department's row is
    assert_the_report_is_in(text, report)
    assert_fits_the_page(page)
