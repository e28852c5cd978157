"""The lead's email pages (issue 16): add respondents by form and CSV, preview, send, states,
reminders now and on a schedule, and the how-to when sending is not set up."""

from __future__ import annotations

import io
from datetime import date, timedelta

from assessment import jobs
from assessment.extensions import db
from assessment.models import MailMessage, MailRecipient, Response, Round
from assessment.services import mail_schedule as schedule

from .support.mail import smtp_server, smtp_settings, text_of


def page(response) -> str:
    return response.get_data(as_text=True)


def upload(client, round_id: int, text: str):
    data = {"file": (io.BytesIO(text.encode("utf-8")), "people.csv")}
    return client.post(f"/rounds/{round_id}/respondents", data=data,
                       content_type="multipart/form-data")


def count(app, model) -> int:
    with app.app_context():
        return db.session.query(model).count()


def test_without_settings_the_overview_says_how_and_keeps_the_csv(app, client_for, survey_round):
    lead = client_for("lead")
    overview = page(lead.get(f"/rounds/{survey_round}"))
    assert "Sending email is not set up" in overview and "Sending invitations by email" in overview
    assert "Download them as a CSV file" in overview
    preview = page(lead.get(f"/rounds/{survey_round}/email/invitation"))
    assert "Sending email is not set up" in preview and "Send the invitations" not in preview
    refused = lead.post(f"/rounds/{survey_round}/email/invitation")
    assert refused.status_code == 302 and count(app, MailMessage) == 0


def test_csv_with_bad_rows_names_each_row_and_adds_nobody(app, client_for, survey_round):
    lead = client_for("lead")
    answer = upload(lead, survey_round, "department,name,email\nParks,Ann,ann@example.org\n"
                                    "Parks,Bob,not-an-address\nParks,,cy@example.org\n"
                                    "Roads,Dai,dai@example.org,klingon\n")
    text = page(answer)
    assert answer.status_code == 200
    assert "Row 3:" in text and "Row 4:" in text and "Row 5:" in text and "Row 2:" not in text
    assert count(app, Response) == 0 and count(app, MailRecipient) == 0
    assert "Select a CSV file" in page(upload(lead, survey_round, ""))
    assert "UTF-8" in page(lead.post(f"/rounds/{survey_round}/respondents", data={
        "file": (io.BytesIO("Parks,Siân,s@example.org".encode("cp1252")), "x.csv")},
        content_type="multipart/form-data"))


def test_add_by_csv_and_form_preview_send_and_see_the_states(app, client_for, survey_round):
    lead = client_for("lead")
    added = upload(lead, survey_round, "department,name,email,language\nParks,Ann,ann@example.org,en\n"
                                   "Roads,Bethan,bethan@example.org,both\n")
    assert added.status_code == 302 and added.headers["Location"].endswith("/email/invitation")
    by_form = lead.post(f"/rounds/{survey_round}/invitations", data={
        "department": "Parks", "respondents": "Carys", "email": "carys@example.org",
        "language": "cy", "delivery": "screen"})
    assert by_form.status_code == 302
    bad = lead.post(f"/rounds/{survey_round}/invitations", data={
        "department": "Parks", "respondents": "Dewi", "email": "nope", "language": "en",
        "delivery": "screen"})
    assert "correct format" in page(bad) and count(app, Response) == 3
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port))
        preview = page(lead.get(f"/rounds/{survey_round}/email/invitation"))
        assert "Test round" in preview and "Send the invitations" in preview
        sent = lead.post(f"/rounds/{survey_round}/email/invitation")
        assert sent.status_code == 302 and "/jobs/" in sent.headers["Location"]
    assert sorted(server.recipients) == ["ann@example.org", "bethan@example.org",
                                         "carys@example.org"]
    assert all("/r/" in text_of(message) for message in server.messages)
    overview = page(lead.get(f"/rounds/{survey_round}"))
    assert overview.count("Emailed") >= 3
    with app.app_context():
        assert {m.state for m in db.session.query(MailMessage)} == {"sent"}


def test_failed_message_shows_its_reason(app, client_for, survey_round):
    lead = client_for("lead")
    upload(lead, survey_round, "Parks,Ann,ann@example.org\n")
    with smtp_server("550 5.1.1 Mailbox unavailable") as (_server, port):
        app.config.update(smtp_settings(port))
        lead.post(f"/rounds/{survey_round}/email/invitation")
    overview = page(lead.get(f"/rounds/{survey_round}"))
    assert "Email failed" in overview and "Mailbox unavailable" in overview


def test_reminders_skip_submitted_and_the_schedule_runs_once_a_day(app, client_for, survey_round):
    lead = client_for("lead")
    upload(lead, survey_round, "Parks,Ann,ann@example.org\nParks,Bob,bob@example.org\n")
    closing = date.today() + timedelta(days=7)
    assert lead.post(f"/rounds/{survey_round}/details", data={
        "purpose": "To see how we use social media", "closing_date": closing.isoformat()}
        ).status_code == 302
    assert "Enter the closing date" in page(lead.post(f"/rounds/{survey_round}/details", data={
        "closing_date": "31 2 2027"}))
    with app.app_context():
        assert db.session.get(Round, survey_round).closing_date == closing
        bob = db.session.query(Response).filter_by(respondent="Bob").one()
        bob.status = "submitted"
        db.session.commit()
    with smtp_server() as (server, port):
        app.config.update(smtp_settings(port))
        jobs.job_queue(app).send_scheduled_reminders()  # the daily task (immediate mode here)
        with app.app_context():
            assert schedule.start_due_reminders(date.today()) == []  # idempotent
            assert schedule.start_due_reminders(date.today() + timedelta(days=1)) == []
        assert server.recipients == ["ann@example.org"]
        assert lead.post(f"/rounds/{survey_round}/email/reminder").status_code == 302
    assert server.recipients == ["ann@example.org", "ann@example.org"]


def test_purpose_and_closing_date_are_shown_to_respondents(app, client_for, survey_round):
    from .support.survey import invite, respondent_client

    lead = client_for("lead")
    lead.post(f"/rounds/{survey_round}/details", data={"purpose": "To plan training",
                                                   "closing_date": "27 3 2027"})
    respondent = respondent_client(app, invite(app, survey_round))
    start = page(respondent.get("/respond/"))
    assert "To plan training" in start and "27 March 2027" in start
    assert "27 March 2027" in page(respondent.get("/respond/tasks"))


def test_the_page_that_starts_2000_invitations_answers_at_once(app, tmp_path, client_for):
    import time

    from assessment import jobs

    from .support.mail import mail_round

    made = mail_round(app, {f"person{n}@example.org": "en" for n in range(2000)}, None)
    app.config.update(smtp_settings(9), JOBS_IMMEDIATE=False,
                      JOBS_SQLITE_PATH=str(tmp_path / "queue.sqlite"))
    jobs.init_app(app)  # a real queue that nobody consumes: the job waits, the page answers
    try:
        lead = client_for("lead")
        started = time.monotonic()
        answer = lead.post(f"/rounds/{made.round_id}/email/invitation")
        assert answer.status_code == 302 and "/jobs/" in answer.headers["Location"]
        assert time.monotonic() - started < 15
        with app.app_context():
            assert db.session.query(MailMessage).filter_by(state="queued").count() == 2000
        assert "Email queued" in page(lead.get(f"/rounds/{made.round_id}"))
    finally:
        app.config.update(JOBS_IMMEDIATE=True)
        jobs.init_app(app)
