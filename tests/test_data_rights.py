"""A person asks to see or delete their data; a single-use link by e-mail decides, not the form."""

from __future__ import annotations

import csv
import email
import io
import json
import re
from datetime import datetime, timedelta
from email import policy
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from gjestebud.extensions import db as _db
from gjestebud.models import DataRequest, FeedbackContact, Message
from gjestebud.services import consent
from tests.conftest import csrf_token, html, make_meal

ADDRESS = "kari.nordmann@example.no"
LINK = re.compile(r"http://localhost(/my-data/[a-z0-9]+)")


@pytest.fixture
def contact(meal):
    contact = consent.give_consent(meal, ADDRESS, "en")
    _db.session.commit()
    return contact


def ask(client, address: str, purpose: str):
    page = client.get("/my-data", query_string={"lang": "en"})
    return client.post(
        "/my-data",
        data={"csrf_token": csrf_token(page), "email": address, "purpose": purpose, "website": ""},
    )


def mailed_link(app, address: str = ADDRESS) -> str:
    """The link in the e-mail that arrived in the test mail folder."""
    files = sorted(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
    mails = [email.message_from_bytes(f.read_bytes(), policy=policy.default) for f in files]
    mine = [m for m in mails if m["To"].addresses[0].addr_spec == address]
    assert len(mine) == 1, f"expected one e-mail to {address}, got {len(mine)}"
    text = mine[0].get_body(("plain",)).get_content()
    match = LINK.search(text)
    assert match, "no link in the e-mail"
    return match.group(1)


def confirm(client, path: str, **data):
    page = client.get(path, query_string={"lang": "en"})
    assert page.status_code == 200, page.status_code
    return client.post(path, data={"csrf_token": csrf_token(page), **data})


def contacts() -> list[str]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(FeedbackContact.email)))


def test_export_through_the_link_in_the_email(app, client, contact):
    response = ask(client, ADDRESS, "export")
    assert response.status_code == 303
    sent_page = html(client.get(response.headers["Location"]))
    assert "The link works once, for 7 days" in sent_page.select_one("p[role=status]").get_text()

    path = mailed_link(app)
    token = path.rsplit("/", 1)[1]
    assert len(token) >= 26  # base32: at least 128 bits
    assert token not in {r.token_hash for r in _db.session.scalars(sa.select(DataRequest))}
    # Opening the link (or a mail scanner fetching it) changes nothing.
    assert client.get(path).status_code == 200
    download = confirm(client, path, format="json")
    assert download.status_code == 200
    assert download.mimetype == "application/json"
    assert "attachment" in download.headers["Content-Disposition"]
    data = json.loads(download.get_data(as_text=True))
    assert data["email"] == ADDRESS
    [held] = data["feedback_contacts"]
    assert held["campaign"] == "Neighbourhood 2026"
    assert held["place"] == "Askim"
    assert held["organisation"] == "Indre Østfold kommune"
    assert held["language"] == "en"
    assert held["consent_text_version"] == consent.CONSENT_TEXT_VERSION
    assert held["consented_on"] == datetime.now().date().isoformat()
    assert [m["kind"] for m in data["messages"]] == ["data_request"]
    assert contacts() == [ADDRESS]  # seeing is not deleting

    # Single use: the link refuses a second time.
    again = client.get(path, query_string={"lang": "en"})
    assert again.status_code == 410
    assert html(again).h1.get_text(strip=True) == "This link no longer works"


def test_export_as_csv(app, client, contact):
    ask(client, ADDRESS, "export")
    download = confirm(client, mailed_link(app), format="csv")
    assert download.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(download.get_data(as_text=True))))
    assert [r["record"] for r in rows] == ["feedback_contact", "message"]
    assert rows[0]["email"] == ADDRESS and rows[0]["place"] == "Askim"


def test_delete_through_the_link_removes_the_address_everywhere(app, client, contact, campaign):
    other_meal, _token = make_meal(campaign, place_name="Svelvik")
    consent.give_consent(other_meal, "someone.else@example.no", "nb")
    _db.session.commit()

    ask(client, ADDRESS, "delete")
    path = mailed_link(app)
    page = html(client.get(path, query_string={"lang": "en"}))
    assert page.h1.get_text(strip=True) == "Delete your data"
    response = confirm(client, path)
    assert response.status_code == 303
    done = html(client.get(response.headers["Location"]))
    assert "deleted" in done.select_one("p[role=status]").get_text()

    assert contacts() == ["someone.else@example.no"]
    recipients = set(_db.session.scalars(sa.select(Message.recipient)))
    assert ADDRESS not in recipients
    assert not any(ADDRESS in (m.body_text + m.body_html + m.subject)
                   for m in _db.session.scalars(sa.select(Message)))
    assert client.get(path).status_code == 410


def test_the_answer_is_the_same_for_an_unknown_address_and_nothing_is_sent(app, client, contact):
    known = ask(client, ADDRESS, "delete")
    unknown = ask(client, "nobody@example.no", "delete")
    assert (known.status_code, known.headers["Location"]) == (
        unknown.status_code, unknown.headers["Location"],
    )
    assert known.get_data() == unknown.get_data()
    kinds = [(m.recipient, m.kind) for m in _db.session.scalars(sa.select(Message))]
    assert kinds == [(ADDRESS, "data_request")]


def test_an_expired_link_is_refused_and_deletes_nothing(app, client, contact):
    with time_machine.travel(datetime.now() - timedelta(days=7, minutes=1)):
        ask(client, ADDRESS, "delete")
    path = mailed_link(app)
    response = client.get(path, query_string={"lang": "en"})
    assert response.status_code == 410
    assert "for 7 days" in html(response).get_text()
    assert client.post(path, data={}).status_code == 410
    assert contacts() == [ADDRESS]


def test_a_link_within_seven_days_works(app, client, contact):
    with time_machine.travel(datetime.now() - timedelta(days=6, hours=23)):
        ask(client, ADDRESS, "delete")
    assert confirm(client, mailed_link(app)).status_code == 303
    assert contacts() == []


def test_a_made_up_link_is_not_found(client):
    assert client.get("/my-data/abcdefghijklmnopqrstuvwxyz234567").status_code == 404


def test_the_button_needs_a_fresh_form(app, client, contact):
    ask(client, ADDRESS, "delete")
    path = mailed_link(app)
    response = client.post(path, data={"csrf_token": "stale"})
    assert response.status_code == 400
    assert contacts() == [ADDRESS]


@pytest.mark.parametrize(
    ("address", "purpose", "message"),
    [
        ("kari@", "export", "Enter an e-mail address like name@example.no."),
        ("kari@example.no\nBcc: x@example.no", "export", "The e-mail address must be on one line."),
        (ADDRESS, "", "Choose what you want us to do."),
    ],
)
def test_a_bad_request_gets_a_clear_message_and_keeps_the_address(
    client, contact, address, purpose, message
):
    response = ask(client, address, purpose)
    assert response.status_code == 400
    page = html(response)
    assert message in page.find(class_="error-summary").get_text()
    assert page.find("input", attrs={"name": "email"})["value"] == address
    assert _db.session.scalar(sa.select(sa.func.count(DataRequest.id))) == 0


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"DATA_REQUEST_RATE_LIMIT": "2 per hour"}

    def test_many_requests_are_refused_and_keep_the_address(self, client, contact):
        for _ in range(2):
            ask(client, "x@example.no", "export")
        response = ask(client, ADDRESS, "export")
        assert response.status_code == 429
        page = html(response)
        assert "many tries" in page.find(attrs={"role": "alert"}).get_text()
        assert page.find("input", attrs={"name": "email"})["value"] == ADDRESS


def _host_with_a_meal(campaign, address: str = ADDRESS):
    """Kari, invited and registered, with a phone number and a note of a call about her."""
    from gjestebud.models import ContactLog
    from gjestebud.services import invitations as inv
    from gjestebud.services import meals as meal_service

    invitation = inv.add_host(campaign, inv.HostData(name="Kari Nordmann", email=address,
                                                     phone="912 34 567"))
    meal, _token = inv.register_from_invitation(invitation, meal_service.MealRegistration(
        host_name="Kari Nordmann", email=address, phone="912 34 567",
        place_id=campaign.places[0].id, target_group_id=campaign.target_groups[0].id,
        held_on=datetime.now().date() + timedelta(days=3), expected_guests=6))
    _db.session.add(ContactLog(invitation_id=invitation.id, method="phone",
                               note="Kari ringer tilbake etter ferien"))
    _db.session.commit()
    return invitation, meal


def test_a_host_can_download_and_delete_their_contact_details(app, client, campaign):
    from gjestebud.models import ContactLog, Host, Invitation, Meal

    invitation, meal = _host_with_a_meal(campaign)
    other, _ = make_meal(campaign, place_name="Svelvik")
    ask(client, ADDRESS, "export")
    data = json.loads(confirm(client, mailed_link(app), format="json").get_data(as_text=True))
    (host,) = data["hosts"]
    assert (host["name"], host["phone"], host["email"]) == ("Kari Nordmann", "912 34 567",
                                                            ADDRESS)
    assert host["meals"][0]["place"] == campaign.places[0].name

    ask(client, ADDRESS, "delete")
    links = [m for m in Path(app.config["MAIL_FOLDER"]).glob("*.eml")]
    assert links  # a second link came for the deletion
    path = LINK.findall(
        "".join(email.message_from_bytes(f.read_bytes(), policy=policy.default)
                .get_body(("plain",)).get_content() for f in sorted(links)))[-1]
    assert confirm(client, path).status_code == 303
    _db.session.expire_all()
    kari = _db.session.get(Host, invitation.host_id)
    assert (kari.name, kari.email, kari.phone) == ("–", None, None)
    assert _db.session.get(Invitation, invitation.id).opted_out_at is not None
    assert _db.session.scalar(sa.select(ContactLog.note)) == ""
    assert _db.session.get(Meal, meal.id) is not None  # the meal stays in the figures
    assert _db.session.get(Host, other.host_id).email == "ola@example.no"
    assert not any(ADDRESS in (m.body_text + m.body_html + m.recipient)
                   for m in _db.session.scalars(sa.select(Message)))


def test_hosts_are_forgotten_once_every_campaign_of_theirs_is_past_its_retention_date(
    app, campaign, org
):
    from gjestebud.models import Host
    from gjestebud.services import retention
    from tests.conftest import make_campaign

    invitation, _meal = _host_with_a_meal(campaign)
    later = make_campaign(org, title="Neste år")
    _db.session.commit()
    _still, _ = make_meal(later)
    campaign.closes_on = datetime.now().date() - timedelta(days=200)
    later.closes_on = datetime.now().date() + timedelta(days=30)
    _db.session.commit()
    with app.app_context():
        result = retention.purge()
        _db.session.commit()
    assert result.hosts == 1
    _db.session.expire_all()
    assert _db.session.get(Host, invitation.host_id).name == "–"
    assert _db.session.get(Host, _still.host_id).name == "Ola Vert"
