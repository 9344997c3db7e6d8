"""The second tier of findings: "worth a look" is shown to the analyst as a hint, apart from
what stands out, and the report never claims it."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from gjestebud.extensions import db
from gjestebud.models import AnalysisRun
from tests.conftest import html
from tests.report_data import seed_report_campaign, theme_id
from tests.test_analyst import login, text


def _hint_for_mysen_books(campaign) -> None:
    run = db.session.scalar(sa.select(AnalysisRun).where(AnalysisRun.campaign_id == campaign.id))
    cell = run.breakdown["by_location"]["Mysen"][0]
    cell.update({"theme": theme_id("books"), "count": 4, "lift": 2.4, "p_value": 0.31,
                 "distinctive": False, "hint": True})
    flag_modified(run, "breakdown")
    db.session.commit()


def test_a_hint_is_worded_as_one_and_kept_apart_from_what_stands_out(client, analyst, campaign):
    seed_report_campaign(campaign)
    _hint_for_mysen_books(campaign)
    login(client, analyst.email)
    page = html(client.get(f"/analyst/campaigns/{campaign.id}?lang=en"))
    hints = page.select_one("ul.findings-hint")
    assert text(hints) == "Bøker: perhaps more common in Mysen (2.4×, 4 notes)"
    assert "may be chance" in text(page.find(id="hints-explained"))
    clear = page.select("ul.findings:not(.findings-hint) li")
    assert clear and not any("Mysen" in text(li) for li in clear)
    assert "(worth a look)" in text(page.select_one("table.heatmap"))


def test_the_report_does_not_claim_a_hint(client, analyst, campaign):
    seed_report_campaign(campaign)
    _hint_for_mysen_books(campaign)
    login(client, analyst.email)
    url = f"/analyst/campaigns/{campaign.id}/report/preview?language=en&lang=en"
    preview = text(html(client.get(url)))
    assert "more common in Svelvik" in preview
    assert "more common in Mysen" not in preview
    assert "perhaps" not in preview
