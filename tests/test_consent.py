"""A guest who sent a note may leave an address to get the results; kept apart, easy to withdraw."""

from __future__ import annotations

import email
import re
from datetime import date, timedelta
from email import policy
from pathlib import Path

import pytest
import sqlalchemy as sa

from gjestebud.extensions import db as _db
from gjestebud.models import FeedbackContact, Note, Role
from gjestebud.services import consent as consent_service
from gjestebud.services import export as export_service
from gjestebud.services import feedback_content, retention
from tests.conftest import (
    TEST_PASSWORD,
    csrf_token,
    html,
    make_campaign,
    make_meal,
    make_org,
    make_user,
)
from tests.test_guest import open_page, send

ADDRESS = "kari.nordmann@example.no"


def contacts() -> list[FeedbackContact]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(FeedbackContact).order_by(FeedbackContact.id)))


def consent_form(response) -> tuple[str, dict]:
    section = html(response).find(id="feedback-consent")
    assert section is not None, "no consent section"
    form = section.find("form")
    data = {field["name"]: field.get("value", "") for field in form.find_all("input")}
    return form["action"].split("#")[0], data


def give(client, meal, email: str, page=None, **overrides):
    action, data = consent_form(page or open_page(client, meal))
    data.update(email=email, **overrides)
    return client.post(action, data=data)


@pytest.fixture
def guest(client, meal):
    """A guest who has sent one note from this browser."""
    assert send(client, meal, "Biblioteket på lørdager").status_code == 303
    return client


# --- the offer on the guest page ---------------------------------------------------------------

def test_the_offer_appears_only_after_a_note_is_sent_and_nothing_is_filled_in(client, meal):
    section = html(open_page(client, meal)).find(id="feedback-consent")
    assert section.has_attr("hidden")

    send(client, meal, "Parken ved elva")
    section = html(open_page(client, meal)).find(id="feedback-consent")
    assert not section.has_attr("hidden")
    field = section.find("input", attrs={"name": "email"})
    assert field["type"] == "email" and field.get("value", "") == ""
    assert section.find("input", attrs={"type": "checkbox"}) is None  # nothing to untick
    text = section.find(id="consent-text").get_text(" ", strip=True)
    assert "results by e-mail" in text
    assert "apart from your notes" in text
    assert "deleted when the last feedback has been sent" in text
    assert section.find("a", string="How we handle personal data")["href"] == "/privacy"
    assert contacts() == []


def test_an_address_is_stored_only_when_given_with_its_consent_record(guest, meal):
    assert contacts() == []
    response = give(guest, meal, "  " + ADDRESS + " ")
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/m/{meal.public_token}#feedback-consent")

    [contact] = contacts()
    assert contact.email == ADDRESS
    assert (contact.campaign_id, contact.meal_id, contact.language) == (
        meal.campaign_id, meal.id, "en",
    )
    assert contact.consent_text_version == consent_service.CONSENT_TEXT_VERSION
    # Kept by the day, so the time cannot be matched with the moment a note was written.
    assert contact.consented_at.time().isoformat() == "00:00:00"
    assert contact.consented_at.date() == date.today()

    status = html(open_page(guest, meal)).find(id="feedback-consent").find(attrs={"role": "status"})
    assert "We will send the results" in status.get_text()
    # The notes are untouched and still hold nothing about anyone.
    assert [n.text for n in _db.session.scalars(sa.select(Note))] == ["Biblioteket på lørdager"]


def test_the_same_address_twice_is_kept_once(app, guest, meal):
    give(guest, meal, ADDRESS)
    # This browser is thanked instead of asked again.
    section = html(open_page(guest, meal)).find(id="feedback-consent")
    assert section.find("form") is None and section.find(attrs={"role": "status"})

    other_meal, _token = make_meal(meal.campaign, place_name="Mysen")
    phone = app.test_client()  # the same person at another meal, on another phone
    send(phone, other_meal, "Turstier")
    give(phone, other_meal, "Kari.Nordmann@EXAMPLE.no")
    [contact] = contacts()
    assert contact.meal_id == other_meal.id


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("kari.nordmann", "Enter an e-mail address like name@example.no."),
        ("kari@example.no\r\nBcc: everyone@example.no", "The e-mail address must be on one line."),
        ("", "Write your e-mail address."),
    ],
)
def test_a_bad_address_gets_a_clear_message_and_keeps_what_was_typed(guest, meal, typed, message):
    response = give(guest, meal, typed)
    assert response.status_code == 422
    page = html(response)
    error = page.find(id="consent-email-error")
    assert error.get_text(strip=True) == message
    field = page.find("input", id="consent-email")
    assert "consent-email-error" in field["aria-describedby"].split()
    assert field["aria-invalid"] == "true"
    assert field.get("value", "") == typed
    assert page.find("a", string="Back to the notes")["href"] == f"/m/{meal.public_token}"
    assert contacts() == []


def test_an_expired_form_keeps_the_address_and_stores_nothing(guest, meal):
    response = give(guest, meal, ADDRESS, csrf_token="expired")
    assert response.status_code == 400
    page = html(response)
    assert "Your address is kept" in page.find(id="consent-email-error").get_text()
    assert page.find("input", id="consent-email")["value"] == ADDRESS
    assert contacts() == []


def test_the_honeypot_pretends_success_and_stores_nothing(guest, meal):
    response = give(guest, meal, ADDRESS, website="http://spam.example")
    assert response.status_code == 303
    assert contacts() == []


def test_a_closed_campaign_takes_no_addresses(guest, meal):
    page = open_page(guest, meal)
    meal.campaign.status = "closed"
    _db.session.commit()
    response = give(guest, meal, ADDRESS, page=page)
    assert response.status_code == 303
    assert contacts() == []


class TestRateLimit:
    @pytest.fixture
    def app_config(self):
        return {"CONSENT_RATE_LIMIT": "2 per minute"}

    def test_too_many_tries_are_refused_and_keep_the_address(self, guest, meal):
        for _ in range(2):
            give(guest, meal, "not-an-address")
        response = give(guest, meal, ADDRESS)
        assert response.status_code == 429
        page = html(response)
        assert "many tries" in page.find(id="consent-email-error").get_text()
        assert page.find("input", id="consent-email")["value"] == ADDRESS
        assert contacts() == []


# --- kept apart from the notes ----------------------------------------------------------------

def test_no_foreign_key_or_shared_key_joins_an_address_to_a_note(app):
    tables = _db.metadata.tables
    contact, note = tables["feedback_contact"], tables["note"]
    assert {fk.column.table.name for fk in contact.foreign_keys} == {"campaign", "meal"}
    assert not any(fk.column.table.name == "feedback_contact" for fk in note.foreign_keys)
    for table in tables.values():
        targets = {fk.column.table.name for fk in table.foreign_keys}
        assert not {"note", "feedback_contact"} <= targets, f"{table.name} joins both"
    # No column a note and an address could be matched on, like the browser's note keys.
    shared = {"client_key", "note_id", "session_key", "ip", "ip_hash"}
    assert not shared & set(contact.columns.keys())


def test_the_notes_export_has_no_email_column_and_no_address(guest, meal):
    give(guest, meal, ADDRESS)
    assert not any("mail" in column for column in export_service.NOTES_HEADER)
    csv_text = "".join(export_service.notes_csv_chunks(meal.campaign))
    assert "Biblioteket på lørdager" in csv_text
    assert ADDRESS not in csv_text and "@" not in csv_text


# --- unsubscribe ------------------------------------------------------------------------------

def test_unsubscribe_asks_first_then_deletes_the_address(guest, meal):
    give(guest, meal, ADDRESS)
    [contact] = contacts()
    url = consent_service.unsubscribe_url(contact)
    path = url.removeprefix("http://localhost")
    assert path.startswith("/u/") and len(path) >= len("/u/") + 26  # at least 128 bits
    # Only the hash is stored.
    assert path.removeprefix("/u/") not in contact.unsubscribe_token_hash

    page = guest.get(path, query_string={"lang": "en"})
    assert page.status_code == 200 and len(contacts()) == 1  # looking changes nothing
    assert html(page).h1.get_text(strip=True) == "Stop e-mails about the results"
    response = guest.post(path, data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert contacts() == []
    done = guest.get(response.headers["Location"])
    assert "Your e-mail address is deleted" in html(done).select_one("p[role=status]").get_text()

    again = guest.get(path)
    assert again.status_code == 404
    assert html(again).h1.get_text(strip=True) == "This address is not on the list"


def test_one_click_unsubscribe_from_a_mail_client(guest, meal):
    give(guest, meal, ADDRESS)
    [contact] = contacts()
    path = consent_service.unsubscribe_url(contact).removeprefix("http://localhost")
    response = guest.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert contacts() == []


def test_unsubscribe_without_a_fresh_form_deletes_nothing(guest, meal):
    give(guest, meal, ADDRESS)
    [contact] = contacts()
    path = consent_service.unsubscribe_url(contact).removeprefix("http://localhost")
    response = guest.post(path, data={"csrf_token": "stale"})
    assert response.status_code == 400
    assert html(response).find(attrs={"role": "alert"}) is not None
    assert len(contacts()) == 1


# --- the same QR code gives the answer ----------------------------------------------------------

def report(campaign, **texts) -> None:
    feedback_content.update_feedback(campaign, feedback_content.FeedbackData(**texts))
    campaign.status = "reported"
    _db.session.commit()


def test_a_reported_campaign_shows_the_feedback_on_every_guest_link(client, meal):
    report(
        meal.campaign,
        heard_texts={"en": "Many want longer library hours.\nThe park is loved."},
        next_steps={"nb": "Biblioteket holder åpent lørdager fra mars."},
        report_url="https://kommune.example/rapport",
    )
    response = open_page(client, meal)  # a browser that never left an address
    assert response.status_code == 200
    page = html(response)
    assert page.h1.get_text(strip=True) == "Neighbourhood 2026"
    assert "Thank you for taking part" in page.find("p", class_="lead").get_text()
    assert "Askim" in page.get_text()
    headings = [h.get_text(strip=True) for h in page.find_all("h2")]
    assert headings == ["What we heard", "What happens next", "The full report"]
    heard = [p.get_text() for p in page.select(".feedback-text")[0].find_all("p")]
    assert heard == ["Many want longer library hours.", "The park is loved."]
    # Only written in bokmål: marked as such on the English page.
    assert page.select(".feedback-text")[1]["lang"] == "nb"
    assert page.find("a", string="Read the full report")["href"] == "https://kommune.example/rapport"
    assert page.find("textarea") is None

    # A note sent from a page left open is refused, and its text is given back.
    refused = client.post(f"/m/{meal.public_token}/notes", data={"text": "Benker i parken"})
    assert refused.status_code == 409
    assert html(refused).find(class_="kept-note").get_text(strip=True) == "Benker i parken"


def test_a_reported_campaign_without_texts_still_thanks_the_guest(client, meal):
    report(meal.campaign)
    page = html(open_page(client, meal))
    assert "Thank you for taking part" in page.get_text()
    assert "writing a summary" in page.get_text()


def test_a_closed_campaign_keeps_the_friendly_closed_page(client, meal):
    meal.campaign.status = "closed"
    _db.session.commit()
    page = html(open_page(client, meal))
    assert "not accepting notes any more" in page.find("p", class_="lead").get_text()
    assert page.find(string="What we heard") is None


def test_every_page_links_to_the_privacy_page(client, meal):
    footer = html(open_page(client, meal)).find("footer")
    assert footer.find("a", string="Privacy and your data")["href"] == "/privacy"


# --- staff write the feedback -----------------------------------------------------------------

def login(client, user):
    page = client.get("/staff/login")
    response = client.post(
        "/staff/login",
        data={"email": user.email, "password": TEST_PASSWORD, "csrf_token": csrf_token(page)},
    )
    assert response.status_code == 303, "login failed"


def test_staff_write_the_feedback_for_their_own_campaigns_only(client, meal):
    org = meal.campaign.organisation
    login(client, make_user(org))
    _db.session.commit()
    url = f"/staff/campaigns/{meal.campaign_id}/feedback"
    page = client.get(url, query_string={"lang": "en"})
    assert page.status_code == 200
    data = {
        "csrf_token": csrf_token(page), "heard_en": "We heard a lot.", "heard_nb": "",
        "heard_nn": "", "next_en": "", "next_nb": "Vi planlegger.", "next_nn": "",
        "report_url": "javascript:alert(1)", "retention_until": "",
    }
    refused = client.post(url, data=data)
    assert refused.status_code == 400
    assert "starting with https://" in html(refused).find(class_="error-summary").get_text()

    later = date.today() + timedelta(days=30)
    saved = client.post(url, data={
        **data, "report_url": "https://kommune.example/r", "retention_until": later.isoformat(),
    })
    assert saved.status_code == 303
    stored = feedback_content.feedback_data(meal.campaign)
    assert stored.heard_texts == {"en": "We heard a lot."}
    assert stored.next_steps == {"nb": "Vi planlegger."}
    assert retention.retention_date(meal.campaign) == later

    other = make_campaign(make_org("Drammen kommune", "drammen"))
    _db.session.commit()
    assert client.get(f"/staff/campaigns/{other.id}/feedback").status_code == 404


def test_analysts_cannot_change_the_feedback(client, meal):
    login(client, make_user(meal.campaign.organisation, role=Role.ANALYST.value))
    _db.session.commit()
    assert client.get(f"/staff/campaigns/{meal.campaign_id}/feedback").status_code == 403


def test_the_feedback_form_needs_a_login(client, meal):
    response = client.get(f"/staff/campaigns/{meal.campaign_id}/feedback")
    assert response.status_code in (302, 303, 401)


def test_every_feedback_email_carries_a_working_unsubscribe_link(app, guest, meal):
    give(guest, meal, ADDRESS)
    [contact] = contacts()
    consent_service.queue_feedback(
        contact, {"campaign_title": "Nærmiljø 2026", "heard": "Parken er viktig."}
    )
    retention.feedback_sent(meal.campaign)
    _db.session.commit()

    [eml] = list(Path(app.config["MAIL_FOLDER"]).glob("*.eml"))
    mail = email.message_from_bytes(eml.read_bytes(), policy=policy.default)
    text = mail.get_body(("plain",)).get_content()
    assert "Parken er viktig." in text
    path = re.search(r"http://localhost(/u/[a-z0-9]+)", text).group(1)
    assert path in mail.get_body(("html",)).get_content()

    page = guest.get(path)
    guest.post(path, data={"csrf_token": csrf_token(page)})
    assert contacts() == []
