"""Which pages each signed-in role sees in the navigation: one place, built from ROLE_POWERS.

Every link is drawn only when the role has the power the page's view ``requires``,
so nobody is shown a page that answers "You do not have permission".
"""

from __future__ import annotations

from typing import Any, NamedTuple

from flask import g, request, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from .auth import ROLE_POWERS


class Page(NamedTuple):
    """A page in a navigation: its endpoint, its name, and the power its view requires."""

    endpoint: str
    label: Any  # a lazy string, translated when drawn
    power: str


#: The service navigation: pages that belong to no round.
SERVICE_PAGES = (
    Page("main.home", _l("Rounds"), "results"),
    Page("rounds.new", _l("Create a round"), "lead"),
    Page("admin.list_users", _l("Users"), "admin"),
    Page("admin.audit_log", _l("Audit log"), "admin"),
    Page("service.organisations", _l("Organisations"), "service"),
    Page("service.new_organisation", _l("Create an organisation"), "service"),
    Page("service.trainer_access", _l("Trainer access"), "service"),
    Page("service.benchmark_groups", _l("Benchmark groups"), "service"),
    Page("switch.choose", _l("Switch organisation"), "switch"),
)

#: The round sub-navigation, on every page of a round.
ROUND_PAGES = (
    Page("rounds.overview", _l("Round overview"), "lead"),
    Page("results.dashboard_page", _l("Dashboard"), "results"),
    Page("results.compare_page", _l("Compare departments"), "results"),
    Page("results.plan_page", _l("Action plan"), "results"),
    Page("results.targets_page", _l("Targets"), "lead"),
    Page("results.print_page", _l("Print view"), "results"),
    Page("workshop.export", _l("Workshop materials"), "results"),
    Page("workshop.import_answers", _l("Import answers"), "results"),
)

#: Pages that belong to a round's entry in the sub-navigation though they have their own address.
SECTION_OF = {
    "results.department_page": "results.dashboard_page",
    "results.challenge_page": "results.dashboard_page",
    "workshop.check_import": "workshop.import_answers",
}


def pages_for(role: str, pages: tuple[Page, ...]) -> list[Page]:
    """The pages a role may open: those whose power the role has."""
    powers = ROLE_POWERS.get(role, set())
    return [page for page in pages if page.power in powers]


def round_home_endpoint(role: str) -> str | None:
    """Where a round's name on the home page leads this role: the first round page it may use."""
    pages = pages_for(role, ROUND_PAGES)
    return pages[0].endpoint if pages else None


def _service_pages() -> list[Page]:
    """The signed-in user's service navigation: "Switch organisation" only for a trainer
    with another organisation to switch to, so a single organisation sees no new link."""
    pages = pages_for(current_user.role, SERVICE_PAGES)
    if any(page.power == "switch" for page in pages):
        from .services import tenants

        if not tenants.may_switch(current_user.user_id):
            pages = [page for page in pages if page.power != "switch"]
    return pages


def _items(pages: list[Page], current: str, **values: Any) -> list[dict[str, Any]]:
    return [{"href": url_for(page.endpoint, **values), "text": str(page.label),
             "active": page.endpoint == current, "current": page.endpoint == current}
            for page in pages]


def navigation_context() -> dict[str, Any]:
    """``service_nav`` and ``round_nav`` for base.html: empty for anyone not signed in."""
    if not current_user.is_authenticated or request.endpoint is None:
        return {"service_nav": [], "round_nav": [], "demo_round": False}
    endpoint = SECTION_OF.get(request.endpoint, request.endpoint)
    service_nav = _items(_service_pages(), endpoint)
    round_id = (request.view_args or {}).get("round_id")
    on_round_page = request.blueprint in ("rounds", "results", "workshop")
    round_nav = (_items(pages_for(current_user.role, ROUND_PAGES), endpoint, round_id=round_id)
                 if on_round_page and isinstance(round_id, int) else [])
    shown_round = g.get("current_round") if round_nav else None
    return {"service_nav": service_nav, "round_nav": round_nav,
            "demo_round": bool(shown_round and shown_round.id == round_id and shown_round.is_demo)}
