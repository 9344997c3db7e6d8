"""Helpers shared by the invitation, funnel and reminder tests."""

from __future__ import annotations

import email
import re
from email import policy
from pathlib import Path

import sqlalchemy as sa

from gjestebud.extensions import db
from gjestebud.models import Message
from gjestebud.services import invitations as inv
from tests.conftest import TEST_PASSWORD, csrf_token

COORDINATOR = "koordinator@example.no"


def login(client, email_address: str = COORDINATOR):
    """Log in as staff, with the interface in English."""
    page = client.get("/staff/login?lang=en")
    response = client.post("/staff/login?lang=en", data={
        "csrf_token": csrf_token(page), "email": email_address, "password": TEST_PASSWORD,
    })
    assert response.status_code == 303, "login failed"
    return response


def staff_path(campaign, path: str) -> str:
    return f"/staff/campaigns/{campaign.id}/{path}"


def add(campaign, name: str, email_address: str | None = None, *, phone: str | None = None,
        language: str = "nb", place: str | None = None, group: str | None = None):
    """Add a host through the service, as a coordinator would; returns the invitation."""
    place_id = next(p.id for p in campaign.places if p.name == place) if place else None
    group_id = next(g.id for g in campaign.target_groups if g.name == group) if group else None
    invitation = inv.add_host(campaign, inv.HostData(
        name=name, email=email_address, phone=phone, language=language, place_id=place_id,
        target_group_id=group_id,
    ))
    db.session.commit()
    return invitation


def messages(kind: str | None = None) -> list[Message]:
    db.session.expire_all()
    query = sa.select(Message).order_by(Message.id)
    if kind:
        query = query.where(Message.kind == kind)
    return list(db.session.scalars(query))


LINK = re.compile(r"http://localhost(/i/[a-z0-9]{26,})")


def personal_path(message: Message) -> str:
    """The personal link's path in a message's plain text."""
    found = LINK.search(message.body_text)
    assert found, "the message has no personal link"
    return found.group(1)


def read_eml(path: Path):
    return email.message_from_bytes(path.read_bytes(), policy=policy.default)


def eml_files(app) -> list[Path]:
    return sorted(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
