"""The analysis task: the only part of the web app that imports the `analysis` package.

It turns plain data from `services.analysis_runs` into the pipeline's types, runs the pipeline
and hands the result back as plain data. Registered per app like `tasks.py`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask
from huey import Huey, crontab
from huey.api import TaskWrapper
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

import analysis

from .extensions import db
from .models import AnalysisRun, Campaign
from .services import analysis_runs, workspace

logger = logging.getLogger(__name__)

EXTENSION = "gjestebud_analysis_tasks"


@dataclass(frozen=True)
class AnalysisTasks:
    """The task handles of one app: call one to enqueue it."""

    run_analysis: TaskWrapper
    recover_stale_runs: TaskWrapper


def register(huey: Huey, app: Flask) -> AnalysisTasks:
    """Declare the analysis tasks on this app's queue; they run in this app's context."""

    @huey.task(name="run_analysis")
    def run_analysis(run_id: int) -> None:
        """Run the theme pipeline for one queued AnalysisRun."""
        with app.app_context():
            execute(run_id)

    # Every five minutes: a run whose worker died is marked as stopped, so that the analyst is
    # told and may start a new one (the pages also show it as stopped as soon as it is stale).
    @huey.periodic_task(crontab(minute="*/5"), name="recover_stale_runs")
    def recover_stale_runs() -> int:
        """Mark waiting or running runs without a recent sign of life as stopped."""
        with app.app_context():
            try:
                recovered = analysis_runs.recover_stale_runs()
                db.session.commit()
            except Exception:
                db.session.rollback()
                raise
        if recovered:
            logger.warning("%s analysis run(s) had stopped without finishing", recovered)
        return recovered

    return AnalysisTasks(run_analysis=run_analysis, recover_stale_runs=recover_stale_runs)


# Overall progress (0-100) at the start of each part of a run; the pipeline's own fractions are
# spread over PIPELINE_START..PIPELINE_END.
PIPELINE_START, PIPELINE_END, WORDCLOUDS_START, SAVING_START = 10, 80, 80, 92
HEARTBEAT_SECONDS = 2.0
# A sign of life this often while the run lasts, inside long stages too: a run that stays
# quiet for ANALYSIS_HEARTBEAT_TIMEOUT_SECONDS (120) has lost its worker.
PULSE_SECONDS = 10.0


class RunStopped(Exception):
    """The run was declared stopped while it ran (its worker was thought dead): give up."""


def _progress(run: AnalysisRun, progress: int, stage: str) -> None:
    """Record a step of the task itself (and a sign of life); give up if the run was stopped."""
    active = analysis_runs.heartbeat(db.session, run.id, progress, stage)
    db.session.commit()
    if not active:
        raise RunStopped


class Heartbeat:
    """The pipeline's progress callback: writes progress, stage and a sign of life.

    Each write is its own short transaction on a separate session, at most every
    HEARTBEAT_SECONDS, so the run page sees it at once and the task's own session is untouched.
    """

    def __init__(self, run_id: int, start: int, end: int,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.run_id, self.start, self.end, self.clock = run_id, start, end, clock
        self.last: float | None = None

    def __call__(self, fraction: float, stage: str) -> None:
        now = self.clock()
        if self.last is not None and now - self.last < HEARTBEAT_SECONDS:
            return
        self.last = now
        progress = round(self.start + (self.end - self.start) * fraction)
        try:
            with Session(db.engine) as session:
                active = analysis_runs.heartbeat(session, self.run_id, progress, stage)
                session.commit()
        except SQLAlchemyError:
            # A busy database must not end the run: the next beat tries again.
            logger.warning("Analysis run %s: progress could not be written", self.run_id)
            return
        if not active:
            raise RunStopped


class Pulse:
    """A background thread that writes a sign of life every PULSE_SECONDS while a run lasts.

    Progress reports come between and inside the pipeline's steps, but a step can take minutes
    on a large campaign; the pulse keeps the run from looking dead meanwhile, and stops when
    the run is declared stopped (the next progress report then gives up).
    """

    def __init__(self, engine, run_id: int, seconds: float | None = None) -> None:
        import threading

        self.engine, self.run_id = engine, run_id
        self.seconds = seconds if seconds is not None else PULSE_SECONDS
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"pulse-{run_id}", daemon=True)

    def __enter__(self) -> Pulse:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join(timeout=self.seconds + 5)

    def _beat(self) -> None:
        while not self._stop.wait(self.seconds):
            try:
                with Session(self.engine) as session:
                    alive = analysis_runs.pulse(session, self.run_id)
                    session.commit()
            except SQLAlchemyError:
                logger.warning("Analysis run %s: a sign of life could not be written",
                               self.run_id)
                continue
            if not alive:
                return


def execute(run_id: int) -> None:
    """Run one analysis from start to end, committing progress as it goes."""
    run = db.session.get(AnalysisRun, run_id)
    if run is None or run.status not in analysis_runs.ACTIVE:
        return
    with Pulse(db.engine, run_id):
        _execute(run, run_id)


def _execute(run: AnalysisRun, run_id: int) -> None:
    try:
        campaign = db.session.get(Campaign, run.campaign_id)
        _progress(run, 5, "reading")
        data = analysis_runs.pipeline_input(campaign, run)
        _progress(run, PIPELINE_START, "preparing")
        beat = Heartbeat(run_id, PIPELINE_START, PIPELINE_END)
        result = analysis.run(_notes(data.notes), _options(data, progress=beat))
        _progress(run, WORDCLOUDS_START, "wordclouds")
        draw_wordclouds(campaign, result.lemmas)
        _progress(run, SAVING_START, "saving")
        analysis_runs.apply_result(run, result_data(result))
        db.session.commit()
    except RunStopped:
        db.session.rollback()
        logger.warning("Analysis run %s was stopped while it ran; its result is dropped", run_id)
    except Exception:
        # Logged with the run id only: never note text.
        logger.exception("Analysis run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(AnalysisRun, run_id)
        if run is not None and run.status in analysis_runs.ACTIVE:
            analysis_runs.fail_run(run, "The analysis stopped with an error.")
            db.session.commit()


def _notes(items: list[dict]) -> list[analysis.Note]:
    return [analysis.Note(**item) for item in items]


def _options(data: analysis_runs.PipelineInput, progress=None) -> analysis.Options:
    return analysis.Options(
        seed=data.seed,
        progress=progress,
        pinned=dict(data.pinned),
        examples=tuple(analysis.Example(**e) for e in data.examples),
        prior_themes=tuple(
            analysis.PriorTheme(label=p["label"], description=p["description"],
                                examples=tuple(p["examples"]), keywords=tuple(p["keywords"]))
            for p in data.prior_themes
        ),
    )


def result_data(result: analysis.Result) -> dict:
    """The result as plain data: the CLI's JSON shape plus sources, scores, languages, lemmas."""
    data = result.to_dict()
    sources = {t.id: t.source for t in result.themes}
    for theme in data["themes"]:
        theme["source"] = sources[theme["id"]]
    data["scores"] = dict(result.scores)
    data["languages"] = dict(result.languages)
    data["lemmas"] = {k: list(v) for k, v in result.lemmas.items()}
    return data


def draw_wordclouds(campaign: Campaign, lemmas: dict[str, list[str]] | None = None) -> None:
    """Draw the word clouds the word cloud page shows, unless drawn from the same notes before.

    `lemmas`: the run's lemmas by note id, so that the notes are not analysed once more per
    cloud. A cloud that cannot be drawn is left for the page to try again; the run goes on.
    """
    for scope, rows in workspace.wordcloud_scopes(campaign):
        try:
            analysis_runs.wordcloud(campaign, scope, rows, lambda r: wordcloud_png(r, lemmas))
        except Exception:
            logger.exception("Word cloud %s of campaign %s could not be drawn", scope, campaign.id)
            continue
        db.session.commit()


def wordcloud_png(rows, lemmas: dict[str, list[str]] | None = None) -> bytes:
    """Draw a word cloud for notes (workspace rows); masked by the pipeline.

    Notes the last analysis run saw use the lemmas it stored (or the given `lemmas`, by note
    key); only the others are analysed here.
    """
    known = {analysis_runs.note_key(r.id): r.lemmas for r in rows if r.analysed and r.lemmas}
    known.update(lemmas or {})
    notes = [analysis.Note(id=analysis_runs.note_key(r.id), text=r.text,
                           language=r.language or "") for r in rows]
    png, _top = analysis.wordcloud_png(notes, seed=0, width=720, height=400, max_words=60,
                                       lemmas=known)
    return png
