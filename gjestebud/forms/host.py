"""Forms a host fills in: registering a meal, closing it and typing in paper notes."""

from __future__ import annotations

from datetime import date

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    DataRequired,
    Email,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    ValidationError,
)

MEAL_LANGUAGES = (("nb", "Bokmål"), ("nn", "Nynorsk"), ("en", "English"))


def choice(value, label) -> SelectChoice:
    """An option for a select; an empty value is the "choose one" prompt."""
    return SelectChoice(value="" if value is None else str(value), label=str(label))
PAPER_NOTES_MAX_CHARS = 10_000


def strip(value):
    """Trim typed text; leave other values alone."""
    return value.strip() if isinstance(value, str) else value


def no_line_breaks(_form, field) -> None:
    """One-line fields never contain CR or LF (they could smuggle e-mail headers)."""
    if field.data and ("\r" in field.data or "\n" in field.data):
        raise ValidationError(_l("Write this on one line."))


class ChoiceOfList(SelectField):
    """A select whose wrong values get our own message instead of WTForms' terse one."""

    def __init__(self, *args, choice_message: str = "", **kwargs):
        kwargs.setdefault("validate_choice", False)
        super().__init__(*args, **kwargs)
        self.choice_message = choice_message

    def pre_validate(self, form) -> None:
        # The empty "choose one" prompt is never a valid answer.
        allowed = {self.coerce(option.value) for option in (self.choices or [])} - {None, ""}
        if self.data not in allowed:
            raise ValidationError(self.choice_message)


def coerce_id(value):
    """Turn a posted id into an int; anything else becomes None (and fails the choice check)."""
    if value in (None, ""):
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class RegisterMealForm(FlaskForm):
    """A host registers a meal for a campaign. Choices for place and group are set by the view."""

    host_name = StringField(
        _l("Your name"),
        filters=[strip],
        validators=[DataRequired(_l("Enter your name.")), Length(max=200), no_line_breaks],
        render_kw={"autocomplete": "name"},
    )
    email = EmailField(
        _l("E-mail"),
        filters=[strip],
        validators=[
            Optional(),
            no_line_breaks,
            Length(max=254),
            Email(_l("Enter an e-mail address like name@example.no.")),
        ],
        render_kw={"autocomplete": "email", "inputmode": "email", "spellcheck": "false"},
    )
    phone = TelField(
        _l("Phone"),
        filters=[strip],
        validators=[
            Optional(),
            no_line_breaks,
            Length(max=40),
            Regexp(
                r"^\+?[0-9][0-9 ().-]{4,}$",
                message=_l("Enter a phone number with digits, for example 912 34 567."),
            ),
        ],
        render_kw={"autocomplete": "tel"},
    )
    place = ChoiceOfList(
        _l("Place"),
        coerce=coerce_id,
        choice_message=_l("Choose one of the places in the list."),
    )
    target_group = ChoiceOfList(
        _l("Group of guests"),
        coerce=coerce_id,
        choice_message=_l("Choose one of the groups in the list."),
    )
    held_on = DateField(
        _l("Date of the meal"),
        validators=[InputRequired(_l("Enter the date of the meal."))],
        invalid_value_message=_l("Enter a date like 2026-05-31."),
    )
    expected_guests = IntegerField(
        _l("How many guests do you expect?"),
        validators=[
            InputRequired(_l("Enter how many guests you expect.")),
            NumberRange(1, 100, _l("Enter a number from 1 to 100.")),
        ],
        invalid_value_message=_l("Enter a whole number, for example 8."),
        render_kw={"min": 1, "max": 100, "inputmode": "numeric"},
    )
    language = ChoiceOfList(
        _l("Language of the meal"),
        choices=[choice(code, name) for code, name in MEAL_LANGUAGES],
        default="nb",
        choice_message=_l("Choose one of the languages in the list."),
    )
    submit = SubmitField(_l("Register the meal"))

    def validate_held_on(self, field) -> None:
        if field.data and field.data < date.today():
            raise ValidationError(_l("The date has passed. Choose today or a later date."))

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        has_contact = self.email.data or self.phone.data
        if not has_contact and not (self.email.errors or self.phone.errors):
            # Tied to the e-mail field so the summary links to the first contact input.
            self.email.errors = list(self.email.errors) + [
                _l("Enter an e-mail address or a phone number, so we can reach you.")
            ]
            ok = False
        return ok


class CloseMealForm(FlaskForm):
    """After the meal: how many came, and a short summary."""

    guest_count = IntegerField(
        _l("How many guests came?"),
        validators=[
            InputRequired(_l("Enter how many guests came.")),
            NumberRange(0, 200, _l("Enter a number from 0 to 200.")),
        ],
        invalid_value_message=_l("Enter a whole number, for example 8."),
        render_kw={"min": 0, "max": 200, "inputmode": "numeric"},
    )
    summary = TextAreaField(
        _l("Short summary (optional)"),
        filters=[strip],
        validators=[Optional(), Length(max=2000, message=_l("Write at most 2000 characters."))],
        render_kw={"rows": 6, "maxlength": 2000},
    )
    submit = SubmitField(_l("Save"))


class NewGuestLinkForm(FlaskForm):
    """A button: replace the guest link (the old one and its posters stop working)."""

    submit = SubmitField(_l("Make a new guest link"))


class PaperNotesForm(FlaskForm):
    """Notes written on paper, typed in by the host: one question per submit."""

    question = ChoiceOfList(
        _l("Question"),
        coerce=coerce_id,
        choice_message=_l("Choose one of the questions in the list."),
    )
    text = TextAreaField(
        _l("Notes"),
        validators=[
            DataRequired(_l("Type at least one note.")),
            Length(
                max=PAPER_NOTES_MAX_CHARS,
                message=_l("That is too much at once. Send the notes in smaller batches."),
            ),
        ],
        render_kw={"rows": 10},
    )
    # Made at render time and sent back unchanged: a double submit stores the notes once.
    client_key = HiddenField()
    submit = SubmitField(_l("Save the notes"))


class PaperNoteEditForm(FlaskForm):
    """Correct or remove one note the host typed in from paper."""

    text = TextAreaField(_l("The note"), validators=[Length(max=PAPER_NOTES_MAX_CHARS)],
                         render_kw={"rows": 4})
    save = SubmitField(_l("Save the change"))
    delete = SubmitField(_l("Delete the note"))
