"""The host gets the link to their meal page by e-mail, through a real SMTP server."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gjestebud.extensions import db as _db
from gjestebud.models import Message
from tests.conftest import html
from tests.test_host import post_registration
from tests.test_mail_delivery import SENDER, Inbox, free_port, smtp_server


@pytest.fixture
def smtp_port() -> int:
    return free_port()


@pytest.fixture
def app_config(tmp_path, smtp_port):
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": smtp_port, "SMTP_STARTTLS": False,
            "SMTP_SSL": False, "SMTP_TIMEOUT": 5, "SMTP_FROM": SENDER,
            "MAIL_FOLDER": str(tmp_path / "outbox")}


def test_a_host_who_registers_with_an_address_gets_the_meal_link_once(
    client, campaign, db, smtp_port
):
    with smtp_server(smtp_port, Inbox()) as inbox:
        response = post_registration(client, campaign, language="nb")
        assert response.status_code == 303
        meal_url = "http://localhost" + response.headers["Location"]
    (received,) = inbox.received
    assert received["To"] == "aisha@example.no"
    assert received["Subject"].startswith("Siden for måltidet ditt")
    plain = received.get_body(("plain",)).get_content()
    rich = received.get_body(("html",)).get_content()
    assert meal_url in plain and f'href="{meal_url}"' in rich
    assert "Aisha Vertinne" in plain
    page = html(client.get(response.headers["Location"] + "?lang=en"))
    assert "We have also sent it by e-mail to aisha@example.no" in page.select_one(
        ".save-link").get_text()


def test_a_host_without_an_address_is_told_the_link_was_sent_nowhere(client, campaign, db):
    response = post_registration(client, campaign, email="", phone="912 34 567")
    _db.session.expire_all()
    assert _db.session.scalar(sa.select(sa.func.count(Message.id))) == 0
    page = html(client.get(response.headers["Location"] + "?lang=en"))
    assert "we have not sent it anywhere" in page.select_one(".save-link").get_text()
