"""Staff in a real browser: a new guest link, locked questions, a paged follow-up list."""

from __future__ import annotations

import re

import pytest

from gjestebud.extensions import db
from gjestebud.models import Meal, Note
from gjestebud.services import invitations as inv
from tests.browser.conftest import assert_no_axe_violations, staff_log_in
from tests.conftest import make_campaign, make_meal, make_org, make_user

EMAIL = "koordinator@example.no"


@pytest.fixture
def seeded(live_app) -> dict:
    """A campaign with a meal whose first question has notes, and 60 invited hosts."""
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL, role="coordinator")
        campaign = make_campaign(org)
        db.session.commit()
        meal, _token = make_meal(campaign)
        for k in range(3):
            db.session.add(Note(meal_id=meal.id, question_id=campaign.questions[0].id,
                                text=f"Svar {k}", client_key=f"k{k}"))
        invitations = inv.add_hosts(campaign, [
            inv.HostData(name=f"Vert {k:02d}", email=f"vert{k}@example.no") for k in range(60)])
        for invitation in invitations:
            inv.mark_letter_given(invitation)
        db.session.commit()
        return {"campaign": campaign.id, "meal": meal.id, "token": meal.public_token}


def log_in(page, base_url):
    staff_log_in(page, base_url, EMAIL)


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_a_coordinator_replaces_a_guest_link(live_server, live_app, seeded, request,
                                             context_name):
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/campaigns/{seeded['campaign']}")
    page.click(f"#meal-{seeded['meal']} a.guest-link-replace")
    page.wait_for_url(re.compile(r".*/meals/\d+/guest-link$"))
    assert page.locator("h1").inner_text() == "A new guest link"
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    page.click("text=Yes, make a new guest link")
    page.wait_for_url(re.compile(rf".*/staff/campaigns/{seeded['campaign']}#meal-\d+$"))
    assert "has a new guest link" in page.locator(".flashes").inner_text()
    assert_no_axe_violations(page)
    with live_app.app_context():
        assert db.session.get(Meal, seeded["meal"]).public_token != seeded["token"]
    response = page.goto(f"{live_server.url}/m/{seeded['token']}")
    assert response.status == 404


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_the_campaign_form_says_which_questions_are_locked(live_server, seeded, request,
                                                           context_name):
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/campaigns/{seeded['campaign']}/edit")
    assert page.locator(".question-locked").count() == 1
    assert "Has 3 notes" in page.locator("fieldset.question >> nth=0").inner_text()
    assert_no_axe_violations(page)

    for field in ("#questions-0-text_nb", "#questions-0-plain_nb"):
        page.fill(field, "")
    page.click("fieldset.question >> nth=0 >> details.more-languages > summary")
    for field in ("#questions-0-text_nn", "#questions-0-plain_nn", "#questions-0-text_en",
                  "#questions-0-plain_en"):
        page.fill(field, "")
    page.click("form.campaign-form button[type=submit]")
    assert "cannot be removed" in page.locator(".error-summary").inner_text()
    assert page.locator("#questions-0-text_nb").input_value() != ""
    assert_no_axe_violations(page)


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_the_follow_up_list_pages_with_plain_links(live_server, seeded, request, context_name):
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/staff/campaigns/{seeded['campaign']}/funnel")
    waiting = page.locator("#position-waiting .host-card")
    assert waiting.count() == 50
    assert_no_axe_violations(page)
    # Plain links: each is a new page load, no script involved.
    page.click("#position-waiting nav.pager >> text=Next hosts")
    page.wait_for_url(re.compile(r".*page-waiting=2#position-waiting$"))
    assert waiting.count() == 10
    page.click("#position-waiting .host-card a.contact-link >> nth=0")
    page.wait_for_url(re.compile(r".*contact=\d+#host-\d+$"))
    assert page.locator(".host-card details.contact-form[open]").count() == 1
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]
