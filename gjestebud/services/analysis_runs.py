"""Analysis runs: what goes into the pipeline and how its result becomes themes in the database.

This module deals in plain data only; `gjestebud.analysis_tasks` turns it into the `analysis`
package's types and back. Analyst edits win over the pipeline: notes the analyst filed are
given to the pipeline as pins and examples and are never moved by a run, and themes the analyst
created or renamed keep their row and label.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app
from sqlalchemy.orm import Session

from ..extensions import db
from ..models import (
    AnalysisRun,
    Campaign,
    Meal,
    Note,
    NoteTheme,
    Place,
    Question,
    RunStatus,
    TargetGroup,
    Theme,
    WordCloud,
    utcnow,
)
from . import theme_library, workspace
from .export import visible_notes

# A theme found again by a run keeps its row when most of its notes are the same.
MIN_OVERLAP = 0.34
ACTIVE = (RunStatus.QUEUED.value, RunStatus.RUNNING.value)
# A run whose worker died: it was running, or it never left the queue.
STOPPED, NOT_STARTED = "stopped", "not_started"
DEFAULT_STALE_MINUTES = 15
DEFAULT_HEARTBEAT_TIMEOUT_SECONDS = 120
SOURCES = {"examples": "examples", "library": "library", "prior": "library"}


@dataclass
class PipelineInput:
    """Everything one run needs, as plain data."""

    notes: list[dict]
    pinned: dict[str, str] = field(default_factory=dict)
    examples: list[dict] = field(default_factory=list)
    prior_themes: list[dict] = field(default_factory=list)
    seed: int = 0


def note_key(note_id: int) -> str:
    """The id a note has in the pipeline and in exports: n<primary key>."""
    return f"n{note_id}"


def note_pk(key: str) -> int:
    return int(str(key)[1:])


def latest_run(campaign: Campaign) -> AnalysisRun | None:
    """The campaign's newest run, whatever its status."""
    return db.session.scalar(
        sa.select(AnalysisRun).where(AnalysisRun.campaign_id == campaign.id)
        .order_by(AnalysisRun.id.desc()).limit(1)
    )


def latest_done_run(campaign: Campaign) -> AnalysisRun | None:
    """The newest run that finished; its breakdowns are what the workspace shows."""
    return db.session.scalar(
        sa.select(AnalysisRun)
        .where(AnalysisRun.campaign_id == campaign.id, AnalysisRun.status == RunStatus.DONE.value)
        .order_by(AnalysisRun.id.desc()).limit(1)
    )


def run_in_campaign(campaign: Campaign, run_id: int) -> AnalysisRun | None:
    return db.session.scalar(
        sa.select(AnalysisRun).where(AnalysisRun.id == run_id,
                                     AnalysisRun.campaign_id == campaign.id)
    )


def start_run(campaign: Campaign, user_id: int | None, *,
              seed: int = 0) -> tuple[AnalysisRun, bool]:
    """A queued run for the campaign; (run, created). A run already waiting or running is reused,
    unless its worker has stopped giving signs of life: then it is marked as stopped first."""
    recover_stale_runs(campaign)
    active = db.session.scalar(
        sa.select(AnalysisRun)
        .where(AnalysisRun.campaign_id == campaign.id, AnalysisRun.status.in_(ACTIVE))
        .order_by(AnalysisRun.id.desc()).limit(1)
    )
    if active is not None:
        return active, False
    run = AnalysisRun(campaign_id=campaign.id, requested_by_id=user_id, seed=seed)
    db.session.add(run)
    db.session.flush()
    return run, True


def heartbeat(session: Session, run_id: int, progress: int, stage: str) -> bool:
    """Record progress and a sign of life in `session` (the worker's own short transaction).

    False when the run is no longer waiting or running, e.g. because it was declared stopped
    while its worker was thought dead: the worker should then give up.
    """
    now = utcnow()
    result = session.execute(
        sa.update(AnalysisRun)
        .where(AnalysisRun.id == run_id, AnalysisRun.status.in_(ACTIVE))
        .values(progress=max(0, min(100, progress)), stage=stage, heartbeat_at=now,
                status=RunStatus.RUNNING.value,
                started_at=sa.func.coalesce(AnalysisRun.started_at, now))
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def pulse(session: Session, run_id: int) -> bool:
    """A sign of life from the worker between progress reports; False when the run is no
    longer running (it was declared stopped), so that the worker gives up."""
    result = session.execute(
        sa.update(AnalysisRun)
        .where(AnalysisRun.id == run_id, AnalysisRun.status == RunStatus.RUNNING.value)
        .values(heartbeat_at=utcnow())
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def fail_run(run: AnalysisRun, error: str, stage: str = "failed") -> None:
    """Mark a run as failed with a short reason that holds no note text."""
    run.status = RunStatus.FAILED.value
    run.stage = stage
    run.error = error[:500]
    run.finished_at = utcnow()


# --- runs whose worker died -------------------------------------------------------------------

def stale_limit() -> timedelta:
    """How long a queued run may wait for a worker (ANALYSIS_STALE_MINUTES): a busy worker may
    finish another campaign's run first."""
    minutes = current_app.config.get("ANALYSIS_STALE_MINUTES", DEFAULT_STALE_MINUTES)
    return timedelta(minutes=minutes)


def heartbeat_timeout() -> timedelta:
    """How long a running run may go without a heartbeat (ANALYSIS_HEARTBEAT_TIMEOUT_SECONDS).
    Its worker writes one every PULSE_SECONDS whatever the stage, so a run this quiet has lost
    its worker."""
    seconds = current_app.config.get("ANALYSIS_HEARTBEAT_TIMEOUT_SECONDS",
                                     DEFAULT_HEARTBEAT_TIMEOUT_SECONDS)
    return timedelta(seconds=seconds)


def last_sign_of_life(run: AnalysisRun) -> datetime:
    """The run's last heartbeat, else when it started, else when it was asked for."""
    return run.heartbeat_at or run.started_at or run.created_at


def is_stale(run: AnalysisRun, now: datetime | None = None) -> bool:
    """A queued run no worker took in time, or a running run whose worker went quiet."""
    if run.status not in ACTIVE:
        return False
    limit = stale_limit() if run.status == RunStatus.QUEUED.value else heartbeat_timeout()
    return last_sign_of_life(run) < (now or utcnow()) - limit


def run_state(run: AnalysisRun, now: datetime | None = None) -> str:
    """What to tell the analyst: queued, running, done, failed, stopped or not_started.

    A stale run reads as stopped (or not started) at once, before anything has marked it so.
    """
    if is_stale(run, now):
        return NOT_STARTED if run.status == RunStatus.QUEUED.value else STOPPED
    if run.status == RunStatus.FAILED.value and run.stage in (STOPPED, NOT_STARTED):
        return run.stage
    return run.status


def recover_stale_runs(campaign: Campaign | None = None, now: datetime | None = None) -> int:
    """Mark stale runs (of one campaign, or all) as stopped so a new run can start; how many."""
    now = now or utcnow()
    last = sa.func.coalesce(AnalysisRun.heartbeat_at, AnalysisRun.started_at,
                            AnalysisRun.created_at)
    queued_cutoff, running_cutoff = now - stale_limit(), now - heartbeat_timeout()
    quiet = sa.or_(
        sa.and_(AnalysisRun.status == RunStatus.QUEUED.value, last < queued_cutoff),
        sa.and_(AnalysisRun.status == RunStatus.RUNNING.value, last < running_cutoff),
    )
    query = sa.select(AnalysisRun.id, AnalysisRun.status).where(quiet)
    if campaign is not None:
        query = query.where(AnalysisRun.campaign_id == campaign.id)
    recovered = 0
    for run_id, status in db.session.execute(query).all():
        queued = status == RunStatus.QUEUED.value
        cutoff = queued_cutoff if queued else running_cutoff
        # Conditional, so a heartbeat written meanwhile wins and the run goes on.
        result = db.session.execute(
            sa.update(AnalysisRun)
            .where(AnalysisRun.id == run_id, AnalysisRun.status == status, last < cutoff)
            .values(status=RunStatus.FAILED.value, stage=NOT_STARTED if queued else STOPPED,
                    error=("The analysis never started." if queued
                           else "The analysis stopped unexpectedly."),
                    finished_at=utcnow())
            .execution_options(synchronize_session=False)
        )
        recovered += result.rowcount
    if recovered:
        db.session.expire_all()
    return recovered


def pipeline_input(campaign: Campaign, run: AnalysisRun) -> PipelineInput:
    """The campaign's visible notes, the analyst's filing and the organisation's library."""
    rows = db.session.execute(
        visible_notes(campaign, Note, Question.position, Place.name, TargetGroup.name)
    )
    notes, texts = [], {}
    for note, position, place, group in rows:
        key = note_key(note.id)
        texts[note.id] = note.rendering or note.text
        notes.append({"id": key, "text": note.text, "question": f"q{position}",
                      "location": place, "target_group": group,
                      "language": note.language or "", "rendering": note.rendering or ""})
    filed = db.session.execute(
        sa.select(NoteTheme.note_id, Theme.label)
        .join(Theme, NoteTheme.theme_id == Theme.id)
        .where(NoteTheme.set_by_analyst.is_(True), Theme.campaign_id == campaign.id,
               Theme.hidden.is_(False), Theme.merged_into_id.is_(None))
        .order_by(NoteTheme.note_id)
    )
    pinned, examples = {}, []
    for pk, label in filed:
        if pk in texts:
            pinned[note_key(pk)] = label
            examples.append({"id": note_key(pk), "text": texts[pk], "theme": label})
    return PipelineInput(
        notes=notes, pinned=pinned, examples=examples,
        prior_themes=(theme_library.prior_themes(campaign.organisation_id)
                      if campaign.use_theme_library else []),
        seed=run.seed,
    )


# --- from a result to rows ------------------------------------------------------------------

def _campaign_note_themes(campaign: Campaign) -> dict[int, NoteTheme]:
    rows = db.session.scalars(
        sa.select(NoteTheme).join(Note, NoteTheme.note_id == Note.id)
        .join(Meal, Note.meal_id == Meal.id).where(Meal.campaign_id == campaign.id)
    )
    return {row.note_id: row for row in rows}


def _resolve(theme: Theme, by_id: dict[int, Theme]) -> Theme:
    seen = set()
    while theme.merged_into_id and theme.merged_into_id in by_id and theme.id not in seen:
        seen.add(theme.id)
        theme = by_id[theme.merged_into_id]
    return theme


def _match_themes(result_themes: list[dict], campaign_themes: list[Theme],
                  members: dict[int, set[int]]) -> dict[str, Theme]:
    """Result theme id -> existing theme: by label first, then by the notes they share."""
    by_id = {t.id: t for t in campaign_themes}
    live = [t for t in campaign_themes if not t.hidden and t.merged_into_id is None]
    names: dict[str, Theme] = {}
    for theme in campaign_themes:
        if theme.hidden and theme.merged_into_id is None:
            continue
        target = _resolve(theme, by_id)
        for name in (theme.auto_label, theme.label):
            if name:
                names.setdefault(name.casefold(), target)
    for theme in live:  # live labels win over what merged themes were called
        names[theme.label.casefold()] = theme
    mapping: dict[str, Theme] = {}
    used: set[int] = set()
    for rt in result_themes:
        # Several result themes may land in one theme by name (e.g. a merged theme's old label).
        theme = names.get(rt["label"].casefold())
        if theme is not None:
            mapping[rt["id"]] = theme
            used.add(theme.id)
    pairs = []
    for rt in result_themes:
        if rt["id"] in mapping:
            continue
        found = {note_pk(k) for k in rt["note_ids"]}
        for theme in live:
            have = members.get(theme.id, set())
            if theme.id in used or not have or not found:
                continue
            overlap = len(found & have) / len(found | have)
            if overlap >= MIN_OVERLAP:
                pairs.append((-overlap, rt["id"], theme.id))
    for _score, rt_id, theme_id in sorted(pairs):
        if rt_id not in mapping and theme_id not in used:
            mapping[rt_id] = by_id[theme_id]
            used.add(theme_id)
    return mapping


def unique_label(label: str, taken: set[str]) -> str:
    """`label`, or `label (2)`, `label (3)` … when another live theme already has it."""
    candidate, n = label, 2
    while candidate.casefold() in taken:
        candidate = f"{label} ({n})"
        n += 1
    return candidate


def _analyst_owned(theme: Theme, filed_theme_ids: set[int]) -> bool:
    return theme.source == "analyst" or theme.label_set_by_analyst or theme.id in filed_theme_ids


def apply_result(run: AnalysisRun, data: dict) -> None:
    """Store a finished run: match its themes to existing ones, file notes, keep analyst edits."""
    campaign = db.session.get(Campaign, run.campaign_id)
    themes = list(db.session.scalars(sa.select(Theme).where(Theme.campaign_id == campaign.id)))
    rows = _campaign_note_themes(campaign)
    members: dict[int, set[int]] = {}
    for row in rows.values():
        if row.theme_id is not None:
            members.setdefault(row.theme_id, set()).add(row.note_id)
    mapping = _match_themes(data["themes"], themes, members)
    live = [t for t in themes if not t.hidden and t.merged_into_id is None]
    taken = {t.label.casefold() for t in live}
    updated: set[int] = set()
    for rt in data["themes"]:
        theme = mapping.get(rt["id"])
        if theme is not None and theme.id in updated:
            continue
        if theme is None:
            theme = Theme(campaign_id=campaign.id, label=unique_label(rt["label"], taken),
                          source=SOURCES.get(rt.get("source", ""), "discovered"))
            db.session.add(theme)
            taken.add(theme.label.casefold())
            mapping[rt["id"]] = theme
        elif not theme.label_set_by_analyst and theme.source != "analyst" \
                and theme.label.casefold() != rt["label"].casefold():
            taken.discard(theme.label.casefold())
            theme.label = unique_label(rt["label"], taken)
            taken.add(theme.label.casefold())
        theme.auto_label = rt["label"]
        theme.keywords = list(rt.get("keywords", []))
        theme.quote_ids = [note_pk(k) for k in rt.get("quotes", [])]
        theme.hidden = False
        db.session.flush()
        updated.add(theme.id)

    theme_of = {k: mapping[rt["id"]].id for rt in data["themes"] for k in rt["note_ids"]}
    guess_of = {k: mapping[t].id for k, t in data.get("guesses", {}).items() if t in mapping}
    scores, lemmas = data.get("scores", {}), data.get("lemmas", {})
    languages = data.get("languages", {})
    analysed = {note_pk(k) for k in [*theme_of, *data.get("unassigned", [])]}
    for pk in sorted(analysed):
        key = note_key(pk)
        row = rows.get(pk)
        if row is None:
            row = NoteTheme(note_id=pk)
            db.session.add(row)
            rows[pk] = row
        if not row.set_by_analyst:
            row.theme_id = theme_of.get(key)
            row.score = float(scores.get(key, 0.0))
        row.guess_theme_id = guess_of.get(key) if row.theme_id is None else None
        row.lemmas = list(lemmas.get(key, []))
        row.detected_language = (languages.get(key) or None) and languages[key][:8]
    for pk, row in rows.items():
        if pk not in analysed:  # hidden since, or deleted: out of the analysis
            db.session.delete(row)
    db.session.flush()

    filed = {row.theme_id for row in rows.values() if row.set_by_analyst and row.theme_id}
    matched = {t.id for t in mapping.values()}
    for theme in live:
        if theme.id not in matched and not _analyst_owned(theme, filed):
            theme.hidden = True

    run.breakdown = {
        name: {
            group: [{**cell, "theme": mapping[cell["theme"]].id} for cell in cells
                    if cell["theme"] in mapping]
            for group, cells in data.get(name, {}).items()
        }
        for name in ("by_location", "by_question", "by_target_group")
    }
    run.n_notes = len(analysed)
    run.status = RunStatus.DONE.value
    run.progress = 100
    run.stage = "done"
    run.finished_at = utcnow()


# --- word cloud cache -------------------------------------------------------------------------

def cached_wordcloud(campaign: Campaign, scope: str, digest: str) -> bytes | None:
    """The stored PNG for a scope if it was drawn from exactly these notes."""
    cloud = db.session.scalar(sa.select(WordCloud).where(
        WordCloud.campaign_id == campaign.id, WordCloud.scope == scope))
    return cloud.png if cloud is not None and cloud.digest == digest else None


def store_wordcloud(campaign: Campaign, scope: str, digest: str, png: bytes) -> None:
    """Keep a drawn word cloud until its notes change."""
    cloud = db.session.scalar(sa.select(WordCloud).where(
        WordCloud.campaign_id == campaign.id, WordCloud.scope == scope))
    if cloud is None:
        cloud = WordCloud(campaign_id=campaign.id, scope=scope)
        db.session.add(cloud)
    cloud.digest, cloud.png, cloud.created_at = digest, png, utcnow()


def wordcloud(campaign: Campaign, scope: str, rows: list, draw: Callable[[list], bytes]) -> bytes:
    """The word cloud of `rows` under `scope`: the stored one while its notes are unchanged,
    otherwise drawn with `draw` now and stored (the caller commits)."""
    digest = workspace.digest(rows)
    png = cached_wordcloud(campaign, scope, digest)
    if png is None:
        png = draw(rows)
        store_wordcloud(campaign, scope, digest, png)
    return png
