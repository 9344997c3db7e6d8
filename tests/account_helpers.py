"""Helpers for the staff account tests: logging in (with a second factor), reading e-mails."""

from __future__ import annotations

import re

import pyotp

from gjestebud.extensions import db
from gjestebud.models import Message
from tests.conftest import TEST_PASSWORD, csrf_token, html

LINK = re.compile(r"https?://\S+/staff/account/password/[a-z0-9]+")


def login(client, email, password=TEST_PASSWORD, next_path=None):
    """Send the password step; returns the response (a redirect, or a page)."""
    url = "/staff/login?lang=en" + (f"&next={next_path}" if next_path else "")
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page), "email": email,
                                  "password": password})


def send_code(client, code, url="/staff/account/code?lang=en"):
    page = client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(page), "code": code})


def logout(client):
    page = client.get("/staff/account/?lang=en")
    client.post("/staff/logout", data={"csrf_token": csrf_token(page)})


def current_code(secret: str, at: float | None = None) -> str:
    return pyotp.TOTP(secret).at(at) if at is not None else pyotp.TOTP(secret).now()


def messages(kind: str | None = None) -> list[Message]:
    query = db.select(Message).order_by(Message.id)
    if kind:
        query = query.where(Message.kind == kind)
    return list(db.session.scalars(query))


def link_in(message: Message) -> str:
    """The password link in an e-mail's plain text, as a path for the test client."""
    found = LINK.search(message.body_text)
    assert found, "no password link in the e-mail"
    return found.group(0).removeprefix("http://localhost")


def alert_text(response) -> str:
    alert = html(response).find(attrs={"role": "alert"})
    return " ".join(alert.get_text(" ").split()) if alert else ""
