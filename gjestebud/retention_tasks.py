"""The daily retention task: deletes personal data whose time is up. Registered per app."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from huey import Huey, crontab
from huey.api import TaskWrapper

from .extensions import db
from .services import retention

logger = logging.getLogger(__name__)

EXTENSION = "gjestebud_retention_tasks"


@dataclass(frozen=True)
class RetentionTasks:
    """The task handles of one app: call one to enqueue it."""

    purge_personal_data: TaskWrapper


def register(huey: Huey, app: Flask) -> RetentionTasks:
    """Declare the daily retention task on this app's queue; it runs in this app's context."""

    # Daily at night; a missed night is caught up the next, since every rule compares with "now".
    @huey.periodic_task(crontab(hour="3", minute="17"), name="purge_personal_data")
    def purge_personal_data() -> None:
        """Delete feedback addresses, old e-mail content and expired data requests."""
        with app.app_context():
            try:
                result = retention.purge()
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
        # Counts only: what was deleted is never logged.
        logger.info(
            "Retention: %s feedback address(es) deleted, %s e-mail(s) wiped, "
            "%s data request(s) deleted, %s host(s) forgotten",
            result.contacts, result.messages, result.data_requests, result.hosts,
        )

    return RetentionTasks(purge_personal_data=purge_personal_data)
