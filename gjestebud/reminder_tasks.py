"""The daily reminder task on the app's Huey queue. Registered per app like `tasks.py`."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from huey import Huey, crontab
from huey.api import TaskWrapper

from .extensions import db
from .services import reminders

logger = logging.getLogger(__name__)

EXTENSION = "gjestebud_reminder_tasks"


@dataclass(frozen=True)
class ReminderTasks:
    """The task handles of one app: call one to enqueue it."""

    send_reminders: TaskWrapper


def register(huey: Huey, app: Flask) -> ReminderTasks:
    """Declare the reminder task on this app's queue; it runs in this app's context."""

    # Once a day in the morning (UTC), when a reminder is most likely to be read the same day.
    @huey.periodic_task(crontab(hour="7", minute="15"), name="send_reminders")
    def send_reminders() -> int:
        """Queue every due reminder e-mail; the outbox delivers them after the commit."""
        with app.app_context():
            try:
                queued = reminders.send_due_reminders()
                db.session.commit()
            except Exception:
                db.session.rollback()
                logger.exception("The reminder run failed; nothing was queued")
                raise
            return len(queued)

    return ReminderTasks(send_reminders=send_reminders)
