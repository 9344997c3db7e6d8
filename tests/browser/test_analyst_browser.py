"""An analyst in a real browser: run an analysis, rename, merge, move; axe on every page."""

from __future__ import annotations

import re

import pytest

from gjestebud.analysis_tasks import execute
from gjestebud.extensions import db
from gjestebud.services import analysis_runs
from tests.analyst_data import seed_notes
from tests.browser.conftest import assert_no_axe_violations, staff_log_in
from tests.conftest import make_campaign, make_org, make_user

EMAIL = "analytiker@example.no"


def seed(live_app, *, analyse: bool) -> dict:
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL, role="analyst")
        campaign = make_campaign(org)
        db.session.commit()
        notes = seed_notes(campaign)
        if analyse:
            run, _created = analysis_runs.start_run(campaign, None)
            db.session.commit()
            execute(run.id)
        return {"campaign": campaign.id, "notes": notes}


def log_in(page, base_url):
    staff_log_in(page, base_url, EMAIL)


def test_analyst_runs_renames_merges_and_moves(live_server, live_app, desktop):
    data = seed(live_app, analyse=False)
    page = desktop.new_page()
    log_in(page, live_server.url)
    workspace = f"{live_server.url}/analyst/campaigns/{data['campaign']}"
    page.goto(workspace)
    page.click("form[action$='/runs'] button")
    page.wait_for_url(re.compile(r".*/runs/\d+$"))
    assert "The analysis is done" in page.locator("#run-announce").inner_text()
    page.click("#run-done-link a")
    page.wait_for_url(workspace)
    assert_no_axe_violations(page)

    # Rename the gaming theme.
    page.click(".theme-card h3 a:text-matches('gaming', 'i')")
    page.fill("#rename-label", "Dataspill")
    page.click("form[action$='/rename'] button")
    assert page.locator("h1").inner_text() == "Dataspill"
    assert page.locator(".flashes").inner_text().startswith("The theme is renamed")
    assert_no_axe_violations(page)
    dataspill_url = page.url

    # Merge the e-sport leftovers (or any other theme) into it from that theme's page.
    page.goto(workspace)
    other = page.locator(".theme-card h3 a", has_not_text="Dataspill").first
    other_label = other.inner_text()
    other.click()
    page.select_option("#target", label="Dataspill")
    page.click("form[action$='/merge'] button")
    page.wait_for_url(dataspill_url)
    assert f"“{other_label}” is merged into “Dataspill”" in page.locator(".flashes").inner_text()

    # Move one note out of it.
    note_id = data["notes"]["Gaming kveld med venner"]
    page.check(f"#note-{note_id}")
    target = page.locator("form.notes-form select[name=target] option").first.inner_text()
    page.select_option("form.notes-form select[name=target]", label=target)
    page.click("form.notes-form button[value=move]")
    assert page.locator(f"#note-{note_id}").count() == 0
    assert f"moved to “{target}”" in page.locator(".flashes").inner_text()

    # The workspace shows the result and offers to undo the move.
    page.goto(workspace)
    labels = page.locator(".theme-card h3 a").all_inner_texts()
    assert "Dataspill" in labels and other_label not in labels
    assert "Undo: moved 1 note" in page.locator("form[action$='/undo'] button").inner_text()
    page.goto(f"{live_server.url}/analyst/library/")
    assert_no_axe_violations(page)


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_workspace_theme_and_library_pages_pass_axe(live_server, live_app, request, context_name):
    data = seed(live_app, analyse=True)
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/analyst/campaigns/{data['campaign']}")
    assert page.locator("table.heatmap caption").is_visible()
    assert_no_axe_violations(page)
    page.click(".theme-card h3 a >> nth=0")
    assert page.locator(".note-list li").count() > 0
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/analyst/campaigns/{data['campaign']}/unassigned")
    assert_no_axe_violations(page)
    page.goto(f"{live_server.url}/analyst/library/")
    assert_no_axe_violations(page)
