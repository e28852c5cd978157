"""Locust users for the load test (run by benchmarks/load/run_load.py, not by hand).

- :class:`DepartmentHead` (50): follows an invitation link and every
  redirect after it, as a browser does: answers every question of each
  section through the real pages (reading each form's CSRF token and
  revision) after a pause to read it, the page a save leads to loaded as the
  next one; sometimes goes back to change an answer; marks each section
  complete (and loads the task list it leads to), checks and submits whole
  questionnaires, and loads the confirmation page the submission leads to;
  then takes the next unused link.
- :class:`Lead` (5): signs in, then opens the open round's dashboard, the
  large round's dashboard (2,000 departments unless run_load says otherwise),
  the workshop page, and downloads the workbook, with a pause between.
- :class:`Probe` (1): asks for ``/healthz`` several times a second: the "bare
  page" whose response times the saves are compared with.

The plan (round, links, questions, lead account) comes from the JSON file
named by ``LOAD_PLAN``.  Every save the server confirmed (a redirect to the
next page) and every submission it confirmed (a redirect to the confirmation
page) is written to ``LOAD_SAVES`` as one JSON line, so the runner can check
that the database holds exactly those answers and submissions.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Generator, Iterator
from typing import Any

import gevent
from locust import between, constant, events, task
from locust.contrib.fasthttp import FastHttpUser

PLAN: dict[str, Any] = json.loads(open(os.environ["LOAD_PLAN"]).read())  # noqa: SIM115
ANSWERS = ("1", "2", "3", "3", "4", "5", "dont_know", "not_applicable")
#: Chance, after a save, of going back to change an earlier answer.
CHANGE_CHANCE = 0.1
_CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"')
_REVISION = re.compile(r'name="revision" type="hidden" value="(\d+)"')

#: A page in hand: (path, HTML).
Page = tuple[str, str]
NO_PAGE: Page = ("", "")
#: The page a redirect leads to, named by its path.
NEXT_PAGES = {"/respond/questions/": "question page", "/respond/sections/": "section page",
              "/respond/tasks": "task list", "/respond/check": "check page",
              "/respond/confirmation": "confirmation page"}
LARGE_DASHBOARD = "large dashboard"  # the large round (PLAN["large_departments"])

_unused_links: list[dict[str, Any]] = list(PLAN["invitations"])
_saves = open(os.environ["LOAD_SAVES"], "a", buffering=1)  # noqa: SIM115


def _field(pattern: re.Pattern[str], html: str) -> str:
    match = pattern.search(html)
    return match.group(1) if match else ""


def _path(location: str) -> str:
    """The path of a Location header, absolute or not (it always points at this server)."""
    if "://" in location:
        location = "/" + location.split("://", 1)[1].partition("/")[2]
    return location


def _think() -> float:
    return random.uniform(0.5, 1.5) * PLAN["think_seconds"]


class DepartmentHead(FastHttpUser):
    """One step of a questionnaire per task, so stopping the test ends no save half-way."""

    fixed_count = PLAN["respondents"]
    wait_time = constant(0)

    def on_start(self) -> None:
        self.walk: Iterator[None] = iter(())

    @task
    def next_step(self) -> None:
        if next(self.walk, "finished") == "finished":
            if not _unused_links:
                gevent.sleep(1)  # every link used: nothing left to do
                return
            self.walk = self._questionnaire(_unused_links.pop())

    def _follow(self, answer: Any, kinds: dict[str, str]) -> Page:
        """Load the page a redirect leads to, as a browser does: (its path, its HTML)."""
        location = answer.headers.get("Location", "") if answer.status_code in (302, 303) else ""
        if not location:
            return NO_PAGE
        path = _path(location)
        name = next((kind for prefix, kind in kinds.items() if path.startswith(prefix)), "other page")
        return path.partition("?")[0], self.client.get(path, name=name).text or ""

    def _questionnaire(self, invitation: dict[str, Any]) -> Iterator[None]:
        followed = self.client.get(invitation["path"], name="follow link", allow_redirects=False)
        if followed.status_code != 302:
            return
        self._follow(followed, {"/respond/": "start page"})
        answered: list[str] = []
        response_id = invitation["response_id"]
        for section in PLAN["sections"]:
            page = NO_PAGE
            for question_id in section["questions"]:
                page = yield from self._answer(response_id, question_id, page)
                answered.append(question_id)
                if random.random() < CHANGE_CHANCE:
                    yield from self._answer(response_id, random.choice(answered), NO_PAGE)
                    page = NO_PAGE
            yield self._complete_section(section["id"], page)
        yield self._submit(response_id)

    def _answer(self, response_id: int, question_id: str, page: Page) -> Generator[None, None, Page]:
        """Answer one question; returns the page the save led to (the next question, or the section)."""
        url = f"/respond/questions/{question_id}"
        html = page[1] if page[0] == url else self.client.get(url, name="question page").text or ""
        yield gevent.sleep(_think())  # reading the question
        value = random.choice(ANSWERS)
        form = {"csrf_token": _field(_CSRF, html), "revision": _field(_REVISION, html),
                "answer": value, "comment": random.choice(("", "", "", "Agreed with the team.")),
                "evidence": "", "action": "continue"}
        with self.client.post(url, data=form, name="save answer", allow_redirects=False,
                              catch_response=True) as saved:
            if saved.status_code == 302:
                _saves.write(json.dumps({"response_id": response_id, "question_id": question_id,
                                         "value": value}) + "\n")
                saved.success()
            else:
                saved.failure(f"save answered {saved.status_code}")
        return self._follow(saved, NEXT_PAGES)

    def _complete_section(self, dimension_id: str, page: Page) -> None:
        url = f"/respond/sections/{dimension_id}"
        html = page[1] if page[0] == url else self.client.get(url, name="section page").text or ""
        with self.client.post(url, data={"csrf_token": _field(_CSRF, html), "completed": "yes"},
                              name="mark section", allow_redirects=False, catch_response=True) as done:
            if done.status_code != 302:
                done.failure(f"marking the section answered {done.status_code}")
        self._follow(done, NEXT_PAGES)

    def _submit(self, response_id: int) -> None:
        page = self.client.get("/respond/check", name="check page")
        with self.client.post("/respond/submit", data={"csrf_token": _field(_CSRF, page.text or "")},
                              name="submit", allow_redirects=False, catch_response=True) as sent:
            if sent.status_code == 302 and sent.headers.get("Location", "").endswith("/respond/confirmation"):
                _saves.write(json.dumps({"response_id": response_id, "submitted": True}) + "\n")
                sent.success()
            else:
                sent.failure(f"submit answered {sent.status_code}")
        self._follow(sent, NEXT_PAGES)


class Lead(FastHttpUser):
    fixed_count = PLAN["leads"]
    wait_time = between(3, 6)

    def on_start(self) -> None:
        page = self.client.get("/sign-in", name="sign-in page")
        self.client.post("/sign-in", name="sign in", allow_redirects=False, data={
            "csrf_token": _field(_CSRF, page.text or ""), "email": PLAN["lead_email"],
            "password": PLAN["lead_password"]})

    @task(3)
    def dashboard(self) -> None:
        self.client.get(f"/rounds/{PLAN['round_id']}/dashboard", name="dashboard")

    @task(2)
    def large_dashboard(self) -> None:
        self.client.get(f"/rounds/{PLAN['large_round_id']}/dashboard", name=LARGE_DASHBOARD)

    @task(1)
    def export(self) -> None:
        self.client.get(f"/rounds/{PLAN['round_id']}/export", name="workshop page")
        self.client.get(f"/rounds/{PLAN['round_id']}/export.xlsx", name="export workbook")


class Probe(FastHttpUser):
    fixed_count = 1
    wait_time = constant(0.2)

    @task
    def bare_page(self) -> None:
        self.client.get("/healthz", name="bare page (/healthz)")


@events.quitting.add_listener
def _close_saves(**_kwargs: Any) -> None:
    _saves.close()
