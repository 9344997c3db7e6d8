"""The analysis task: the only part of the web app that imports the `analysis` package.

It turns plain data from `services.analysis_runs` into the pipeline's types, runs the pipeline
and hands the result back as plain data. Registered per app like `tasks.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from flask import Flask
from huey import Huey
from huey.api import TaskWrapper

import analysis

from .extensions import db
from .models import AnalysisRun, Campaign, RunStatus
from .services import analysis_runs, theme_library

logger = logging.getLogger(__name__)

EXTENSION = "gjestebud_analysis_tasks"


@dataclass(frozen=True)
class AnalysisTasks:
    """The task handles of one app: call one to enqueue it."""

    run_analysis: TaskWrapper


def register(huey: Huey, app: Flask) -> AnalysisTasks:
    """Declare the analysis task on this app's queue; it runs in this app's context."""

    @huey.task(name="run_analysis")
    def run_analysis(run_id: int) -> None:
        """Run the theme pipeline for one queued AnalysisRun."""
        with app.app_context():
            execute(run_id)

    return AnalysisTasks(run_analysis=run_analysis)


def _progress(run: AnalysisRun, progress: int, stage: str) -> None:
    analysis_runs.set_progress(run, progress, stage)
    db.session.commit()


def execute(run_id: int) -> None:
    """Run one analysis from start to end, committing progress as it goes."""
    run = db.session.get(AnalysisRun, run_id)
    if run is None or run.status not in analysis_runs.ACTIVE:
        return
    try:
        campaign = db.session.get(Campaign, run.campaign_id)
        _progress(run, 5, "reading")
        theme_library.seed_library(campaign.organisation_id, default_library_items())
        data = analysis_runs.pipeline_input(campaign, run)
        _progress(run, 15, "themes")
        result = analysis.run(_notes(data.notes), _options(data))
        _progress(run, 85, "saving")
        analysis_runs.apply_result(run, result_data(result))
        db.session.commit()
    except Exception:
        # Logged with the run id only: never note text.
        logger.exception("Analysis run %s failed", run_id)
        db.session.rollback()
        run = db.session.get(AnalysisRun, run_id)
        if run is not None and run.status != RunStatus.DONE.value:
            analysis_runs.fail_run(run, "The analysis stopped with an error.")
            db.session.commit()


def _notes(items: list[dict]) -> list[analysis.Note]:
    return [analysis.Note(**item) for item in items]


def _options(data: analysis_runs.PipelineInput) -> analysis.Options:
    return analysis.Options(
        seed=data.seed,
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


def default_library_items() -> list[dict]:
    """The library shipped with the analysis package, as plain data (main-language labels)."""
    return [
        {"label": p.label, "description": p.description, "examples": list(p.examples),
         "keywords": list(p.keywords)}
        for p in analysis.default_library()
    ]


def wordcloud_png(rows) -> bytes:
    """Draw a word cloud for notes (objects with id, text and language); masked by the pipeline."""
    notes = [analysis.Note(id=f"n{r.id}", text=r.text, language=r.language or "") for r in rows]
    png, _top = analysis.wordcloud_png(notes, seed=0, width=720, height=400, max_words=60)
    return png
