"""Analyst forms: filters, theme edits, the theme library."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional

LABEL_MAX = 120


def _optional_int(value):
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None


class FilterForm(FlaskForm):
    """The workspace filters: a GET form, so no CSRF token and bookmarkable."""

    class Meta:
        csrf = False

    question = SelectField(_l("Question"), coerce=_optional_int, validate_choice=False)
    place = SelectField(_l("Place"), coerce=_optional_int, validate_choice=False)
    group = SelectField(_l("Target group"), coerce=_optional_int, validate_choice=False)
    language = SelectField(_l("Language"), validate_choice=False)


class ActionForm(FlaskForm):
    """A button that only needs the CSRF token: run, undo, save to library, delete."""


class RunForm(FlaskForm):
    """Start an analysis; the workspace's form also says whether to use the theme library
    (`choose` is set there, so that "start again" elsewhere keeps the campaign's choice)."""

    choose = HiddenField()
    use_library = BooleanField(_l("Name the themes after the themes of earlier campaigns (the "
                                  "theme library)"))


class LabelForm(FlaskForm):
    """Rename a theme, or name a new one."""

    label = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name.")),
                    Length(max=LABEL_MAX, message=_l("The name can be at most 120 characters."))],
    )


class MergeForm(FlaskForm):
    target = SelectField(_l("Merge into"), coerce=int,
                         validators=[InputRequired(_l("Choose the theme to merge into."))])


class NotesForm(FlaskForm):
    """Selected notes of a theme page, and what to do with them."""

    note_ids = SelectMultipleField(_l("Notes"), coerce=int,
                                   validators=[DataRequired(_l("Select at least one note."))])
    target = SelectField(_l("Move the selected notes to"), coerce=int, validate_choice=False)
    new_label = StringField(_l("Name of the new theme"),
                            validators=[Optional(), Length(max=LABEL_MAX)])
    action = HiddenField()


class RenderingForm(FlaskForm):
    """A Norwegian rendering of a note in a language the analysis cannot read."""

    rendering = TextAreaField(_l("Norwegian rendering"), validators=[Optional(), Length(max=4000)])


class PinForm(FlaskForm):
    note_id = IntegerField(validators=[InputRequired()])


class LibraryThemeForm(FlaskForm):
    label = StringField(
        _l("Name"),
        validators=[DataRequired(_l("Enter a name.")),
                    Length(max=LABEL_MAX, message=_l("The name can be at most 120 characters."))],
    )
    description = TextAreaField(_l("Description"), validators=[Optional(), Length(max=2000)])
    examples = TextAreaField(_l("Example notes"), validators=[Optional(), Length(max=5000)])
