"""No test hides a failure by skipping under CI for want of a service CI provides."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from _pytest.outcomes import Failed, Skipped

from .support.ci import skip_or_fail_in_ci

TESTS = Path(__file__).resolve().parent
#: Skips that do not depend on a missing service, each with why it is allowed.
ALLOWED_SKIPS = {
    "conftest.py": "PostgreSQL: skipped outside CI, a failure under CI=true",
    "support/jobs.py": "Redis for the job queue: skipped outside CI, a failure under CI=true",
    "test_storage.py": "a SQLite-only setting, on the PostgreSQL run",
    "support/ci.py": "the one place that decides between skip and failure",
}
SKIP = re.compile(r"pytest\.(skip|importorskip)\(|mark\.skipif|mark\.skip\b")


def test_a_missing_service_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(Skipped):
        skip_or_fail_in_ci("Redis is not reachable")


def test_a_missing_service_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(Failed, match="Redis is not reachable"):
        skip_or_fail_in_ci("Redis is not reachable")


def test_no_other_test_skips_by_itself() -> None:
    offenders = [
        f"{path.relative_to(TESTS)}:{number}: {line.strip()}"
        for path in sorted(TESTS.rglob("*.py"))
        if str(path.relative_to(TESTS)) not in ALLOWED_SKIPS and path.name != Path(__file__).name
        for number, line in enumerate(path.read_text().splitlines(), start=1)
        if SKIP.search(line)
    ]
    assert offenders == [], "use tests/support/ci.skip_or_fail_in_ci:\n" + "\n".join(offenders)
