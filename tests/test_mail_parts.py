"""The parts of sending mail: composing, redaction, throttling, emailed links, bad input."""

from __future__ import annotations

from datetime import date

import pytest
from flask import Flask

from assessment.mail import links
from assessment.mail.compose import Addressee, compose
from assessment.mail.runner import Throttle
from assessment.mail.senders import MailNotConfigured, redact, sender_from_config
from assessment.queries.mail import RoundDetails
from assessment.services import invitations, rounds
from assessment.services import mail as mail_service

from .support.mail import mail_round

DETAILS = RoundDetails("Cyngor Sir Test", "Digital skills 2026", "To plan next year's training",
                       date(2026, 12, 18), "Jo Bloggs, jo@council.example")
WHO = Addressee("Parks head", "Parks")
LINK = "http://joined-up.test/r/" + "A" * 43


def test_every_part_of_the_round_is_in_each_language(app: Flask) -> None:
    with app.test_request_context(headers={"Accept-Language": "cy"}):
        english = compose("invitation", "en", DETAILS, WHO, LINK)
        welsh = compose("reminder", "cy", DETAILS, WHO, LINK)
    for part in ("Cyngor Sir Test", "Digital skills 2026", "To plan next year's training",
                 "18 December 2026", "Jo Bloggs, jo@council.example", LINK, "Parks"):
        assert part in english.body
    assert "18 Rhagfyr 2026" in welsh.body and "Atebwch erbyn" in welsh.body
    assert welsh.subject == "Nodyn atgoffa: rhowch eich atebion i'r cylch “Digital skills 2026”"
    assert "yr un ddolen" in welsh.body and LINK in welsh.body


def test_a_message_without_optional_parts_leaves_them_out(app: Flask) -> None:
    bare = RoundDetails("Test Council", "Round", None, None, None)
    with app.app_context():
        body = compose("invitation", "en", bare, WHO, LINK).body
    assert "purpose" not in body and "answer by" not in body and "contact" not in body


def test_an_unknown_kind_or_language_is_refused(app: Flask) -> None:
    with app.app_context(), pytest.raises(ValueError):
        compose("invitation", "fr", DETAILS, WHO, LINK)


def test_redaction_removes_the_link_the_token_and_any_invitation_path() -> None:
    token = "B" * 43
    said = f"550 rejected http://joined-up.test/r/{token} ({token}) and /r/{'c' * 20}"
    cleaned = redact(said, (f"http://joined-up.test/r/{token}", token))
    assert token not in cleaned and "c" * 20 not in cleaned
    assert cleaned.startswith("550 rejected [link removed]")
    assert len(redact("x" * 2000)) == 500


def test_the_throttle_spaces_sends_evenly() -> None:
    now = [0.0]
    slept: list[float] = []

    def sleep(seconds: float) -> None:
        slept.append(round(seconds, 6))
        now[0] += seconds

    throttle = Throttle(4, clock=lambda: now[0], sleep=sleep)
    for _ in range(5):
        throttle.wait()
    assert slept == [0.25] * 4
    unlimited = Throttle(0, clock=lambda: now[0], sleep=sleep)
    unlimited.wait()
    assert len(slept) == 4


def test_missing_or_wrong_settings_say_which(app: Flask) -> None:
    with pytest.raises(MailNotConfigured, match="MAIL_SENDER"):
        sender_from_config({})
    with pytest.raises(MailNotConfigured, match="MAIL_SMTP_HOST"):
        sender_from_config({"MAIL_SENDER": "smtp"})
    with pytest.raises(MailNotConfigured, match="MAIL_SENDER must be"):
        sender_from_config({"MAIL_SENDER": "pigeon"})
    with pytest.raises(MailNotConfigured, match="not a Notify API key"):
        sender_from_config({"MAIL_SENDER": "notify", "MAIL_NOTIFY_API_KEY": "short",
                            "MAIL_NOTIFY_INVITATION_TEMPLATE_ID": "a",
                            "MAIL_NOTIFY_REMINDER_TEMPLATE_ID": "b"})


def test_a_token_depends_on_the_seed_and_the_key(app: Flask) -> None:
    seed = links.new_link_seed()
    with app.app_context():
        token = links.token_from_seed(seed)
        assert token == links.token_from_seed(seed) and len(token) == 43
        assert token != links.token_from_seed(links.new_link_seed())
        app.config["LINK_KEY"] = "another key, kept apart from SECRET_KEY"
        assert links.token_from_seed(seed) != token


def test_the_reminder_link_is_the_invitation_link_until_it_is_replaced_or_revoked(
        app: Flask) -> None:
    made = mail_round(app, {"a@example.org": "en", "b@example.org": "cy"})
    first, second = made.response_ids["a@example.org"], made.response_ids["b@example.org"]
    with app.app_context():
        link = links.link_for_reminder(first)
        assert link is not None and link == links.link_for_reminder(first)
        assert app.test_client().get(link.removeprefix("http://joined-up.test")).status_code in (
            200, 302)
        invitations.replace_link(made.round_id, first)
        assert links.link_for_reminder(first) is None
        invitations.revoke_link(made.round_id, second)
        assert links.link_for_reminder(second) is None
        app.config["LINK_KEY"] = "a new key"
        mail_service.give_email_links(made.round_id, [mail_service.NewRecipient(first, "a@example.org")])
        assert links.link_for_reminder(first) is not None
        assert links.link_for_reminder(10_000) is None


@pytest.mark.parametrize("recipient, error", [
    (("not an address", "en"), "correct format"),
    (("a@example.org", "fr"), "English, Welsh or both"),
])
def test_bad_addresses_and_languages_are_refused_and_nothing_is_kept(
        app: Flask, recipient: tuple[str, str], error: str) -> None:
    made = mail_round(app, {"a@example.org": "en"})
    response_id = made.response_ids["a@example.org"]
    with app.app_context():
        before = links.link_for_reminder(response_id)
        with pytest.raises(mail_service.MailError, match=error):
            mail_service.give_email_links(made.round_id, [
                mail_service.NewRecipient(response_id, *recipient)])
        assert links.link_for_reminder(response_id) == before


def test_an_unknown_respondent_or_a_closed_round_is_refused(app: Flask) -> None:
    made = mail_round(app, {"a@example.org": "en"})
    with app.app_context():
        with pytest.raises(mail_service.MailError, match="has no respondent 999"):
            mail_service.give_email_links(made.round_id, [
                mail_service.NewRecipient(made.response_ids["a@example.org"], "a@example.org"),
                mail_service.NewRecipient(999, "b@example.org")])
        rounds.set_status(made.round_id, "closed")
        with pytest.raises(mail_service.MailError, match="closed"):
            mail_service.give_email_links(made.round_id, [
                mail_service.NewRecipient(made.response_ids["a@example.org"], "a@example.org")])


def test_the_preview_shows_the_message_with_a_stand_in_link(app: Flask) -> None:
    made = mail_round(app, {"a@example.org": "en"})
    with app.app_context():
        preview = mail_service.preview(made.round_id, "invitation", "both")
    assert "Jo Bloggs" in preview.body and "yn eich gwahodd" in preview.body
    assert "/r/" + "x" * 43 in preview.body
