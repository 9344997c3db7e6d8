"""The form staff write a feedback e-mail or a later update in, and the send button."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectMultipleField, StringField, TextAreaField
from wtforms.validators import Length, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import LANGUAGE_NAMES
from ..models import LANGUAGES
from ..services.feedback_messages import BODY_MAX, RESULTS, SUBJECT_MAX, Draft


def _one_line(form, field) -> None:
    """A subject becomes an e-mail header: a line break could forge another header."""
    if "\r" in (field.data or "") or "\n" in (field.data or ""):
        raise ValidationError(_l("The subject must be on one line."))


class FeedbackMessageForm(FlaskForm):
    """Subject and text per language; for an update, the themes it is about."""

    themes = SelectMultipleField(
        _l("What the update is about"), coerce=int, choices=[],
        widget=ListWidget(prefix_label=False), option_widget=CheckboxInput(),
    )

    def __init__(self, *args, kind: str = RESULTS, main_language: str = "nb", **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.main_language = main_language
        body_label = _l("What we heard") if kind == RESULTS else _l("The news")
        for code in LANGUAGES:
            name = LANGUAGE_NAMES[code]
            self[f"subject_{code}"].label.text = f"{_l('Subject')} ({name})"
            self[f"body_{code}"].label.text = f"{body_label} ({name})"

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        main = self.main_language
        for name in (f"subject_{main}", f"body_{main}"):
            field = self[name]
            if not (field.data or "").strip() and not field.errors:
                field.errors.append(_l("Write this in the campaign's main language."))
                valid = False
        return valid

    def draft(self) -> Draft:
        return Draft(
            subjects={code: self[f"subject_{code}"].data or "" for code in LANGUAGES},
            bodies={code: self[f"body_{code}"].data or "" for code in LANGUAGES},
            theme_ids=list(self.themes.data or []),
        )

    @staticmethod
    def data_from(draft: Draft) -> dict:
        values = {"themes": list(draft.theme_ids)}
        for code in LANGUAGES:
            values[f"subject_{code}"] = draft.subjects.get(code, "")
            values[f"body_{code}"] = draft.bodies.get(code, "")
        return values


for _code in LANGUAGES:
    setattr(FeedbackMessageForm, f"subject_{_code}", StringField(
        _l("Subject"), validators=[Length(max=SUBJECT_MAX), _one_line]))
    setattr(FeedbackMessageForm, f"body_{_code}", TextAreaField(
        _l("Message"), validators=[Length(max=BODY_MAX)]))


class SendForm(FlaskForm):
    """The button that sends the message, after the numbers have been shown."""

    # Unticked (the default), this is the last e-mail: the guests' addresses go after a grace
    # period. Ticked, they are kept for a later update, until the campaign's retention date.
    more_to_come = BooleanField(_l("More updates will follow: keep the guests' addresses"))
