"""Wide tables fit: on a desktop (1280 px) and a phone (390 px), every column of the
dashboard's department table, the department page's tables and a comparison of 5
departments can be read whole inside the table's own scrolling region, in English and Welsh.
"""

from __future__ import annotations

import pytest

from assessment.queries import results as result_queries

from .conftest import save_screenshot
from .test_lead_pages import assert_accessible, demo_round, sign_in  # noqa: F401 (fixture)

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 390, "height": 844})

# For each scrolling region: its accessible name and focusability, and, for each column
# heading, whether it can be scrolled fully into view and shows its whole text.
CHECK_HEADERS = """
() => Array.from(document.querySelectorAll('.app-table-scroll')).map(region => {
  const headers = Array.from(region.querySelectorAll('thead th'));
  const cut = [];
  for (const header of headers) {
    region.scrollLeft = 0;
    const box = header.getBoundingClientRect(), frame = region.getBoundingClientRect();
    region.scrollLeft = Math.max(0, box.right - frame.right + 2);
    const seen = header.getBoundingClientRect(), inner = region.getBoundingClientRect();
    const sticky = region.querySelector('thead th');
    const covered = header !== sticky && sticky && getComputedStyle(sticky).position === 'sticky'
      ? sticky.getBoundingClientRect().right - seen.left : 0;
    if (seen.right > inner.right + 1 || seen.left < inner.left - 1 || covered > 1
        || header.scrollWidth > header.clientWidth + 1) {
      cut.push(header.innerText.trim());
    }
  }
  region.scrollLeft = 0;
  return {label: region.getAttribute('aria-label'), role: region.getAttribute('role'),
          tabindex: region.getAttribute('tabindex'), headers: headers.length, cut};
})
"""


def assert_tables_fit(page, width: int) -> None:
    regions = page.evaluate(CHECK_HEADERS)
    assert regions, "no table on the page"
    for region in regions:
        assert region["role"] == "region" and region["tabindex"] == "0" and region["label"], region
        assert region["cut"] == [], f"{region['label']}: headers cut at {width} px: {region['cut']}"
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def five_departments(live_app, round_id: int) -> tuple[int, str]:
    with live_app.app_context():
        departments = result_queries.round_departments(round_id)[:5]
    return departments[0].id, "&".join(f"department={d.id}" for d in departments)


@pytest.mark.parametrize("language", ["en", "cy"])
def test_wide_tables_show_every_column(browser, live_app, live_server, demo_round, language):  # noqa: F811
    department_id, chosen = five_departments(live_app, demo_round)
    pages = {
        "dashboard": f"/rounds/{demo_round}/dashboard",
        "department": f"/rounds/{demo_round}/departments/{department_id}",
        "compare": f"/rounds/{demo_round}/compare?{chosen}",
    }
    for viewport in VIEWPORTS:
        context = browser.new_context(viewport=viewport)
        page = context.new_page()
        try:
            sign_in(page, live_server)
            page.goto(f"{live_server}/rounds/{demo_round}/dashboard?lang={language}")
            for name, path in pages.items():
                page.goto(live_server + path)
                assert page.locator("html").get_attribute("lang") == language
                assert_tables_fit(page, viewport["width"])
                assert_accessible(page)
                if name == "compare" and viewport["width"] == 390 and language == "en":
                    save_screenshot(page, "compare-390")
        finally:
            context.close()
