"""Delivery over real SMTP on loopback (aiosmtpd): once, in the right language, through faults."""

from __future__ import annotations

import asyncio
import email
import logging
import socket
import threading
from collections import Counter
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from email import policy

import pytest
import sqlalchemy as sa
import time_machine
from aiosmtpd.controller import Controller
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo

from gjestebud.extensions import babel
from gjestebud.extensions import db as _db
from gjestebud.models import Message
from gjestebud.services import mailer, outbox

SENDER = "Indre Østfold kommune <gjestebud@indre-ostfold.example.no>"
BASE_DELAY = 60
START = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


class Inbox:
    """An aiosmtpd handler that keeps what it accepts; scripted replies come first."""

    def __init__(self, replies: list[str] | None = None, delay: float = 0.0):
        self.replies = list(replies or [])
        self.delay = delay
        self.received: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.replies:
            reply = self.replies.pop(0)
            if not reply.startswith("250"):
                return reply
        self.received.append(email.message_from_bytes(envelope.content, policy=policy.default))
        self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
        return "250 2.0.0 Queued"

    def count_by_message_id(self) -> Counter:
        return Counter(message["Message-ID"] for message in self.received)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def smtp_server(port: int, inbox: Inbox):
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox
    finally:
        controller.stop()


def write_catalog(directory, lang: str, translations: dict[str, str]) -> None:
    catalog = Catalog(locale=lang)
    for msgid, msgstr in translations.items():
        catalog.add(msgid, msgstr)
    folder = directory / lang / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with open(folder / "messages.mo", "wb") as handle:
        write_mo(handle, catalog)


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def queue_mode() -> str:
    """Immediate (tests' default); a test parametrizes it to "sqlite" to keep tasks queued."""
    return "immediate"


@pytest.fixture
def app_config(tmp_path, smtp_port, queue_mode):
    # A small bokmål catalogue of our own, so the language test does not wait for translators.
    translations = tmp_path / "translations"
    write_catalog(translations, "nb", {"Test message from Gjestebud": "Testmelding fra Gjestebud",
                                       "Hello!": "Hei!"})
    config = {
        "SMTP_HOST": "127.0.0.1",
        "SMTP_PORT": smtp_port,
        "SMTP_STARTTLS": False,
        "SMTP_SSL": False,
        "SMTP_TIMEOUT": 5,
        "SMTP_FROM": SENDER,
        "MAIL_FOLDER": str(tmp_path / "outbox"),
        "MAIL_MAX_ATTEMPTS": 6,
        "MAIL_RETRY_BASE_SECONDS": BASE_DELAY,
        "BABEL_TRANSLATION_DIRECTORIES": str(translations),
    }
    if queue_mode == "sqlite":
        config.update(HUEY_IMMEDIATE=False, HUEY_SQLITE_PATH=str(tmp_path / "tasks.sqlite"))
    return config


@pytest.fixture
def own_catalogue(app):
    """Flask-Babel caches catalogues process-wide: load ours, and leave no trace of it."""
    babel.domain_instance.cache.clear()
    yield
    babel.domain_instance.cache.clear()


@pytest.fixture
def sqlite_queue(app):
    """The app's SQLite task queue, closed after the test."""
    huey = app.extensions["huey"]
    yield huey
    huey.storage.close()


def rows(ids=None) -> list[Message]:
    _db.session.expire_all()
    query = sa.select(Message).order_by(Message.id)
    if ids is not None:
        query = query.where(Message.id.in_(ids))
    return list(_db.session.scalars(query))


def queue(count: int, *, dispatch: bool = True) -> list[int]:
    """Queue `count` test messages and commit; without dispatch, as if the queue lost them."""
    ids = [outbox.queue_test_message(f"gjest{n}@example.no", "nb").id for n in range(count)]
    if not dispatch:
        outbox.take_dispatch_ids(_db.session)
    _db.session.commit()
    return ids


def run_due(app) -> None:
    """What the consumer does when the clock moves on: due scheduled retries, then the sweep."""
    huey = app.extensions["huey"]
    for task in huey.read_schedule():
        huey.execute(task)
    app.extensions["gjestebud_tasks"].deliver_due_messages()


# --- delivered once, in the recipient's language --------------------------------------------

def test_a_queued_message_is_delivered_once_multipart_in_the_recipients_language(
    app, db, smtp_port, own_catalogue
):
    with smtp_server(smtp_port, Inbox()) as inbox:
        # Queued from an English page: each message still follows its recipient's language.
        with app.test_request_context("/?lang=en"):
            nb = outbox.queue_test_message("kari@example.no", "nb")
            en = outbox.queue_test_message("jane@example.no", "en")
            db.session.commit()

    assert inbox.count_by_message_id() == {nb.message_id_header: 1, en.message_id_header: 1}
    by_id = {message["Message-ID"]: message for message in inbox.received}
    for row, subject, greeting in (
        (nb, "Testmelding fra Gjestebud", "Hei!"),
        (en, "Test message from Gjestebud", "Hello!"),
    ):
        received = by_id[row.message_id_header]
        assert received["Subject"] == subject
        assert received["From"].addresses[0].addr_spec == "gjestebud@indre-ostfold.example.no"
        assert received["From"].addresses[0].display_name == "Indre Østfold kommune"
        assert received["To"].addresses[0].addr_spec == row.recipient
        assert received["Content-Language"] == row.language
        assert received.get_content_type() == "multipart/alternative"
        text = received.get_body(("plain",)).get_content()
        html = received.get_body(("html",)).get_content()
        assert text.startswith(greeting)
        assert f"<h1>{greeting}</h1>" in html and f'lang="{row.language}"' in html
    assert ("gjestebud@indre-ostfold.example.no", ["kari@example.no"]) in inbox.envelopes
    assert [(r.status, r.attempts) for r in rows()] == [("sent", 1), ("sent", 1)]


# --- the fault test: server down, then up ----------------------------------------------------

def test_server_down_then_up_every_message_arrives_exactly_once(app, db, smtp_port, caplog):
    caplog.set_level(logging.DEBUG)
    n, failed_rounds = 20, 4
    with time_machine.travel(START, tick=False) as clock:
        ids = queue(n)  # each first attempt runs at commit: nothing listens on the port
        seen_retry_at = []
        for attempt in range(1, failed_rounds + 1):
            current = rows(ids)
            assert {(r.status, r.attempts) for r in current} == {("pending", attempt)}
            assert all("Connection refused" in r.last_error for r in current)
            retry_at = {r.next_attempt_at for r in current}
            assert len(retry_at) == 1
            seen_retry_at.append(retry_at.pop())
            if attempt < failed_rounds:
                clock.move_to(seen_retry_at[-1].replace(tzinfo=UTC))
                run_due(app)

        start = START.replace(tzinfo=None)
        delays = [(at - start).total_seconds() for at in seen_retry_at]
        waits = [later - earlier for earlier, later in zip([0, *delays], delays, strict=False)]
        assert waits == [BASE_DELAY * 2**k for k in range(failed_rounds)]  # 60, 120, 240, 480 s

        with smtp_server(smtp_port, Inbox()) as inbox:
            clock.move_to(seen_retry_at[-1].replace(tzinfo=UTC))
            run_due(app)
            run_due(app)  # a second pass finds nothing left to send

    assert len(inbox.received) == n
    assert set(inbox.count_by_message_id().values()) == {1}
    assert set(inbox.count_by_message_id()) == {r.message_id_header for r in rows(ids)}
    assert {(r.status, r.attempts) for r in rows(ids)} == {("sent", failed_rounds + 1)}
    # Our logs (and the queue's) carry ids and statuses, never addresses. The test server's
    # own "mail.log" is not ours.
    ours = [r.getMessage() for r in caplog.records if r.name.split(".")[0] in ("gjestebud", "huey")]
    assert ours and not any("@example.no" in line for line in ours)


# --- 4xx, 5xx, the last attempt ----------------------------------------------------------------

def test_a_4xx_answer_is_retried_and_then_delivered_once(app, db, smtp_port):
    with time_machine.travel(START, tick=False) as clock:
        with smtp_server(smtp_port, Inbox(["451 4.3.0 Try again later"])) as inbox:
            [message_id] = queue(1)
            [row] = rows()
            assert (row.status, row.attempts) == ("pending", 1)
            assert row.last_error == "451 4.3.0 Try again later"
            assert inbox.received == []

            clock.shift(BASE_DELAY)
            run_due(app)
            run_due(app)

    assert len(inbox.received) == 1
    [row] = rows()
    assert (row.status, row.attempts, row.last_error) == ("sent", 2, None)


def test_a_5xx_answer_fails_at_once_and_is_listed_for_staff(app, db, smtp_port):
    reply = "550 5.1.1 <gjest0@example.no>: Recipient address rejected"
    with time_machine.travel(START, tick=False) as clock:
        with smtp_server(smtp_port, Inbox([reply])) as inbox:
            [message_id] = queue(1)
            clock.shift(timedelta(hours=2))
            run_due(app)

    assert inbox.received == []
    [row] = rows()
    assert (row.status, row.attempts) == ("failed", 1)
    # The SMTP reply is kept for staff, without the address it echoed.
    assert row.last_error == "550 5.1.1 <address>: Recipient address rejected"
    assert [m.id for m in outbox.list_messages()] == [message_id]
    assert outbox.status_counts()["failed"] == 1


def test_a_message_fails_after_the_last_attempt(app, db, smtp_port):
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    with time_machine.travel(START, tick=False) as clock:
        with smtp_server(smtp_port, Inbox(["421 4.3.2 Busy"] * 10)) as inbox:
            queue(1)
            for _ in range(5):
                clock.shift(timedelta(hours=1))
                run_due(app)

    assert inbox.received == []
    [row] = rows()
    assert (row.status, row.attempts, row.last_error) == ("failed", 3, "421 4.3.2 Busy")


def test_a_message_left_sending_by_a_dead_worker_is_retried_after_its_lease(app, db, smtp_port):
    with time_machine.travel(START, tick=False) as clock:
        [message_id] = queue(1, dispatch=False)
        # A worker claimed it and died before it could record the outcome.
        assert mailer.claim(message_id, max_attempts=6) == 1
        with smtp_server(smtp_port, Inbox()) as inbox:
            clock.shift(mailer.SENDING_LEASE - timedelta(seconds=1))
            run_due(app)
            assert inbox.received == []  # the lease still holds: someone may be sending it
            clock.shift(timedelta(seconds=1))
            run_due(app)

    assert len(inbox.received) == 1
    [row] = rows()
    assert (row.status, row.attempts) == ("sent", 2)


def test_a_header_with_a_line_break_is_never_sent_even_if_it_reached_the_table(
    app, db, smtp_port
):
    [message_id] = queue(1, dispatch=False)
    db.session.execute(sa.update(Message).values(subject="Hei\r\nBcc: alle@example.no"))
    db.session.commit()
    with smtp_server(smtp_port, Inbox()) as inbox:
        run_due(app)

    assert inbox.received == []
    [row] = rows()
    assert (row.status, row.attempts) == ("failed", 1)


def test_a_rolled_back_transaction_sends_nothing(app, db, smtp_port):
    with smtp_server(smtp_port, Inbox()) as inbox:
        outbox.queue_test_message("kari@example.no", "nb")
        db.session.rollback()
        run_due(app)

    assert inbox.received == []
    assert rows() == []


def test_the_same_dedupe_key_twice_is_sent_once(app, db, smtp_port):
    with smtp_server(smtp_port, Inbox()) as inbox:
        for _ in range(2):
            outbox.queue_message(kind="test", recipient="kari@example.no", language="nb",
                                 dedupe_key="reminder:2:invitation:17",
                                 context={"queued_on": START.date()})
            db.session.commit()
        run_due(app)

    assert len(rows()) == 1
    assert len(inbox.received) == 1


# --- concurrency ------------------------------------------------------------------------------

def race(app, work, threads: int = 2) -> list:
    """Run `work()` in several threads at once, each in its own app context."""
    barrier = threading.Barrier(threads)
    results, errors = [], []

    def run():
        try:
            with app.app_context():
                barrier.wait()
                results.append(work())
        except Exception as exc:  # surfaced below: a thread's failure must fail the test
            errors.append(exc)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(30)
    assert errors == []
    return results


def check_two_workers_send_once(app, smtp_port) -> None:
    [message_id] = queue(1, dispatch=False)
    many = queue(10, dispatch=False)
    with smtp_server(smtp_port, Inbox(delay=0.05)) as inbox:
        outcomes = race(app, lambda: mailer.deliver(message_id))
        race(app, mailer.deliver_due)

    assert sorted(outcome.status for outcome in outcomes) == ["sent", "skipped"]
    assert len(inbox.received) == 11
    assert set(inbox.count_by_message_id().values()) == {1}
    assert {r.status for r in rows([message_id, *many])} == {"sent"}


def test_two_workers_delivering_the_same_message_send_it_once(app, db, smtp_port):
    check_two_workers_send_once(app, smtp_port)


@pytest.mark.postgres
def test_two_workers_send_once_on_postgresql(pg_app, tmp_path):
    port = free_port()
    pg_app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False,
                         SMTP_SSL=False, SMTP_TIMEOUT=5, SMTP_FROM=SENDER)
    check_two_workers_send_once(pg_app, port)


@pytest.mark.postgres
def test_concurrent_queueing_of_one_dedupe_key_makes_one_row_on_postgresql(pg_app):
    def queue_once():
        message = outbox.queue_message(kind="test", recipient="kari@example.no", language="nb",
                                       dedupe_key="invitation:17", context={"queued_on": START})
        outbox.take_dispatch_ids(_db.session)
        _db.session.commit()
        return message.id

    ids = race(pg_app, queue_once, threads=4)
    assert len(set(ids)) == 1
    assert len(rows()) == 1


@pytest.mark.parametrize("queue_mode", ["sqlite"])
def test_delivery_is_enqueued_only_when_the_transaction_commits(app, db, sqlite_queue):
    outbox.queue_test_message("kari@example.no", "nb")
    db.session.flush()
    assert sqlite_queue.pending_count() == 0
    db.session.rollback()
    assert sqlite_queue.pending_count() == 0

    message = outbox.queue_test_message("kari@example.no", "nb")
    db.session.commit()
    [task] = sqlite_queue.pending()
    assert task.name == "deliver_message" and task.args == (message.id,)


# --- the worker command -----------------------------------------------------------------------

@pytest.mark.parametrize("queue_mode", ["sqlite"])
def test_worker_burst_runs_queued_tasks_and_due_retries_then_exits(
    app, db, runner, smtp_port, sqlite_queue
):
    huey = sqlite_queue
    with time_machine.travel(START, tick=False) as clock:
        [message_id] = queue(1)
        assert huey.pending_count() == 1
        assert rows()[0].attempts == 0  # committed and queued, not yet tried

        result = runner.invoke(args=["worker", "--burst"])  # nothing listens on the port
        assert result.exit_code == 0, result.output
        assert "Ran 1 task(s)." in result.output
        assert (rows()[0].status, rows()[0].attempts) == ("pending", 1)
        assert huey.scheduled_count() == 1

        result = runner.invoke(args=["worker", "--burst"])  # the retry is not due yet
        assert "Ran 0 task(s)." in result.output

        with smtp_server(smtp_port, Inbox()) as inbox:
            clock.shift(BASE_DELAY)
            result = runner.invoke(args=["worker", "--burst"])
        assert "Ran 1 task(s)." in result.output

    assert len(inbox.received) == 1
    assert (rows()[0].status, rows()[0].attempts) == ("sent", 2)
    assert huey.pending_count() == 0 and huey.scheduled_count() == 0
