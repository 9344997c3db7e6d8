"""Invitations in Chromium: a coordinator adds and invites a host, the host accepts and registers;
every coordination page, the invitation page and the letter pass axe at 360 and 1280 px."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from gjestebud.extensions import db
from gjestebud.models import Campaign, Invitation, Message
from gjestebud.services import invitations as inv
from gjestebud.services.invitation_links import personal_url
from tests.browser.conftest import assert_no_axe_violations, staff_log_in
from tests.conftest import make_campaign, make_meal, make_org, make_user

EMAIL = "koordinator@example.no"
LINK = re.compile(r"https?://[^/\s]+(/i/[a-z0-9]+)")


@pytest.fixture
def seeded(live_app):
    """An open campaign with a coordinator; returns the campaign id."""
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL, role="coordinator")
        campaign = make_campaign(org)
        db.session.commit()
        return campaign.id


def watch_console(page) -> list[str]:
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    return errors


def log_in(page, base_url):
    staff_log_in(page, base_url, EMAIL)


def personal_link(live_app, recipient: str) -> str:
    with live_app.app_context():
        message = db.session.scalar(sa.select(Message).where(
            Message.kind == "invitation", Message.recipient == recipient))
        assert message is not None and message.status == "sent"
        return LINK.search(message.body_text).group(1)


def test_a_coordinator_invites_a_host_who_accepts_and_registers(
    live_server, live_app, seeded, desktop, phone
):
    campaign_id = seeded
    staff = desktop.new_page()
    errors = watch_console(staff)
    log_in(staff, live_server.url)
    staff.goto(f"{live_server.url}/staff/campaigns/{campaign_id}")
    staff.click("text=Hosts and invitations")
    staff.wait_for_url(f"**/staff/campaigns/{campaign_id}/invitations")

    staff.fill("#name", "Aisha Vertinne")
    staff.fill("#email", "aisha@example.no")
    staff.select_option("#language", "en")
    staff.select_option("#place", label="Mysen")
    staff.select_option("#target_group", label="språkkafé")
    staff.click("form.add-host input[type=submit]")
    staff.wait_for_selector(".flashes .flash")
    assert "Aisha Vertinne is added" in staff.inner_text(".flashes")
    assert staff.inner_text("table.hosts tbody tr td.status") == "Not sent yet"

    staff.click("text=Send the invitation to 1 host")
    staff.wait_for_selector("text=1 invitation is on its way.")
    assert staff.inner_text("table.hosts tbody tr td.status").startswith("Invited")
    assert errors == []

    # The host opens the link from the e-mail on a phone.
    host = phone.new_page()
    host_errors = watch_console(host)
    host.goto(live_server.url + personal_link(live_app, "aisha@example.no"))
    assert host.locator("html").get_attribute("lang") == "en"
    assert host.inner_text("h1") == "You are invited to host a gjestebud"
    assert_no_axe_violations(host)
    host.click("text=Yes, I want to host")
    host.wait_for_url(re.compile(r"/i/[a-z0-9]+/register$"))
    assert host.input_value("#host_name") == "Aisha Vertinne"
    assert host.input_value("#email") == "aisha@example.no"
    assert host.locator("#place option:checked").inner_text() == "Mysen"
    assert host.locator("#target_group option:checked").inner_text() == "språkkafé"
    assert_no_axe_violations(host)
    host.fill("#held_on", (date.today() + timedelta(days=4)).isoformat())
    host.fill("#expected_guests", "8")
    host.click("form.host-form input[type=submit]")
    host.wait_for_url(re.compile(r"/h/[a-z0-9]+$"))
    assert host.inner_text("h1") == "Your meal"
    assert host_errors == []

    with live_app.app_context():
        invitation = db.session.scalar(sa.select(Invitation))
        assert invitation.status == "registered" and invitation.meal is not None

    staff.click("text=Follow-up")
    staff.wait_for_url("**/funnel")
    assert staff.inner_text("li[data-stage=registered] .funnel-count") == "1"
    assert staff.locator("#position-registered .host-card h4").inner_text() == "Aisha Vertinne"


@pytest.fixture
def busy(live_app, seeded):
    """A campaign with hosts at several steps; returns (campaign id, an invitation id, link)."""
    with live_app.app_context():
        campaign = db.session.get(Campaign, seeded)
        place = campaign.places[0]
        kari = inv.add_host(campaign, inv.HostData(
            name="Kari Nordmann", email="kari@example.no", place_id=place.id))
        per = inv.add_host(campaign, inv.HostData(name="Per Papir", phone="912 34 567",
                                                  language="nn"))
        inv.send_invitation(kari)
        inv.log_contact(kari, None, "phone", "Ringer igjen fredag")
        db.session.commit()
        make_meal(campaign)
        return seeded, per.id, LINK.search(personal_url(kari)).group(1)


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_coordination_pages_invitation_and_letter_pass_axe(
    request, live_server, busy, context_name
):
    campaign_id, letter_id, link = busy
    page = request.getfixturevalue(context_name).new_page()
    errors = watch_console(page)
    log_in(page, live_server.url)
    base = f"{live_server.url}/staff/campaigns/{campaign_id}"
    for path in ["/invitations", "/funnel", "/invitations/text", "/reminders",
                 f"/invitations/{letter_id}/letter", "/invitations/letters"]:
        page.goto(base + path)
        assert_no_axe_violations(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        viewport = page.viewport_size["width"]
        assert width <= viewport, f"{path} scrolls sideways ({width} px)"

    # The contact form of one host, opened from its card; and a list with a bad row.
    page.goto(base + "/funnel")
    page.click("a.contact-link >> nth=0")
    page.wait_for_selector("details.contact-form[open] form")
    assert page.locator(".host-card form").count() == 1
    assert_no_axe_violations(page)
    page.goto(base + "/invitations/import")
    page.fill("#csv_text", "name,email,place\nKari Ny,ny@example.no,Askim\nOla,feil,Atlantis\n")
    page.click("text=Check the list")
    page.wait_for_selector(".preview-table")
    assert page.locator(".preview-table tr.row-bad").count() == 1
    assert_no_axe_violations(page)

    # The letter prints on A4 with its QR code.
    page.goto(f"{base}/invitations/{letter_id}/letter")
    assert page.locator("article.letter svg.letter-qr").is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert page.locator("article.letter svg.letter-qr").is_visible()
    page.emulate_media(media="screen")

    page.goto(live_server.url + link)
    assert_no_axe_violations(page)
    assert errors == []
