"""The campaign report in a real browser: the public page on a phone and a desktop, and the
analyst writing and publishing it. axe on every page; nothing is loaded from other hosts."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from gjestebud.extensions import db
from gjestebud.models import FeedbackMessage, utcnow
from gjestebud.services import reports
from tests.browser.conftest import assert_no_axe_violations, staff_log_in
from tests.conftest import make_campaign, make_org, make_user
from tests.report_data import seed_report_campaign, theme_id

EMAIL = "analytiker@example.no"


def seed(live_app, *, published: bool) -> dict:
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL, role="analyst")
        campaign = make_campaign(org)
        db.session.commit()
        seed_report_campaign(campaign)
        db.session.add(FeedbackMessage(
            campaign_id=campaign.id, kind="update", subjects={"nb": "Gamingrom åpnet"},
            bodies={"nb": "Biblioteket i Svelvik har fått et gamingrom."},
            theme_ids=[theme_id("gaming")], published_at=utcnow()))
        if published:
            reports.publish(campaign, None)
        db.session.commit()
        return {"id": campaign.id, "slug": campaign.slug}


def watch_hosts(page) -> set[str]:
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(urlsplit(request.url).hostname or ""))
    return hosts


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def images_loaded(page) -> bool:
    return page.evaluate(
        "[...document.querySelectorAll('.report-cloud img')]"
        ".every(img => img.complete && img.naturalWidth > 0)")


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_the_public_report_reads_well_on_a_phone_and_a_desktop(live_server, live_app, request,
                                                               context_name):
    data = seed(live_app, published=True)
    page = request.getfixturevalue(context_name).new_page()
    hosts = watch_hosts(page)
    page.goto(f"{live_server.url}/reports/{data['slug']}?lang=en")
    assert page.locator("h1").inner_text() == "Neighbourhood 2026"
    assert page.locator("blockquote").count() >= 3
    assert page.locator(".report-update h3").inner_text() == "Gamingrom åpnet"
    page.locator(".report-cloud img").first.scroll_into_view_if_needed()
    page.wait_for_load_state("networkidle")
    assert images_loaded(page)
    assert fits_the_screen(page)
    assert_no_axe_violations(page)

    page.click(".language-switch a[lang=nb]")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_no_axe_violations(page)
    assert hosts == {"127.0.0.1"}


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_an_analyst_writes_previews_and_publishes_the_report(live_server, live_app, request,
                                                             context_name):
    data = seed(live_app, published=False)
    page = request.getfixturevalue(context_name).new_page()
    hosts = watch_hosts(page)
    staff_log_in(page, live_server.url, EMAIL)

    page.goto(f"{live_server.url}/analyst/campaigns/{data['id']}")
    page.click("a[href$='/report'] >> nth=0")
    assert "Not published" in page.locator("#publish-status").inner_text()
    assert fits_the_screen(page)
    assert_no_axe_violations(page)

    page.fill("#intro_nb", "Takk til alle som var med!")
    page.fill("#themes_shown", "0")
    page.click("button[value=publish]")
    assert page.locator(".error-summary").is_visible()
    assert page.input_value("#intro_nb") == "Takk til alle som var med!"
    assert_no_axe_violations(page)

    page.fill("#themes_shown", "2")
    page.click("button[value=publish]")
    assert "The report is published" in page.locator(".flashes").inner_text()
    assert "Published on" in page.locator("#publish-status").inner_text()
    assert_no_axe_violations(page)

    page.click("text=Preview the draft")
    assert page.locator(".draft-banner").is_visible()
    assert fits_the_screen(page)
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/reports/{data['slug']}?lang=nb")
    assert "Takk til alle som var med!" in page.locator(".report-intro").inner_text()
    assert page.locator(".report-theme").count() == 2
    assert hosts == {"127.0.0.1"}


def test_the_report_is_not_there_before_it_is_published(live_server, live_app, desktop):
    with live_app.app_context():
        campaign = make_campaign(make_org())
        db.session.commit()
        slug = campaign.slug
    page = desktop.new_page()
    response = page.goto(f"{live_server.url}/reports/{slug}")
    assert response.status == 404
    assert_no_axe_violations(page)
