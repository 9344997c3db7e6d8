"""Analysis runs: progress stage by stage, heartbeats, and runs whose worker died."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from gjestebud import analysis_tasks
from gjestebud.analysis_tasks import Heartbeat, RunStopped
from gjestebud.extensions import db
from gjestebud.models import AnalysisRun, WordCloud, utcnow
from gjestebud.services import analysis_runs
from tests.analyst_data import seed_notes
from tests.conftest import html, make_campaign, make_org
from tests.test_analyst import login, post_form, text


@pytest.fixture
def logged_in(client, analyst):
    login(client, analyst.email)
    return client


@pytest.fixture
def t0() -> datetime:
    """A minute from now: staff sessions (logged in at the real time) stay valid as we travel."""
    return datetime.now(UTC).replace(second=0, microsecond=0) + timedelta(minutes=1)


def add_run(campaign, status="running", *, heartbeat=None, started=None) -> AnalysisRun:
    run = AnalysisRun(campaign_id=campaign.id, status=status, stage="features", progress=30,
                      started_at=started, heartbeat_at=heartbeat)
    db.session.add(run)
    db.session.commit()
    return run


def fresh(run_id: int) -> AnalysisRun:
    db.session.expire_all()
    return db.session.get(AnalysisRun, run_id)


def run_page(client, campaign, run):
    response = client.get(f"/analyst/campaigns/{campaign.id}/runs/{run.id}?lang=en")
    assert response.status_code == 200
    return html(response)


def status_json(client, campaign, run) -> dict:
    return client.get(f"/analyst/campaigns/{campaign.id}/runs/{run.id}/status.json",
                      headers={"Accept-Language": "en"}).get_json()


def runs_of(campaign) -> list[AnalysisRun]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(AnalysisRun).where(
        AnalysisRun.campaign_id == campaign.id).order_by(AnalysisRun.id)))


# --- progress --------------------------------------------------------------------------------

def test_a_finished_run_has_a_heartbeat_and_its_word_clouds_drawn(logged_in, campaign):
    seed_notes(campaign)
    page = logged_in.get(f"/analyst/campaigns/{campaign.id}?lang=en")
    response = post_form(logged_in, page, f"form[action$='/campaigns/{campaign.id}/runs']")
    soup = html(logged_in.get(response.headers["Location"]))
    assert "The analysis is done" in text(soup.find(id="run-announce"))
    assert soup.find(id="run-again").has_attr("hidden")
    [run] = runs_of(campaign)
    assert run.status == "done" and run.progress == 100 and run.stage == "done"
    assert run.started_at <= run.heartbeat_at <= run.finished_at
    # The word cloud page's clouds were drawn during the run, so the page need not wait.
    scopes = set(db.session.scalars(sa.select(WordCloud.scope).where(
        WordCloud.campaign_id == campaign.id)))
    assert {"all", "q1", "q2", "q3"} <= scopes
    assert sum(s.startswith("place-") for s in scopes) == 3
    png = logged_in.get(f"/analyst/campaigns/{campaign.id}/wordclouds/all.png")
    assert png.status_code == 200 and png.data.startswith(b"\x89PNG")


def test_the_heartbeat_writes_progress_at_most_every_two_seconds(app, campaign):
    run = add_run(campaign, "queued")
    now = [100.0]
    beat = Heartbeat(run.id, 10, 80, clock=lambda: now[0])

    beat(0.5, "filing")
    first = fresh(run.id)
    assert (first.status, first.progress, first.stage) == ("running", 45, "filing")
    assert first.heartbeat_at is not None

    now[0] += 1.0
    beat(0.75, "clustering")  # too soon: nothing written
    assert (fresh(run.id).progress, fresh(run.id).stage) == (45, "filing")

    now[0] += 1.5
    beat(0.75, "clustering")
    assert (fresh(run.id).progress, fresh(run.id).stage) == (62, "clustering")


def test_the_run_page_names_the_stage_in_words(logged_in, campaign):
    run = add_run(campaign, heartbeat=utcnow())
    for stage, words in (("clustering", "Finding new themes"), ("labels", "Naming the themes"),
                         ("statistics", "Comparing places, questions and target groups"),
                         ("wordclouds", "Drawing the word clouds")):
        run.stage = stage
        db.session.commit()
        assert text(run_page(logged_in, campaign, run).find(id="run-stage")) == words
        assert status_json(logged_in, campaign, run)["stage"] == words


def test_the_run_page_says_it_runs_in_the_background_only_while_it_does(logged_in, campaign):
    run = add_run(campaign, heartbeat=utcnow())
    soup = run_page(logged_in, campaign, run)
    assert "runs in the background" in text(soup.find(id="run-background"))
    assert soup.find(id="run-refresh") is not None  # for browsers without script
    assert "analyst.js" in str(soup.find("script"))  # which hides it and updates the page
    run.status, run.progress, run.n_notes = "done", 100, 1
    db.session.commit()
    soup = run_page(logged_in, campaign, run)
    assert text(soup.find(id="run-announce")) == "The analysis is done: 1 note was analysed."
    assert soup.find(id="run-background") is None and soup.find(id="run-refresh") is None


# --- runs whose worker died ---------------------------------------------------------------

def test_a_run_without_a_heartbeat_for_two_minutes_is_shown_as_stopped(logged_in, campaign, t0):
    with time_machine.travel(t0, tick=False):
        run = add_run(campaign, started=utcnow(), heartbeat=utcnow())
    with time_machine.travel(t0 + timedelta(seconds=110), tick=False):
        soup = run_page(logged_in, campaign, run)
        assert soup.find(id="run-again").has_attr("hidden")
        assert not status_json(logged_in, campaign, run)["failed"]
    with time_machine.travel(t0 + timedelta(seconds=130), tick=False):
        soup = run_page(logged_in, campaign, run)
        assert "stopped unexpectedly" in text(soup.find(id="run-announce"))
        assert not soup.find(id="run-again").has_attr("hidden")
        assert soup.find(id="run-refresh") is None
        state = status_json(logged_in, campaign, run)
        assert state["failed"] and not state["done"]
        assert "stopped unexpectedly" in state["message"]
        workspace = html(logged_in.get(f"/analyst/campaigns/{campaign.id}?lang=en"))
        assert "stopped unexpectedly" in text(workspace.find(id="run-heading").parent)
        # Looking does not change anything: only a new request (or the worker) marks it.
        assert fresh(run.id).status == "running"


def test_starting_again_marks_the_dead_run_stopped_and_starts_a_new_one(logged_in, campaign, t0):
    seed_notes(campaign)
    with time_machine.travel(t0, tick=False):
        dead = add_run(campaign, started=utcnow(), heartbeat=utcnow())
    with time_machine.travel(t0 + timedelta(seconds=60), tick=False):
        # While the run still lives, asking again leads to the same run.
        page = logged_in.get(f"/analyst/campaigns/{campaign.id}?lang=en")
        response = post_form(logged_in, page, f"form[action$='/campaigns/{campaign.id}/runs']")
        assert response.headers["Location"].endswith(f"/runs/{dead.id}")
        assert len(runs_of(campaign)) == 1
    with time_machine.travel(t0 + timedelta(minutes=3), tick=False):
        page = logged_in.get(f"/analyst/campaigns/{campaign.id}/runs/{dead.id}?lang=en")
        response = post_form(logged_in, page, "#run-again")
        old, new = runs_of(campaign)
        assert response.headers["Location"].endswith(f"/runs/{new.id}")
        assert (old.status, old.stage) == ("failed", "stopped")
        assert old.finished_at is not None
        assert new.status == "done"
        assert "stopped unexpectedly" in text(run_page(logged_in, campaign, old)
                                              .find(id="run-announce"))


def test_a_queued_run_that_never_started_says_so(logged_in, campaign, t0):
    with time_machine.travel(t0, tick=False):
        run = add_run(campaign, "queued")
    with time_machine.travel(t0 + timedelta(minutes=5), tick=False):
        # A busy worker may first finish another campaign's run: a queued run waits longer.
        assert analysis_runs.run_state(fresh(run.id)) == "queued"
    with time_machine.travel(t0 + timedelta(minutes=16), tick=False):
        assert "did not start" in text(run_page(logged_in, campaign, run).find(id="run-announce"))
        assert analysis_runs.recover_stale_runs(campaign) == 1
        db.session.commit()
        assert (fresh(run.id).status, fresh(run.id).stage) == ("failed", "not_started")
        assert "did not start" in status_json(logged_in, campaign, run)["message"]


def test_the_limits_are_configurable(app, campaign, t0):
    app.config["ANALYSIS_HEARTBEAT_TIMEOUT_SECONDS"] = 600
    app.config["ANALYSIS_STALE_MINUTES"] = 60
    with time_machine.travel(t0, tick=False):
        run = add_run(campaign, heartbeat=utcnow())
        queued = add_run(make_campaign(campaign.organisation, title="Et annet"), "queued")
    with time_machine.travel(t0 + timedelta(minutes=9), tick=False):
        assert analysis_runs.run_state(fresh(run.id)) == "running"
        assert analysis_runs.recover_stale_runs() == 0
    with time_machine.travel(t0 + timedelta(minutes=11), tick=False):
        assert analysis_runs.run_state(fresh(run.id)) == "stopped"
        assert analysis_runs.run_state(fresh(queued.id)) == "queued"
    with time_machine.travel(t0 + timedelta(minutes=61), tick=False):
        assert analysis_runs.run_state(fresh(queued.id)) == "not_started"


def test_a_long_stage_keeps_the_run_alive_with_a_pulse(app, campaign, monkeypatch):
    """No progress report for a while (a long stage): the pulse still writes signs of life."""
    import time

    seed_notes(campaign)
    run = add_run(campaign, "queued")
    beats = []
    real_pulse = analysis_runs.pulse

    def counted(session, run_id):
        beats.append(utcnow())
        return real_pulse(session, run_id)

    def slow_pipeline(notes, options):
        time.sleep(1.2)  # a stage that reports nothing
        return real_run(notes, options)

    real_run = analysis_tasks.analysis.run
    monkeypatch.setattr(analysis_runs, "pulse", counted)
    monkeypatch.setattr(analysis_tasks.analysis, "run", slow_pipeline)
    monkeypatch.setattr(analysis_tasks, "PULSE_SECONDS", 0.2)
    analysis_tasks.execute(run.id)
    assert len(beats) >= 3
    assert fresh(run.id).status == "done"


def declared_dead(campaign, t0, later: timedelta) -> AnalysisRun:
    """A running run whose heartbeat stopped at t0, marked stopped `later`."""
    with time_machine.travel(t0, tick=False):
        run = add_run(campaign, heartbeat=utcnow())
    with time_machine.travel(t0 + later, tick=False):
        analysis_runs.recover_stale_runs()
        db.session.commit()
    return run


def test_the_pulse_stops_when_the_run_is_declared_stopped(app, campaign, t0):
    run = declared_dead(campaign, t0, timedelta(minutes=3))
    with analysis_tasks.Pulse(db.engine, run.id, seconds=0.05) as pulse:
        pulse._thread.join(timeout=2)
        assert not pulse._thread.is_alive()
    assert fresh(run.id).status == "failed"


def test_the_worker_marks_dead_runs_every_five_minutes(app, campaign, org, t0):
    other = make_campaign(org, title="Et annet")
    with time_machine.travel(t0, tick=False):
        dead = add_run(campaign, started=utcnow())
        waiting = add_run(other, "queued")
    with time_machine.travel(t0 + timedelta(minutes=15), tick=False):
        alive = add_run(other, heartbeat=utcnow())
    with time_machine.travel(t0 + timedelta(minutes=16), tick=False):
        tasks = app.extensions[analysis_tasks.EXTENSION]
        tasks.recover_stale_runs()
    assert fresh(dead.id).stage == "stopped"
    assert fresh(waiting.id).stage == "not_started"
    assert fresh(alive.id).status == "running"
    task = tasks.recover_stale_runs.s()
    assert task.validate_datetime(datetime(2026, 6, 1, 3, 15))
    assert not task.validate_datetime(datetime(2026, 6, 1, 3, 17))
    periodic = [t.name for t in app.extensions["huey"]._registry.periodic_tasks]
    assert "recover_stale_runs" in periodic


def test_a_worker_that_comes_back_after_being_declared_dead_gives_up(app, campaign, t0):
    run = declared_dead(campaign, t0, timedelta(minutes=16))
    with time_machine.travel(t0 + timedelta(minutes=16), tick=False):
        with pytest.raises(RunStopped):
            Heartbeat(run.id, 10, 80)(0.5, "clustering")
    stopped = fresh(run.id)
    assert (stopped.status, stopped.stage, stopped.progress) == ("failed", "stopped", 30)
    analysis_tasks.execute(run.id)  # a re-delivered task does nothing either
    assert fresh(run.id).status == "failed"


@pytest.mark.postgres
def test_heartbeats_and_recovery_on_postgresql(pg_app, t0):
    org = make_org("Pg kommune", "pg-kommune")
    campaign = make_campaign(org)
    db.session.commit()
    with time_machine.travel(t0, tick=False):
        run = add_run(campaign, "queued")
        # The heartbeat commits in its own transaction: the task's pending work is not committed.
        campaign.titles = {"nb": "Ikke lagret ennå"}
        db.session.flush()
        Heartbeat(run.id, 10, 80)(0.0, "preparing")
        db.session.rollback()
        assert fresh(run.id).status == "running"
        assert db.session.get(type(campaign), campaign.id).titles["nb"] == "Nærmiljø 2026"
    with time_machine.travel(t0 + timedelta(minutes=16), tick=False):
        assert analysis_runs.recover_stale_runs() == 1
        db.session.commit()
    assert fresh(run.id).stage == "stopped"
