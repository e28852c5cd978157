"""A missing service skips a test on a developer's machine and fails it under ``CI=true``.

The CI machine (``.ci/run``) provides PostgreSQL, Redis, LibreOffice and
Chromium, so there a test that cannot reach one of them must fail loudly
rather than pass by skipping.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI") == "true"


def skip_or_fail_in_ci(reason: str) -> NoReturn:
    if in_ci():
        pytest.fail(f"{reason} (required under CI=true)", pytrace=False)
    pytest.skip(reason)
