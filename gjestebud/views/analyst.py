"""Analyst pages (step 4 "Analyser"): runs, the theme workspace, edits, word clouds, exports."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from .. import analysis_tasks
from ..extensions import db
from ..forms.analyst import (
    ActionForm,
    FilterForm,
    LabelForm,
    MergeForm,
    NotesForm,
    PinForm,
    RenderingForm,
    RunForm,
)
from ..i18n import current_language, language_label
from ..models import Campaign, Role, RunStatus, Theme
from ..services import analysis_export, analysis_runs, overview, theme_library, workspace
from ..services import notes as note_service
from ..services import themes as theme_service
from ..services.spreadsheets import XLSX_MIMETYPE, wants_excel
from . import download, own_campaign, png_response
from .analyst_texts import (
    EDIT_ERRORS,
    describe_edit,
    failure_text,
    finding_sentence,
    hint_sentence,
    stage_text,
)
from .staff import role_required

bp = Blueprint("analyst", __name__, url_prefix="/analyst")
log = logging.getLogger(__name__)
ANALYSTS = (Role.ANALYST.value, Role.ADMIN.value)


@bp.before_request
@role_required(*ANALYSTS)
def _analysts_only():
    """Every page here is for analysts and admins."""


@bp.app_template_filter("lift")
def _lift(value: float) -> str:
    return format_decimal(value, format="#,##0.0")


@bp.context_processor
def _helpers():
    return {"describe_edit": describe_edit, "finding_sentence": finding_sentence,
            "hint_sentence": hint_sentence,
            "lift_class": workspace.lift_class, "stage_text": stage_text,
            "run_state": analysis_runs.run_state, "failure_text": failure_text}


def _theme(campaign: Campaign, theme_id: int) -> Theme:
    theme = theme_service.theme_in_campaign(campaign, theme_id)
    if theme is None:
        abort(404)
    return theme


def _to_workspace(campaign: Campaign):
    return redirect(url_for(".workspace", id=campaign.id), 303)


def _to_theme(campaign: Campaign, theme: Theme | None):
    if theme is None:
        return redirect(url_for(".unassigned", id=campaign.id), 303)
    return redirect(url_for(".theme", id=campaign.id, theme_id=theme.id), 303)


# --- overview and workspace ------------------------------------------------------------------

@bp.get("/")
def index():
    summaries = overview.campaign_summaries(current_user.organisation_id)
    return render_template("analyst/index.html", summaries=summaries)


def _filters(campaign: Campaign) -> tuple[FilterForm, workspace.Filters]:
    form = FilterForm(request.args)
    choices = workspace.filter_choices(campaign)
    form.question.choices = [("", _("All questions"))] + [
        (str(qid), f"{q.position}. {q.text(current_language())}")
        for qid, q in choices["questions"]]
    form.place.choices = [("", _("All places"))] + [(str(i), n) for i, n in choices["places"]]
    form.group.choices = [("", _("All target groups"))] + [
        (str(i), n) for i, n in choices["target_groups"]]
    form.language.choices = [("", _("All languages"))] + [
        (c, language_label(c)) for c in choices["languages"]]
    filters = workspace.Filters(
        question_id=form.question.data, place_id=form.place.data,
        target_group_id=form.group.data, language=form.language.data or None,
    )
    return form, filters


def _render_workspace(campaign: Campaign, create_form: LabelForm | None = None, status=200):
    filter_form, filters = _filters(campaign)
    themes = theme_service.live_themes(campaign)
    all_rows = workspace.notes(campaign)
    rows = workspace.notes(campaign, filters) if filters.active else all_rows
    done = analysis_runs.latest_done_run(campaign)
    return render_template(
        "analyst/workspace.html", campaign=campaign, filter_form=filter_form, filters=filters,
        summaries=workspace.theme_summaries(themes, rows, keep_empty=not filters.active),
        n_notes=len(rows), n_unassigned=sum(1 for r in rows if r.theme_id is None),
        n_analysed=sum(1 for r in all_rows if r.analysed),
        latest=analysis_runs.latest_run(campaign), done=done,
        heatmap=workspace.heatmap(done, themes), findings=workspace.findings(done, themes),
        hints=workspace.findings(done, themes, tier="hint"),
        question_texts={q.code: q.text(current_language()) for q in campaign.questions},
        top_words=workspace.top_words(all_rows), edits=theme_service.recent_edits(campaign),
        create_form=create_form or LabelForm(prefix="create"), action_form=ActionForm(),
        run_form=RunForm(choose="1", use_library=campaign.use_theme_library),
        n_library=len(theme_library.library_themes(campaign.organisation_id)),
    ), status


@bp.get("/campaigns/<int:id>", endpoint="workspace")
def workspace_page(id: int):
    return _render_workspace(own_campaign(id))


# --- runs ----------------------------------------------------------------------------------

@bp.post("/campaigns/<int:id>/runs")
def run_start(id: int):
    campaign = own_campaign(id)
    form = RunForm()
    if not form.validate_on_submit():
        flash(_("The page was open for a long time. Please try again."), "warning")
        return _to_workspace(campaign)
    if form.choose.data:
        campaign.use_theme_library = bool(form.use_library.data)
    run, created = analysis_runs.start_run(campaign, current_user.id)
    db.session.commit()
    if created:
        log.info("Analysis run %s queued for campaign %s by user %s", run.id, campaign.id,
                 current_user.id)
        tasks = current_app.extensions[analysis_tasks.EXTENSION]
        try:
            tasks.run_analysis(run.id)
        except Exception:
            log.exception("Analysis run %s could not be queued", run.id)
            db.session.rollback()
            analysis_runs.fail_run(db.session.get(type(run), run.id), "Could not be queued.")
            db.session.commit()
    return redirect(url_for(".run_status", id=campaign.id, run_id=run.id), 303)


def _run(campaign: Campaign, run_id: int):
    db.session.expire_all()  # an immediate-mode task may have written in another session
    run = analysis_runs.run_in_campaign(campaign, run_id)
    if run is None:
        abort(404)
    return run


FAILED_STATES = (RunStatus.FAILED.value, analysis_runs.STOPPED, analysis_runs.NOT_STARTED)


@bp.get("/campaigns/<int:id>/runs/<int:run_id>")
def run_status(id: int, run_id: int):
    campaign = own_campaign(id)
    run = _run(campaign, run_id)
    state = analysis_runs.run_state(run)
    return render_template("analyst/run.html", campaign=campaign, run=run, state=state,
                           failed=state in FAILED_STATES, action_form=ActionForm())


@bp.get("/campaigns/<int:id>/runs/<int:run_id>/status.json")
def run_status_json(id: int, run_id: int):
    campaign = own_campaign(id)
    run = _run(campaign, run_id)
    state = analysis_runs.run_state(run)
    failed = state in FAILED_STATES
    return jsonify({
        "status": state, "progress": run.progress,
        "stage": stage_text(state if failed else run.stage),
        "done": state == RunStatus.DONE.value, "failed": failed,
        "message": failure_text(state) if failed else "",
    })


# --- theme pages and edits -------------------------------------------------------------------

def _render_theme(campaign: Campaign, theme: Theme | None, *, rename_form=None, merge_form=None,
                  notes_form=None, status=200):
    themes = theme_service.live_themes(campaign)
    rows = [r for r in workspace.notes(campaign)
            if r.theme_id == (theme.id if theme else None) and (theme or r.analysed)]
    other_languages = workspace.other_languages(rows) if theme is None else []
    live = {t.id: t for t in themes}
    guesses = {r.id: live[r.guess_theme_id] for r in rows if r.guess_theme_id in live}
    if theme is None:
        # Notes with the same guess together (to move them at once); notes in languages the
        # analysis cannot read word by word last, by language.
        foreign = dict(other_languages)
        rows.sort(key=lambda r: (r.language in foreign, r.language if r.language in foreign
                                 else "", r.id not in guesses,
                                 guesses[r.id].label.casefold() if r.id in guesses else "",
                                 r.id))
    notes_form = notes_form or NotesForm()
    others = [t for t in themes if theme is None or t.id != theme.id]
    notes_form.target.choices = [(t.id, t.label) for t in others]
    if theme is not None:
        notes_form.target.choices.append((0, _("No theme")))
    merge_form = merge_form or MergeForm()
    merge_form.target.choices = [(t.id, t.label) for t in others]
    return render_template(
        "analyst/theme.html", campaign=campaign, theme=theme, rows=rows,
        pinned=set(theme.pinned_quote_ids or []) if theme else set(),
        top_words=workspace.top_words(rows), others=others,
        rename_form=rename_form or LabelForm(prefix="rename", data={"label": theme.label}
                                             if theme else None),
        merge_form=merge_form, notes_form=notes_form, action_form=ActionForm(),
        other_languages=other_languages, guesses=guesses,
    ), status


@bp.get("/campaigns/<int:id>/themes/<int:theme_id>")
def theme(id: int, theme_id: int):
    campaign = own_campaign(id)
    return _render_theme(campaign, _theme(campaign, theme_id))


@bp.get("/campaigns/<int:id>/unassigned")
def unassigned(id: int):
    return _render_theme(own_campaign(id), None)


@bp.post("/campaigns/<int:id>/themes")
def theme_create(id: int):
    campaign = own_campaign(id)
    form = LabelForm(prefix="create")
    if form.validate_on_submit():
        try:
            theme = theme_service.create(campaign, form.label.data, current_user.id)
        except theme_service.ThemeEditError as error:
            form.label.errors.append(EDIT_ERRORS[error.code]())
        else:
            db.session.commit()
            flash(_("The theme “%(label)s” is created.", label=theme.label), "success")
            return _to_theme(campaign, theme)
    return _render_workspace(campaign, create_form=form, status=400)


@bp.post("/campaigns/<int:id>/themes/<int:theme_id>/rename")
def theme_rename(id: int, theme_id: int):
    campaign = own_campaign(id)
    theme = _theme(campaign, theme_id)
    form = LabelForm(prefix="rename")
    if form.validate_on_submit():
        try:
            edit = theme_service.rename(campaign, theme, form.label.data, current_user.id)
        except theme_service.ThemeEditError as error:
            form.label.errors.append(EDIT_ERRORS[error.code]())
        else:
            db.session.commit()
            if edit is None:
                flash(_("The theme already has this name. Nothing changed."), "info")
            else:
                flash(_("The theme is renamed to “%(label)s”.", label=theme.label), "success")
            return _to_theme(campaign, theme)
    return _render_theme(campaign, theme, rename_form=form, status=400)


@bp.post("/campaigns/<int:id>/themes/<int:theme_id>/merge")
def theme_merge(id: int, theme_id: int):
    campaign = own_campaign(id)
    source = _theme(campaign, theme_id)
    form = MergeForm()
    form.target.choices = [(t.id, t.label) for t in theme_service.live_themes(campaign)
                           if t.id != source.id]
    if form.validate_on_submit():
        target = _theme(campaign, form.target.data)
        theme_service.merge(campaign, source, target, current_user.id)
        db.session.commit()
        flash(_("“%(source)s” is merged into “%(target)s”.", source=source.label,
                target=target.label), "success")
        return _to_theme(campaign, target)
    return _render_theme(campaign, source, merge_form=form, status=400)


@bp.post("/campaigns/<int:id>/themes/<int:theme_id>/notes")
def notes_action(id: int, theme_id: int):
    """Move, split off or hide the selected notes of a theme (theme 0: notes in no theme)."""
    campaign = own_campaign(id)
    theme = _theme(campaign, theme_id) if theme_id else None
    form = NotesForm()
    form.note_ids.choices = [(r.id, str(r.id)) for r in workspace.notes(campaign)
                             if r.theme_id == (theme.id if theme else None)]
    action = request.form.get("action", "move")
    if form.validate_on_submit():
        try:
            if action == "split" and theme is not None:
                new = theme_service.split(campaign, theme, form.note_ids.data,
                                          form.new_label.data or "", current_user.id)
                message = _("The selected notes are now the theme “%(label)s”.", label=new.label)
            elif action == "hide":
                theme_service.hide_notes(campaign, form.note_ids.data, current_user.id)
                message = _("The selected notes are hidden. They are left out of the analysis "
                            "and the exports.")
            else:
                target = _theme(campaign, form.target.data) if form.target.data else None
                theme_service.move(campaign, form.note_ids.data, target, current_user.id)
                message = _("The selected notes are moved to “%(label)s”.",
                            label=target.label if target else _("No theme"))
        except theme_service.ThemeEditError as error:
            field = form.new_label if error.code in ("empty", "label_taken", "too_long") \
                else form.note_ids
            field.errors = [*field.errors, EDIT_ERRORS[error.code]()]
        else:
            db.session.commit()
            flash(message, "success")
            return _to_theme(campaign, theme)
    return _render_theme(campaign, theme, notes_form=form, status=400)


def _note_row(campaign: Campaign, note_id: int):
    row = next((r for r in workspace.notes(campaign) if r.id == note_id), None)
    if row is None:
        abort(404)
    return row


def _back_to(campaign: Campaign, row):
    return url_for(".theme", id=campaign.id, theme_id=row.theme_id) if row.theme_id \
        else url_for(".unassigned", id=campaign.id)


def _render_rendering(campaign: Campaign, row, form: RenderingForm, status: int = 200):
    return render_template("analyst/rendering.html", campaign=campaign, row=row, form=form,
                           back=_back_to(campaign, row),
                           max_length=current_app.config["NOTE_MAX_LENGTH"] * 2), status


@bp.get("/campaigns/<int:id>/notes/<int:note_id>/rendering")
def rendering(id: int, note_id: int):
    campaign = own_campaign(id)
    row = _note_row(campaign, note_id)
    return _render_rendering(campaign, row, RenderingForm(rendering=row.rendering))


@bp.post("/campaigns/<int:id>/notes/<int:note_id>/rendering")
def rendering_save(id: int, note_id: int):
    """Save the rendering the analysis reads in place of the note (empty: remove it)."""
    campaign = own_campaign(id)
    row = _note_row(campaign, note_id)
    form = RenderingForm()
    if form.validate_on_submit():
        note = theme_service.notes_in_campaign(campaign, [note_id])[0]
        max_length = current_app.config["NOTE_MAX_LENGTH"] * 2
        try:
            note_service.set_rendering(note, form.rendering.data or "", max_length=max_length)
        except note_service.NoteError:
            form.rendering.errors = [_("The rendering can be at most %(num)d characters.",
                                       num=max_length)]
        else:
            db.session.commit()
            log.info("Rendering of note %s %s by user %s", note.id,
                     "saved" if note.rendering else "removed", current_user.id)
            flash(_("The rendering is saved. Run the analysis again to use it.")
                  if note.rendering else _("The rendering is removed."), "success")
            return redirect(_back_to(campaign, row), 303)
    return _render_rendering(campaign, row, form, status=400)


@bp.post("/campaigns/<int:id>/guesses")
def guess_accept(id: int):
    """File a note in no theme under the theme the analysis guessed for it."""
    campaign = own_campaign(id)
    form = PinForm()
    if not form.validate_on_submit():
        abort(400)
    row = next((r for r in workspace.notes(campaign)
                if r.id == form.note_id.data and r.theme_id is None), None)
    live = {t.id: t for t in theme_service.live_themes(campaign)}
    if row is None or row.guess_theme_id not in live:
        flash(_("That note is no longer waiting for a theme."), "warning")
        return _to_theme(campaign, None)
    target = live[row.guess_theme_id]
    theme_service.move(campaign, [row.id], target, current_user.id)
    db.session.commit()
    flash(_("The note is moved to “%(label)s”.", label=target.label), "success")
    return _to_theme(campaign, None)


@bp.post("/campaigns/<int:id>/themes/<int:theme_id>/pin")
@bp.post("/campaigns/<int:id>/themes/<int:theme_id>/unpin", endpoint="quote_unpin")
def quote_pin(id: int, theme_id: int):
    campaign = own_campaign(id)
    theme = _theme(campaign, theme_id)
    form = PinForm()
    notes = theme_service.notes_in_campaign(campaign, [form.note_id.data or 0])
    if not form.validate_on_submit() or not notes:
        abort(400)
    try:
        theme_service.set_quote_pin(campaign, theme, notes[0],
                                    request.endpoint == "analyst.quote_pin", current_user.id)
    except theme_service.ThemeEditError as error:
        flash(EDIT_ERRORS[error.code](), "error")
    else:
        db.session.commit()
        flash(_("The quotes are updated."), "success")
    return _to_theme(campaign, theme)


@bp.post("/campaigns/<int:id>/undo")
def undo(id: int):
    campaign = own_campaign(id)
    if ActionForm().validate_on_submit():
        edit = theme_service.undo_last(campaign)
        db.session.commit()
        if edit is None:
            flash(_("There is nothing to undo."), "warning")
        else:
            flash(_("Undone: %(edit)s", edit=describe_edit(edit)), "success")
    return _to_workspace(campaign)


# --- word clouds -------------------------------------------------------------------------------

@bp.get("/campaigns/<int:id>/wordclouds")
def wordclouds(id: int):
    campaign = own_campaign(id)
    rows = workspace.notes(campaign)
    clouds = [("all", _("All notes"), rows)]
    clouds += [(q.code, f"{q.code}: {q.text(current_language())}",
                [r for r in rows if r.question_code == q.code]) for q in campaign.questions]
    places = sorted({(r.place_id, r.place) for r in rows}, key=lambda p: p[1].casefold())
    clouds += [(f"place-{pid}", name, [r for r in rows if r.place_id == pid])
               for pid, name in places]
    clouds = [(scope, title, workspace.top_words(picked)) for scope, title, picked in clouds
              if picked]
    return render_template("analyst/wordclouds.html", campaign=campaign, clouds=clouds)


@bp.get("/campaigns/<int:id>/wordclouds/<scope>.png")
def wordcloud_png(id: int, scope: str):
    campaign = own_campaign(id)
    rows = workspace.scope_rows(campaign, scope)
    if rows is None:
        abort(404)
    png = analysis_runs.wordcloud(campaign, scope, rows, analysis_tasks.wordcloud_png)
    db.session.commit()
    return png_response(png, "private, max-age=300")


# --- exports ---------------------------------------------------------------------------------

@bp.get("/campaigns/<int:id>/export/notes.csv")
def export_notes_csv(id: int):
    campaign = own_campaign(id)
    log.info("Themed notes export (CSV) of campaign %s by user %s", campaign.id, current_user.id)
    excel = wants_excel(request.args)
    return download(analysis_export.notes_csv(campaign, excel=excel), "text/csv",
                    f"notes-themes-{campaign.slug}{'-excel' if excel else ''}.csv")


@bp.get("/campaigns/<int:id>/export/notes.xlsx")
def export_notes_xlsx(id: int):
    campaign = own_campaign(id)
    log.info("Themed notes export (XLSX) of campaign %s by user %s", campaign.id, current_user.id)
    return download(analysis_export.notes_xlsx(campaign), XLSX_MIMETYPE,
                     f"notes-themes-{campaign.slug}.xlsx")


@bp.get("/campaigns/<int:id>/export/themes.csv")
def export_themes_csv(id: int):
    campaign = own_campaign(id)
    excel = wants_excel(request.args)
    return download(analysis_export.themes_csv(campaign, excel=excel), "text/csv",
                    f"themes-{campaign.slug}{'-excel' if excel else ''}.csv")
