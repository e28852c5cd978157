"""Locust users for the load test (run by benchmarks/load/run_load.py, not by hand).

- :class:`DepartmentHead` (50): follows an invitation link, answers every
  question through the real pages (reading each form's CSRF token and
  revision) after a pause to read it, sometimes goes back to change an
  answer, marks each section complete, checks and submits; then takes the
  next unused link.
- :class:`Lead` (5): signs in, then opens the dashboard, the workshop page
  and downloads the workbook, with a pause between.
- :class:`Probe` (1): asks for ``/healthz`` several times a second: the "bare
  page" whose response times the saves are compared with.

The plan (round, links, questions, lead account) comes from the JSON file
named by ``LOAD_PLAN``.  Every save the server confirmed (a redirect to the
next page) is written to ``LOAD_SAVES`` as one JSON line, so the runner can
check the database holds exactly those answers.
"""

from __future__ import annotations

import json
import os
import random
import re
from collections.abc import Iterator
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

_unused_links: list[dict[str, Any]] = list(PLAN["invitations"])
_saves = open(os.environ["LOAD_SAVES"], "a", buffering=1)  # noqa: SIM115


def _field(pattern: re.Pattern[str], html: str) -> str:
    match = pattern.search(html)
    return match.group(1) if match else ""


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

    def _questionnaire(self, invitation: dict[str, Any]) -> Iterator[None]:
        followed = self.client.get(invitation["path"], name="follow link", allow_redirects=False)
        if followed.status_code != 302:
            return
        self.client.get("/respond/", name="start page")
        answered: list[str] = []
        for question_id in PLAN["questions"]:
            yield self._answer(invitation["response_id"], question_id)
            answered.append(question_id)
            if random.random() < CHANGE_CHANCE:
                yield self._answer(invitation["response_id"], random.choice(answered))
        for dimension_id in PLAN["dimensions"]:
            yield self._complete_section(dimension_id)
        yield self._submit(invitation["response_id"])

    def _answer(self, response_id: int, question_id: str) -> None:
        url = f"/respond/questions/{question_id}"
        page = self.client.get(url, name="question page")
        gevent.sleep(_think())  # reading the question
        value = random.choice(ANSWERS)
        form = {"csrf_token": _field(_CSRF, page.text or ""), "revision": _field(_REVISION, page.text or ""),
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

    def _complete_section(self, dimension_id: str) -> None:
        url = f"/respond/sections/{dimension_id}"
        page = self.client.get(url, name="section page")
        with self.client.post(url, data={"csrf_token": _field(_CSRF, page.text or ""), "completed": "yes"},
                              name="mark section", allow_redirects=False, catch_response=True) as done:
            if done.status_code != 302:
                done.failure(f"marking the section answered {done.status_code}")

    def _submit(self, response_id: int) -> None:
        page = self.client.get("/respond/check", name="check page")
        with self.client.post("/respond/submit", data={"csrf_token": _field(_CSRF, page.text or "")},
                              name="submit", allow_redirects=False, catch_response=True) as sent:
            if sent.status_code == 302 and sent.headers.get("Location", "").endswith("/respond/confirmation"):
                _saves.write(json.dumps({"response_id": response_id, "submitted": True}) + "\n")
                sent.success()
            else:
                sent.failure(f"submit answered {sent.status_code}")


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
