"""Background tasks on the app's Huey queue.

Tasks are registered per app by `register()` (called from `jobs.init_app`), not on a
module-level queue: each app (and each test) gets its own queue, and every task runs inside
the app context of the app that registered it, so nothing is built at import time.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import sqlalchemy as sa
from flask import Flask, current_app, has_app_context
from huey import Huey, crontab
from huey.api import TaskWrapper
from sqlalchemy.orm import Session

from .models import utcnow
from .services import mailer, outbox

logger = logging.getLogger(__name__)

EXTENSION = "gjestebud_tasks"


@dataclass(frozen=True)
class Tasks:
    """The task handles of one app: call one to enqueue it."""

    deliver_message: TaskWrapper
    deliver_due_messages: TaskWrapper


def register(huey: Huey, app: Flask) -> Tasks:
    """Declare the tasks on this app's queue; they run in this app's context."""

    @huey.task(name="deliver_message")
    def deliver_message(message_id: int) -> None:
        """Deliver one outbox message; schedule the next try when it has to wait."""
        with app.app_context():
            outcome = mailer.deliver(message_id)
        if outcome.retry_at is not None:
            delay = max(0.0, (outcome.retry_at - utcnow()).total_seconds())
            deliver_message.schedule((message_id,), delay=delay)

    # The queue may lose a task (a crash between commit and enqueue, a flushed Redis): the
    # outbox table is the truth, and this sweep delivers whatever is due, every minute.
    @huey.periodic_task(crontab(minute="*"), name="deliver_due_messages")
    def deliver_due_messages() -> None:
        """Deliver every pending outbox message whose time has come."""
        with app.app_context():
            mailer.deliver_due()

    return Tasks(deliver_message=deliver_message, deliver_due_messages=deliver_due_messages)


def install_commit_hook() -> None:
    """Enqueue delivery of queued messages only once the transaction that queued them commits."""
    if not sa.event.contains(Session, "after_commit", _after_commit):
        sa.event.listen(Session, "after_commit", _after_commit)
        sa.event.listen(Session, "after_transaction_end", _after_transaction_end)


def _after_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint was released; the outer transaction may still roll back
    message_ids = outbox.take_dispatch_ids(session)
    if not message_ids or not has_app_context():
        return
    tasks: Tasks | None = current_app.extensions.get(EXTENSION)
    if tasks is None:
        return
    for message_id in message_ids:
        try:
            tasks.deliver_message(message_id)
        except Exception:  # the periodic sweep delivers it; never fail the caller's commit
            logger.warning("Message %s could not be enqueued; the sweep will send it", message_id,
                           exc_info=True)


def _after_transaction_end(session: Session, transaction) -> None:
    if transaction.parent is None:
        # Rolled back or closed without commit: forget what was queued in it.
        outbox.take_dispatch_ids(session)
