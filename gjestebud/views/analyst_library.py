"""The organisation's theme library: list, add, rename, delete, and save a workspace theme."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from ..extensions import db
from ..forms.analyst import ActionForm, LibraryThemeForm
from ..models import Role
from ..services import theme_library
from ..services import themes as theme_service
from . import own_campaign
from .staff import role_required

bp = Blueprint("analyst_library", __name__, url_prefix="/analyst/library")
ERRORS = {
    "empty": lambda: _("Enter a name."),
    "label_taken": lambda: _("The library already has a theme with this name."),
}


@bp.before_request
@role_required(Role.ANALYST.value, Role.ADMIN.value)
def _analysts_only():
    """Every page here is for analysts and admins."""


def _render(form: LibraryThemeForm | None = None, status: int = 200):
    return render_template(
        "analyst/library.html", themes=theme_library.library_themes(current_user.organisation_id),
        form=form or LibraryThemeForm(prefix="new"), action_form=ActionForm(),
    ), status


def _library_theme(theme_id: int):
    theme = theme_library.library_theme(current_user.organisation_id, theme_id)
    if theme is None:
        abort(404)
    return theme


@bp.get("/")
def library():
    return _render()


@bp.post("/")
def library_add():
    form = LibraryThemeForm(prefix="new")
    if form.validate_on_submit():
        try:
            theme = theme_library.add_theme(
                current_user.organisation_id, form.label.data, form.description.data or "",
                theme_library.examples_from_text(form.examples.data))
        except theme_library.LibraryError as error:
            form.label.errors.append(ERRORS[error.code]())
        else:
            db.session.commit()
            flash(_("“%(label)s” is added to the library.", label=theme.label), "success")
            return redirect(url_for(".library"), 303)
    return _render(form, 400)


@bp.route("/<int:theme_id>", methods=["GET", "POST"])
def library_edit(theme_id: int):
    theme = _library_theme(theme_id)
    form = LibraryThemeForm(data={
        "label": theme.label, "description": theme.description,
        "examples": "\n".join(theme.examples or [])})
    if form.validate_on_submit():
        try:
            theme_library.update_theme(theme, form.label.data, form.description.data or "",
                                       theme_library.examples_from_text(form.examples.data))
        except theme_library.LibraryError as error:
            db.session.rollback()
            form.label.errors.append(ERRORS[error.code]())
        else:
            db.session.commit()
            flash(_("The library theme is saved."), "success")
            return redirect(url_for(".library"), 303)
    return render_template("analyst/library_edit.html", theme=theme, form=form,
                           action_form=ActionForm()), 400 if form.errors else 200


@bp.post("/<int:theme_id>/delete")
def library_delete(theme_id: int):
    theme = _library_theme(theme_id)
    if ActionForm().validate_on_submit():
        theme_library.delete_theme(theme)
        db.session.commit()
        flash(_("“%(label)s” is removed from the library.", label=theme.label), "success")
    return redirect(url_for(".library"), 303)


@bp.post("/from-campaign/<int:id>/themes/<int:theme_id>")
def save_campaign_theme(id: int, theme_id: int):
    """Save a workspace theme to the library, so next year's analysis starts from it."""
    theme = theme_service.theme_in_campaign(own_campaign(id), theme_id)
    if theme is None:
        abort(404)
    if ActionForm().validate_on_submit():
        theme_library.save_campaign_theme(current_user.organisation_id, theme)
        db.session.commit()
        flash(_("“%(label)s” is saved to the theme library.", label=theme.label), "success")
    return redirect(url_for("analyst.theme", id=id, theme_id=theme.id), 303)
