"""Staff in a real browser: log in and set up a campaign on a phone and a desktop, with axe."""

from __future__ import annotations

import pytest

from gjestebud.extensions import db
from tests.browser.conftest import assert_no_axe_violations
from tests.conftest import TEST_PASSWORD, make_campaign, make_meal, make_org, make_user

EMAIL = "koordinator@example.no"


@pytest.fixture
def staff_user(live_app):
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL)
        db.session.commit()


def log_in(page, base_url, password=TEST_PASSWORD):
    page.goto(base_url + "/staff/login")
    page.fill("#email", EMAIL)
    page.fill("#password", password)
    page.click("form.card button[type=submit]")


def test_front_page_passes_axe_and_leads_to_login(live_server, phone):
    page = phone.new_page()
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "nb"
    assert page.locator("h1").count() == 1
    assert_no_axe_violations(page)
    page.click("a[href='/staff/login']")
    page.wait_for_url("**/staff/login")
    assert page.locator("#email").is_visible()


@pytest.mark.parametrize("context_name", ["desktop", "phone"])
def test_login_page_with_an_error_passes_axe(live_server, staff_user, request, context_name):
    page = request.getfixturevalue(context_name).new_page()
    page.goto(live_server.url + "/staff/login")
    assert_no_axe_violations(page)
    log_in(page, live_server.url, password="feil passord")
    assert page.locator(".error-summary[role=alert]").is_visible()
    assert page.locator("#email").input_value() == EMAIL
    assert_no_axe_violations(page)


@pytest.mark.parametrize("context_name", ["desktop", "phone"])
def test_staff_create_a_campaign(live_server, staff_user, request, context_name):
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.wait_for_url("**/staff/")
    assert_no_axe_violations(page)

    page.click("a[href='/staff/campaigns/new']")
    page.wait_for_url("**/staff/campaigns/new")
    assert page.locator("#questions-0-text_nb").input_value().startswith("Hva liker du best")
    assert_no_axe_violations(page)
    # Nothing may stick out sideways on a phone.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")

    # Send it half-filled: the errors are listed, linked and nothing typed is lost.
    page.fill("#purpose_nb", "Vi vil vite hva dere liker der dere bor.")
    page.click("form.campaign-form button[type=submit]")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    assert summary.locator("a[href='#title_nb']").count() == 1
    assert page.locator("#purpose_nb").input_value() == "Vi vil vite hva dere liker der dere bor."
    assert_no_axe_violations(page)

    page.fill("#title_nb", "Nærmiljøet vårt")
    page.fill("#results_use_nb", "Svarene brukes i bibliotekplanen.")
    page.fill("#places", "Askim\nMysen")
    page.fill("#questions-3-text_nb", "Hva savner du?")
    page.select_option("#status", "open")
    page.click("form.campaign-form button[type=submit]")
    page.wait_for_url("**/staff/campaigns/*")
    assert page.locator("h1").inner_text() == "Nærmiljøet vårt"
    assert page.locator(".question-list li").count() == 4
    assert page.locator("a.token-link").inner_text().endswith("/c/naermiljoet-vart/register")
    assert_no_axe_violations(page)


def test_campaign_page_with_meals_passes_axe(live_server, live_app, phone):
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL)
        campaign = make_campaign(org)
        make_meal(campaign)
        make_meal(campaign, "Svelvik", "barn og unge")
        campaign_id = campaign.id
    page = phone.new_page()
    log_in(page, live_server.url)
    page.wait_for_url("**/staff/")
    page.goto(f"{live_server.url}/staff/campaigns/{campaign_id}")
    assert page.locator("table tbody tr").count() == 2
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/staff/campaigns/{campaign_id}/edit")
    assert_no_axe_violations(page)

    # Logging out with the button in the menu ends the session.
    page.click("nav.site-nav button[type=submit]")
    page.wait_for_url("**/staff/login")
    page.goto(f"{live_server.url}/staff/")
    assert "/staff/login" in page.url
