"""Personal data goes when its time is up: a daily task, checked with a frozen clock."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from gjestebud import retention_tasks
from gjestebud.config import load_config
from gjestebud.extensions import db as _db
from gjestebud.models import CampaignFeedback, DataRequest, FeedbackContact, Message
from gjestebud.services import consent, outbox, processing_record, retention
from tests.conftest import html, make_campaign, make_meal

CLOSES = date(2026, 3, 1)
ADDRESS = "kari.nordmann@example.no"


def run_daily_task(app) -> None:
    """What the worker does every night (the queue runs tasks at once in tests)."""
    app.extensions[retention_tasks.EXTENSION].purge_personal_data()


def addresses() -> list[str]:
    _db.session.expire_all()
    return list(_db.session.scalars(sa.select(FeedbackContact.email).order_by(FeedbackContact.id)))


@pytest.fixture
def closing_meal(org):
    with time_machine.travel(datetime(2026, 2, 10, 18, 0), tick=False):
        campaign = make_campaign(org)
        campaign.closes_on = CLOSES
        meal, _token = make_meal(campaign)
        consent.give_consent(meal, ADDRESS, "nb")
        _db.session.commit()
    return meal


# --- the record of processing -----------------------------------------------------------------

def test_the_record_of_processing_states_the_figures_the_code_uses(app, tmp_path, monkeypatch):
    stated = processing_record.record_settings()
    for name in stated:
        monkeypatch.delenv("GJESTEBUD_" + name, raising=False)
    defaults = load_config(str(tmp_path))
    assert stated == {name: defaults[name] for name in stated}
    assert {name: app.config[name] for name in stated} == stated
    # Every figure the texts mention is one of them, and every rule is described in all languages.
    record = processing_record.load_record()
    for item in record["processing"]:
        for field in ("name", *processing_record.FIELDS):
            assert set(item[field]) == {"nb", "nn", "en"}, (item["id"], field)
            for text in item[field].values():
                assert processing_record.fill(text, stated).count("{") == 0, (item["id"], text)


@pytest.mark.parametrize(
    ("lang", "heading", "phrase"),
    [
        ("nb", "E-postadresser for tilbakemelding", "Slettes automatisk 14 dager etter"),
        ("nn", "E-postadresser for tilbakemelding", "Blir sletta automatisk 14 dagar etter"),
        ("en", "E-mail addresses for feedback", "Deleted automatically 14 days after"),
    ],
)
def test_the_privacy_page_is_made_from_the_record(client, lang, heading, phrase):
    page = html(client.get("/privacy", query_string={"lang": lang}))
    assert page.html["lang"] == lang
    section = page.find("section", id="feedback_contacts")
    assert section.h2.get_text(strip=True) == heading
    assert phrase in section.get_text()
    assert "180" in section.get_text()
    assert [s["id"] for s in page.select("section.processing")] == [
        item["id"] for item in processing_record.load_record()["processing"]
    ]
    assert page.find("a", href="/my-data") is not None


class TestConfiguredFigures:
    @pytest.fixture
    def app_config(self):
        return {"FEEDBACK_GRACE_DAYS": 3, "MESSAGE_RETENTION_DAYS": 30}

    def test_the_privacy_page_shows_this_installations_figures(self, client):
        page = html(client.get("/privacy", query_string={"lang": "en"}))
        assert "Deleted automatically 3 days after" in page.find(id="feedback_contacts").get_text()
        assert "wiped 30 days after" in page.find(id="messages").get_text()


def test_the_record_can_be_downloaded_for_the_municipalitys_own_record(client):
    response = client.get("/privacy/record-of-processing.yaml")
    assert response.status_code == 200
    assert "FEEDBACK_RETENTION_DAYS: 180" in response.get_data(as_text=True)


# --- feedback addresses -----------------------------------------------------------------------

def test_addresses_go_on_the_retention_date_and_not_before(app, closing_meal):
    assert retention.retention_date(closing_meal.campaign) == CLOSES + timedelta(days=180)
    with time_machine.travel(datetime(2026, 8, 27, 23, 59), tick=False):  # day 179
        run_daily_task(app)
        assert addresses() == [ADDRESS]
    with time_machine.travel(datetime(2026, 8, 28, 3, 17), tick=False):  # day 180
        run_daily_task(app)
        assert addresses() == []


def test_addresses_go_a_grace_period_after_the_last_feedback(app, closing_meal):
    other = make_campaign(closing_meal.campaign.organisation, title="Another")
    other.closes_on = CLOSES
    other_meal, _token = make_meal(other)
    consent.give_consent(other_meal, "ola@example.no", "nb")
    _db.session.commit()

    with time_machine.travel(datetime(2026, 4, 1, 12, 0), tick=False):
        retention.feedback_sent(closing_meal.campaign)
        _db.session.commit()
    with time_machine.travel(datetime(2026, 4, 15, 11, 59), tick=False):  # 14 days less a minute
        run_daily_task(app)
        assert addresses() == [ADDRESS, "ola@example.no"]
    with time_machine.travel(datetime(2026, 4, 15, 12, 0), tick=False):
        run_daily_task(app)
        # Only the campaign that sent its feedback; the other keeps its addresses until then.
        assert addresses() == ["ola@example.no"]


def test_a_date_set_by_staff_comes_first(app, closing_meal):
    _db.session.add(
        CampaignFeedback(campaign_id=closing_meal.campaign_id, retention_until=date(2026, 5, 1))
    )
    _db.session.commit()
    with time_machine.travel(datetime(2026, 4, 30, 12, 0), tick=False):
        run_daily_task(app)
        assert addresses() == [ADDRESS]
    with time_machine.travel(datetime(2026, 5, 1, 0, 1), tick=False):
        run_daily_task(app)
        assert addresses() == []


def test_a_campaign_without_a_closing_date_has_a_latest_date_too(app, org):
    with time_machine.travel(datetime(2026, 1, 5, 9, 0), tick=False):
        campaign = make_campaign(org)
        meal, _token = make_meal(campaign)
        consent.give_consent(meal, ADDRESS, "en")
        _db.session.commit()
    assert retention.retention_date(campaign) == date(2026, 1, 5) + timedelta(days=365)
    with time_machine.travel(datetime(2027, 1, 4, 12, 0), tick=False):
        run_daily_task(app)
        assert addresses() == [ADDRESS]
    with time_machine.travel(datetime(2027, 1, 5, 12, 0), tick=False):
        run_daily_task(app)
        assert addresses() == []


def test_the_task_runs_every_night(app):
    task = app.extensions[retention_tasks.EXTENSION].purge_personal_data.s()
    assert task.validate_datetime(datetime(2026, 6, 1, 3, 17))
    assert not task.validate_datetime(datetime(2026, 6, 1, 12, 17))
    periodic = [t.name for t in app.extensions["huey"]._registry.periodic_tasks]
    assert "purge_personal_data" in periodic


# --- e-mails in the outbox and data requests ----------------------------------------------------

def test_old_emails_lose_their_address_and_content(app):
    with time_machine.travel(datetime(2026, 1, 1, 10, 0), tick=False):
        old = outbox.queue_test_message("old@example.no", "nb")
        stuck = outbox.queue_message(
            kind="test", recipient="stuck@example.no", language="nb", dedupe_key="stuck",
            context={"queued_on": date(2026, 1, 1)},
        )
        _db.session.commit()
        # A message that never went out (e.g. SMTP refused it for days) is given up on too.
        _db.session.get(Message, stuck.id).status = "pending"
        _db.session.commit()
    with time_machine.travel(datetime(2026, 3, 25, 10, 0), tick=False):
        recent = outbox.queue_test_message("recent@example.no", "nb")
        _db.session.commit()
    old_id, stuck_id, recent_id = old.id, stuck.id, recent.id

    with time_machine.travel(datetime(2026, 3, 31, 9, 59), tick=False):  # 89 days and a bit
        run_daily_task(app)
    _db.session.expire_all()
    assert _db.session.get(Message, old_id).recipient == "old@example.no"

    with time_machine.travel(datetime(2026, 4, 1, 10, 1), tick=False):  # 90 days
        run_daily_task(app)
    _db.session.expire_all()
    for message_id in (old_id, stuck_id):
        wiped = _db.session.get(Message, message_id)
        assert (wiped.recipient, wiped.subject, wiped.body_text, wiped.body_html) == ("",) * 4
    assert _db.session.get(Message, stuck_id).status == "failed"
    assert _db.session.get(Message, old_id).status == "sent"  # the record that it went stays
    assert _db.session.get(Message, recent_id).recipient == "recent@example.no"


def test_expired_data_requests_are_deleted(app):
    now = datetime(2026, 6, 1, 12, 0)
    _db.session.add_all([
        DataRequest(email_hash="a" * 64, token_hash="1" * 64, purpose="export",
                    expires_at=now - timedelta(minutes=1)),
        DataRequest(email_hash="b" * 64, token_hash="2" * 64, purpose="delete",
                    expires_at=now + timedelta(days=6)),
    ])
    _db.session.commit()
    with time_machine.travel(now, tick=False):
        run_daily_task(app)
    _db.session.expire_all()
    assert list(_db.session.scalars(sa.select(DataRequest.purpose))) == ["delete"]
