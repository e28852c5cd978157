"""The background-job consumer's entry point::

    .venv/bin/huey_consumer assessment.worker.huey

It builds the app as the web server does (settings, ``instance/config.py``,
the environment), so jobs use the same database and the same queue; ``huey``
is that app's own queue, whose tasks run in that app (see :mod:`assessment.jobs`).
"""

from assessment import create_app
from assessment.jobs import job_queue

app = create_app()
huey = job_queue(app)

__all__ = ["app", "huey"]
