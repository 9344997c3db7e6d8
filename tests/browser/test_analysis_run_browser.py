"""The analysis run page in a real browser when a run's worker dies: told, and can start again."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from gjestebud.extensions import db
from gjestebud.models import AnalysisRun, utcnow
from tests.analyst_data import seed_notes
from tests.browser.conftest import assert_no_axe_violations
from tests.browser.test_analyst_browser import EMAIL, log_in
from tests.conftest import make_campaign, make_org, make_user


def seed(live_app) -> tuple[int, int]:
    """A campaign with notes and a run that is still running; (campaign id, run id)."""
    with live_app.app_context():
        org = make_org()
        make_user(org, email=EMAIL, role="analyst")
        campaign = make_campaign(org)
        db.session.commit()
        seed_notes(campaign)
        run = AnalysisRun(campaign_id=campaign.id, status="running", stage="clustering",
                          progress=55, started_at=utcnow(), heartbeat_at=utcnow())
        db.session.add(run)
        db.session.commit()
        return campaign.id, run.id


def last_heard(live_app, run_id: int, minutes_ago: int) -> None:
    with live_app.app_context():
        run = db.session.get(AnalysisRun, run_id)
        run.heartbeat_at = utcnow() - timedelta(minutes=minutes_ago)
        db.session.commit()


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_a_run_whose_worker_died_is_announced_and_can_be_started_again(
        live_server, live_app, request, context_name):
    campaign_id, run_id = seed(live_app)
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/analyst/campaigns/{campaign_id}/runs/{run_id}?lang=en")
    assert page.locator("#run-stage").inner_text() == "Finding new themes"
    assert page.locator("#run-again").is_hidden()
    assert_no_axe_violations(page)

    # The worker goes silent; the open page learns it by itself and offers a new start.
    last_heard(live_app, run_id, minutes_ago=20)
    announce = page.locator("#run-announce")
    announce.get_by_text("The analysis stopped unexpectedly").wait_for(timeout=10_000)
    assert page.locator("#run-again button").is_visible()
    assert page.locator("#run-stage").inner_text() == "Stopped unexpectedly"
    assert_no_axe_violations(page)

    page.click("#run-again button")
    page.wait_for_url(re.compile(rf".*/runs/(?!{run_id}$)\d+$"))
    assert "The analysis is done" in page.locator("#run-announce").inner_text()
    assert page.locator("#run-again").is_hidden()
