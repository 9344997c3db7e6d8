"""A guest leaves an address for the results, withdraws it, and later sees the feedback."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from gjestebud.extensions import db as _db
from gjestebud.models import Campaign, FeedbackContact
from gjestebud.services import consent, feedback_content
from tests.browser.conftest import assert_no_axe_violations
from tests.conftest import make_campaign, make_meal, make_org

ADDRESS = "kari.nordmann@example.no"


@pytest.fixture
def guest_url(live_app, live_server) -> str:
    with live_app.app_context():
        campaign = make_campaign(make_org())
        meal, _host_token = make_meal(campaign)
        token = meal.public_token
    return f"{live_server.url}/m/{token}"


def stored_contacts(live_app) -> list[FeedbackContact]:
    with live_app.app_context():
        return list(_db.session.scalars(sa.select(FeedbackContact)))


def unsubscribe_path(live_app) -> str:
    with live_app.app_context():
        [contact] = _db.session.scalars(sa.select(FeedbackContact)).all()
        return "/u/" + consent.unsubscribe_token(contact)


def report_campaign(live_app) -> None:
    with live_app.app_context():
        campaign = _db.session.scalars(sa.select(Campaign)).one()
        feedback_content.update_feedback(campaign, feedback_content.FeedbackData(
            heard_texts={"en": "Many of you love the park by the river."},
            next_steps={"en": "The library opens on Saturdays from March."},
            report_url="https://kommune.example/rapport",
        ))
        campaign.status = "reported"
        _db.session.commit()


def send_note(page, text: str) -> None:
    pad = page.locator("#question-1")
    pad.get_by_label("Your note", exact=True).fill(text)
    pad.get_by_role("button", name="Send note").click()
    expect(pad.locator("li", has_text=text).locator(".note-status")).to_have_text("Sent")


def unsubscribe(page, live_server, live_app) -> None:
    """Follow the unsubscribe link from the e-mail: the address is gone."""
    page.goto(live_server.url + unsubscribe_path(live_app))
    expect(page.locator("h1")).to_have_text("Stop e-mails about the results")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Unsubscribe and delete my address").click()
    expect(page.locator("h1")).to_have_text("You are unsubscribed")
    assert_no_axe_violations(page)
    assert stored_contacts(live_app) == []


def test_a_guest_asks_for_the_results_then_unsubscribes_then_sees_the_feedback(
    live_app, live_server, guest_url, phone
):
    page = phone.new_page()
    page.goto(guest_url + "?lang=en")
    offer = page.locator("#feedback-consent")
    expect(offer).to_be_hidden()  # nothing to ask before a note is sent

    send_note(page, "Parken ved elva")
    expect(offer).to_be_visible()
    field = offer.get_by_label("Your e-mail address")
    expect(field).to_have_value("")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)

    field.fill("kari.nordmann")  # a slip of the thumb
    offer.get_by_role("button", name="Send me the results").click()
    expect(page.locator("#consent-email-error")).to_have_text(
        "Enter an e-mail address like name@example.no."
    )
    expect(page.get_by_label("Your e-mail address")).to_have_value("kari.nordmann")
    assert_no_axe_violations(page)
    assert stored_contacts(live_app) == []

    page.get_by_label("Your e-mail address").fill(ADDRESS)
    page.get_by_role("button", name="Send me the results").click()
    status = page.locator("#feedback-consent [role=status]")
    expect(status).to_contain_text("We will send the results")
    assert_no_axe_violations(page)
    [contact] = stored_contacts(live_app)
    assert contact.email == ADDRESS

    unsubscribe(page, live_server, live_app)

    # The municipality reports: the same QR link now gives the answer, e-mail or not.
    report_campaign(live_app)
    page.goto(guest_url)
    expect(page.locator("h1")).to_have_text("Neighbourhood 2026")
    expect(page.locator(".feedback-text").first).to_have_text(
        "Many of you love the park by the river."
    )
    expect(page.get_by_role("link", name="Read the full report")).to_have_attribute(
        "href", "https://kommune.example/rapport"
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
    assert_no_axe_violations(page)


def test_consent_works_without_javascript(live_app, guest_url, browser):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    try:
        page = context.new_page()
        page.goto(guest_url + "?lang=en")
        expect(page.locator("#feedback-consent")).to_be_hidden()
        pad = page.locator("#question-2")
        pad.get_by_label("Your note", exact=True).fill("Leksehjelp")
        pad.get_by_role("button", name="Send note").click()
        page.wait_for_url("**#question-2")
        page.get_by_label("Your e-mail address").fill(ADDRESS)
        page.get_by_role("button", name="Send me the results").click()
        page.wait_for_url("**#feedback-consent")
        expect(page.locator("#feedback-consent [role=status]")).to_contain_text("Thank you")
        assert [c.email for c in stored_contacts(live_app)] == [ADDRESS]
    finally:
        context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_privacy_pages_pass_axe(live_app, live_server, guest_url, request, device):
    context = request.getfixturevalue(device)
    page = context.new_page()
    width = page.viewport_size["width"]

    page.goto(live_server.url + "/privacy")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width

    page.goto(live_server.url + "/my-data?lang=en")
    assert_no_axe_violations(page)
    page.get_by_role("button", name="Send me a link").click()  # nothing filled in
    expect(page.locator(".error-summary")).to_be_visible()
    assert_no_axe_violations(page)
    page.get_by_label("Your e-mail address").fill(ADDRESS)
    page.get_by_label("Delete the data you hold about me").check()
    page.get_by_role("button", name="Send me a link").click()
    expect(page.locator("h1")).to_have_text("Check your e-mail")
    assert_no_axe_violations(page)

    page.goto(live_server.url + "/u/abcdefghijklmnopqrstuvwxyz234567")
    assert_no_axe_violations(page)

    report_campaign(live_app)
    page.goto(guest_url)
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_consent_and_unsubscribe_pass_axe_on_a_desktop(live_app, live_server, guest_url, desktop):
    page = desktop.new_page()
    page.goto(guest_url + "?lang=en")
    send_note(page, "Lengre åpningstider")
    offer = page.locator("#feedback-consent")
    offer.get_by_label("Your e-mail address").fill(ADDRESS)
    offer.get_by_role("button", name="Send me the results").click()
    expect(page.locator("#feedback-consent [role=status]")).to_contain_text("We will send")
    assert_no_axe_violations(page)

    unsubscribe(page, live_server, live_app)
    assert page.evaluate("document.documentElement.scrollWidth") <= 1280
