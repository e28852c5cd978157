"""The huey queue behind :mod:`assessment.jobs`.

Imported only when an app first queues a job, or when the consumer starts
(:mod:`assessment.worker`): huey and its storage are not needed to serve a page,
and loading them cost every process about 0.3 s at start-up (issue #14).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import Flask
from huey import Huey, crontab
from huey.storage import RedisStorage, SqliteStorage

from .services import jobs as job_service
from .services import mail_schedule, staged_uploads


class JobQueue(Huey):
    """A huey queue whose tasks run in one app, whether inside its request
    (immediate) or in the consumer process that built it (:mod:`assessment.worker`)."""

    def __init__(self, app: Flask, name: str, run: Callable[[Flask, str], None],
                 **options: Any) -> None:
        super().__init__(name, results=False, **options)

        def run_job(job_id: str) -> None:
            run(app, job_id)

        def delete_expired_jobs() -> None:
            with app.app_context():
                job_service.delete_expired()
                staged_uploads.delete_expired()

        def send_scheduled_reminders() -> None:
            with app.app_context():
                for job_id in mail_schedule.start_due_reminders():
                    self.run_job(job_id)

        self.run_job = self.task()(run_job)
        self.periodic_task(crontab(minute="*/10"))(delete_expired_jobs)
        # Daily, early: reminders 7 and 2 days before a round closes (idempotent per day).
        self.send_scheduled_reminders = self.periodic_task(crontab(hour="6", minute="30"))(
            send_scheduled_reminders)


def build_queue(app: Flask, run: Callable[[Flask, str], None]) -> JobQueue:
    """The queue ``app``'s settings ask for: immediate, Redis or a SQLite file.

    ``run(app, job_id)`` carries out a job (:func:`assessment.jobs.run_job`).
    """
    immediate = app.config["JOBS_IMMEDIATE"]
    immediate = app.testing if immediate is None else bool(immediate)
    name = app.config["JOBS_QUEUE_NAME"]
    if immediate:
        return JobQueue(app, name, run, immediate=True)
    if app.config.get("REDIS_URL"):
        return JobQueue(app, name, run, storage_class=RedisStorage, url=app.config["REDIS_URL"])
    path = app.config["JOBS_SQLITE_PATH"] or str(Path(app.instance_path) / "jobs.sqlite")
    return JobQueue(app, name, run, storage_class=SqliteStorage, filename=path)
