"""The background-job consumer's entry point::

    .venv/bin/huey_consumer assessment.worker.huey

It builds the app as the web server does (settings, ``instance/config.py``,
the environment), so jobs use the same database and the same queue; see
:mod:`assessment.jobs`.
"""

from assessment import create_app
from assessment.jobs import huey

app = create_app()

__all__ = ["app", "huey"]
