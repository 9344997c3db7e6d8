"""The results e-mail and a later update in Chromium at 360 and 1280 px: write, preview in each
language, confirm and send; every new page passes axe; the update reaches the guest links."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from gjestebud.extensions import db
from gjestebud.models import Campaign, Meal, Message
from gjestebud.services import consent
from tests.browser.conftest import assert_no_axe_violations, staff_log_in
from tests.conftest import make_campaign, make_org, make_user
from tests.report_data import seed_report_campaign

EMAIL = "koordinator@example.no"


@pytest.fixture
def seeded(live_app):
    """The analysed report campaign, a coordinator, and a guest who asked for the results."""
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL, role="coordinator")
        campaign = make_campaign(org)
        db.session.commit()
        seed_report_campaign(campaign)
        consent.give_consent(campaign.meals[0], "kari.nordmann@example.no", "en")
        db.session.commit()
        return campaign.id


def log_in(page, base_url):
    staff_log_in(page, base_url, EMAIL)


def check_page(page) -> None:
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


def feedback_mail(live_app) -> list[Message]:
    with live_app.app_context():
        return list(db.session.scalars(
            sa.select(Message).where(Message.kind.startswith("feedback_"))))


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_compose_preview_and_send_the_results(live_server, live_app, seeded, request, device):
    page = request.getfixturevalue(device).new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/campaigns/{seeded}")
    page.get_by_role("link", name="E-mails to participants").click()
    expect(page.locator("h1")).to_contain_text("E-mails to participants")
    check_page(page)

    page.get_by_role("link", name="Write the results e-mail").click()
    body = page.get_by_label("What we heard (Bokmål)")
    expect(body).to_contain_text("Gaming og e-sport")  # filled in from the analysis
    check_page(page)

    # Forgetting the subject: a clear message, and the edited results are kept.
    page.get_by_label("Subject (Bokmål)").fill("")
    body.fill("Mange av dere ønsker seg et spillrom.")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator(".error-summary")).to_contain_text("main language")
    expect(page.get_by_label("What we heard (Bokmål)")).to_have_value(
        "Mange av dere ønsker seg et spillrom.")
    check_page(page)

    page.get_by_label("Subject (Bokmål)").fill("Takk for gjestebudet!")
    page.get_by_role("button", name="Save and preview").click()
    expect(page.locator("#preview-subject")).to_have_text("Takk for gjestebudet!")
    expect(page.locator("#preview-text")).to_contain_text("Mange av dere ønsker seg et spillrom.")
    check_page(page)

    page.get_by_role("navigation", name="Language of the preview").get_by_role(
        "link", name="English").click()
    page.get_by_role("link", name="To a guest").click()
    expect(page.locator("#preview-text")).to_contain_text(
        "Thank you for taking part in Neighbourhood 2026!")
    expect(page.locator("#preview-text")).to_contain_text("/u/")
    check_page(page)

    page.get_by_role("link", name="Open the e-mail as a mail program shows it").click()
    expect(page.locator("h1")).to_have_text("Thank you for taking part in Neighbourhood 2026!")
    assert_no_axe_violations(page)
    page.go_back()

    page.get_by_role("link", name="Go on to sending").click()
    expect(page.locator("#recipients tfoot td")).to_have_text(["1", "1"])
    check_page(page)
    assert feedback_mail(live_app) == []

    page.get_by_role("button", name="Send to 2 people").click()
    expect(page.locator(".flashes")).to_contain_text("Sent to 1 host and 1 guest")
    expect(page.locator("#delivery .delivery-sent .count")).to_have_text("2")
    check_page(page)
    assert sorted(m.kind for m in feedback_mail(live_app)) == [
        "feedback_thanks", "feedback_thanks_host"]


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_an_update_is_published_on_the_guest_links(live_server, live_app, seeded, request,
                                                    device):
    page = request.getfixturevalue(device).new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/campaigns/{seeded}/feedback/messages/new/update")
    page.get_by_label("Subject (Bokmål)").fill("Nytt spillrom i Svelvik")
    page.get_by_label("The news (Bokmål)").fill(
        "Vi har kjøpt inn gamingutstyr til Svelvik bibliotek.")
    page.get_by_label("gaming og e-sport").check()
    check_page(page)
    page.get_by_role("button", name="Save and preview").click()
    page.get_by_role("link", name="Go on to sending").click()
    page.get_by_role("button", name="Publish and send to 2 people").click()
    expect(page.locator("#sent-status")).to_contain_text("Sent on")
    expect(page.get_by_role("link", name="Change the text")).to_have_count(0)

    with live_app.app_context():
        campaign = db.session.get(Campaign, seeded)
        campaign.status = "reported"
        token = db.session.scalars(sa.select(Meal.public_token)).first()
        db.session.commit()
    guest = request.getfixturevalue(device).new_page()
    guest.goto(f"{live_server.url}/m/{token}?lang=nb")
    news = guest.locator(".updates li")
    expect(news.locator("h3")).to_have_text("Nytt spillrom i Svelvik")
    expect(news).to_contain_text("gaming og e-sport")
    check_page(guest)
