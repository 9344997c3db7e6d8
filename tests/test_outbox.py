"""The outbox without an SMTP server: queueing, rendering, de-duplication, the .eml folder."""

from __future__ import annotations

import email
import logging
from datetime import date
from email import policy
from pathlib import Path

import pytest
import sqlalchemy as sa

from gjestebud.models import Message
from gjestebud.services import outbox

ADDRESS = "kari.nordmann@example.no"


@pytest.fixture
def app_config(tmp_path):
    # No SMTP host: the development backend writes .eml files instead of sending.
    return {"SMTP_HOST": None, "MAIL_FOLDER": str(tmp_path / "outbox")}


@pytest.fixture
def mail_folder(app):
    return Path(app.config["MAIL_FOLDER"])


def all_messages(db) -> list[Message]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(Message).order_by(Message.id)))


def read_eml(path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def test_without_smtp_settings_a_message_is_written_to_the_folder_and_marked_sent(
    app, db, mail_folder, caplog
):
    caplog.set_level(logging.INFO)
    message = outbox.queue_test_message(ADDRESS, "en")
    db.session.commit()

    files = sorted(mail_folder.glob("*.eml"))
    assert len(files) == 1
    written = read_eml(files[0])
    assert written["To"].addresses[0].addr_spec == ADDRESS
    assert written["Subject"] == "Test message from Gjestebud"
    assert written["Message-ID"] == message.message_id_header
    assert written.is_multipart()
    assert [part.get_content_type() for part in written.iter_parts()] == [
        "text/plain", "text/html",
    ]
    [row] = all_messages(db)
    assert row.status == "sent" and row.attempts == 1 and row.sent_at is not None
    # The log says where the file went, and never whom it is for.
    assert str(files[0]) in caplog.text
    assert ADDRESS not in caplog.text


def test_the_message_is_rendered_in_the_recipients_language_not_the_pages(app, db):
    with app.test_request_context("/?lang=en"):
        nb = outbox.queue_test_message("ola@example.no", "nb")
        en = outbox.queue_test_message("jane@example.no", "en")
    # Locale-dependent formatting proves the locale: CLDR month names differ.
    assert 'lang="nb"' in nb.body_html and 'lang="en"' in en.body_html
    assert any(name in nb.body_text for name in NB_MONTHS)
    assert any(name in en.body_text for name in EN_MONTHS)
    assert not any(name in nb.body_text for name in EN_MONTHS)


NB_MONTHS = ("januar", "februar", "mars", "april", " mai ", "juni", "juli", "august",
             "september", "oktober", "november", "desember")
EN_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
             "September", "October", "November", "December")


def test_a_rolled_back_transaction_queues_nothing_and_sends_nothing(app, db, mail_folder):
    outbox.queue_test_message(ADDRESS, "nb")
    db.session.rollback()

    assert all_messages(db) == []
    assert not mail_folder.exists() or list(mail_folder.iterdir()) == []
    # Nothing is left waiting to be handed to the queue by the next commit.
    assert outbox.take_dispatch_ids(db.session) == []


def test_the_same_dedupe_key_queues_one_message(app, db, mail_folder):
    first = outbox.queue_message(
        kind="test", recipient=ADDRESS, language="nb", dedupe_key="reminder:2:invitation:17",
        context={"queued_on": date(2026, 3, 2)},
    )
    again = outbox.queue_message(
        kind="test", recipient=ADDRESS, language="nb", dedupe_key="reminder:2:invitation:17",
        context={"queued_on": date(2026, 3, 2)},
    )
    db.session.commit()
    later = outbox.queue_message(
        kind="test", recipient=ADDRESS, language="en", dedupe_key="reminder:2:invitation:17",
        context={"queued_on": date(2026, 3, 2)},
    )
    db.session.commit()

    assert first.id == again.id == later.id
    assert len(all_messages(db)) == 1
    assert len(list(mail_folder.glob("*.eml"))) == 1


@pytest.mark.parametrize(
    "recipient",
    [
        "kari@example.no\r\nBcc: everyone@example.no",
        "kari@example.no\nBcc: everyone@example.no",
        "kari@example.no\r",
        "not an address",
        "",
    ],
)
def test_a_recipient_with_line_breaks_or_no_address_is_refused(app, db, recipient, mail_folder):
    with pytest.raises(outbox.InvalidMessage):
        outbox.queue_test_message(recipient, "nb")
    db.session.commit()
    assert all_messages(db) == []
    assert not mail_folder.exists()


def test_failed_and_pending_messages_are_listed_for_staff(app, db):
    sent = outbox.queue_test_message("a@example.no", "nb")
    db.session.commit()
    waiting = outbox.queue_test_message("b@example.no", "nb")
    outbox.take_dispatch_ids(db.session)  # as if the queue had lost the task
    db.session.commit()
    gone = outbox.queue_test_message("c@example.no", "nb")
    outbox.take_dispatch_ids(db.session)
    gone.status = "failed"
    gone.last_error = "550 5.1.1 Mailbox unavailable"
    db.session.commit()

    listed = [message.id for message in outbox.list_messages()]
    assert listed == [gone.id, waiting.id]
    assert sent.id not in listed
    assert outbox.status_counts() == {"pending": 1, "sending": 0, "sent": 1, "failed": 1}

    outbox.requeue(gone)
    db.session.commit()
    assert outbox.status_counts()["failed"] == 0
    assert db.session.get(Message, gone.id).status == "sent"


def test_mail_test_command_queues_and_delivers_and_status_counts(app, db, runner, mail_folder):
    result = runner.invoke(args=["mail", "test", ADDRESS, "--lang", "en"])
    assert result.exit_code == 0, result.output
    assert "Queued message 1" in result.output
    assert len(list(mail_folder.glob("*.eml"))) == 1

    result = runner.invoke(args=["mail", "status"])
    assert result.exit_code == 0, result.output
    assert "sent: 1" in result.output and "failed: 0" in result.output
    assert ADDRESS not in result.output


def test_mail_test_command_refuses_a_bad_address(app, db, runner):
    result = runner.invoke(args=["mail", "test", "kari@example.no\nBcc: x@example.no"])
    assert result.exit_code == 2
    assert "line breaks" in result.output
    assert all_messages(db) == []
