"""Staff forms: login and the campaign form (texts per language, questions, places, groups)."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from ..models import Campaign, CampaignStatus, Question
from ..services.campaigns import CampaignData, QuestionData, default_questions
from ..services.defaults import COLOURS, DEFAULT_TARGET_GROUPS

LANGS = ("nb", "nn", "en")
LANGUAGE_LABELS = {"nb": _l("Bokmål"), "nn": _l("Nynorsk"), "en": _l("English")}
COLOUR_LABELS = {
    "yellow": _l("Yellow"), "pink": _l("Pink"), "green": _l("Green"),
    "blue": _l("Blue"), "orange": _l("Orange"), "purple": _l("Purple"),
}
STATUS_LABELS = {
    CampaignStatus.DRAFT.value: _l("Draft (not visible to hosts yet)"),
    CampaignStatus.OPEN.value: _l("Open (hosts can register and guests can write)"),
    CampaignStatus.CLOSED.value: _l("Closed"),
    CampaignStatus.REPORTED.value: _l("Reported (results are published)"),
}
QUESTION_FIELDS = tuple(f"{kind}_{lang}" for lang in LANGS for kind in ("text", "plain"))


class LoginForm(FlaskForm):
    email = EmailField(
        _l("E-mail address"),
        validators=[DataRequired(_l("Enter your e-mail address.")), Length(max=254)],
        render_kw={"autocomplete": "username", "spellcheck": "false"},
    )
    password = PasswordField(
        _l("Password"),
        validators=[DataRequired(_l("Enter your password.")), Length(max=1024)],
        render_kw={"autocomplete": "current-password"},
    )


def _text(label, max_length: int, *, required_message=None):
    validators = [Length(max=max_length)]
    validators.insert(0, DataRequired(required_message) if required_message else Optional())
    return StringField(label, validators=validators)


def _area(label, max_length: int, *, required_message=None, rows: int = 4):
    validators = [Length(max=max_length)]
    validators.insert(0, DataRequired(required_message) if required_message else Optional())
    return TextAreaField(label, validators=validators, render_kw={"rows": rows})


class ReplaceGuestLinkForm(FlaskForm):
    """The confirm step before a meal gets a new guest link (the old one stops working)."""


class QuestionForm(Form):
    """One question row; a row left completely empty is ignored (or removes its question)."""

    # Which saved question the row edits; empty for a new one.
    question_id = HiddenField()
    colour = SelectField(
        _l("Colour of the post-it notes"),
        choices=[SelectChoice(c, COLOUR_LABELS[c]) for c in COLOURS],
        default=COLOURS[0],
    )
    # Text areas rather than inputs: a whole question stays readable on a 360 px phone.
    text_nb = _area(_l("Question"), 300, rows=2)
    plain_nb = _area(_l("Plain-language version"), 300, rows=2)
    text_nn = _area(_l("Question"), 300, rows=2)
    plain_nn = _area(_l("Plain-language version"), 300, rows=2)
    text_en = _area(_l("Question"), 300, rows=2)
    plain_en = _area(_l("Plain-language version"), 300, rows=2)

    # Set by CampaignForm before validation: the saved question this row edits and how many
    # notes answer it (a question with notes cannot be removed).
    saved: Question | None = None
    n_notes: int = 0

    def key(self) -> int | None:
        """The id of the saved question the row edits, if it says one."""
        value = (self.question_id.data or "").strip()
        return int(value) if value.isdigit() else None

    def is_blank(self) -> bool:
        """True when nothing is written in any language."""
        return not any((self[name].data or "").strip() for name in QUESTION_FIELDS)

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if self.is_blank() and self.n_notes and self.saved is not None:
            # Put the question back as it was, so nothing has to be typed again.
            for name, value in _question_dict(self.saved.texts or {}, self.saved.plain_texts or {},
                                              self.saved.colour).items():
                self[name].data = value
            self.text_nb.errors.append(ngettext(
                "This question already has %(num)d note, so it cannot be removed: it is back as "
                "it was. You can still change its wording.",
                "This question already has %(num)d notes, so it cannot be removed: it is back as "
                "it was. You can still change its wording.", self.n_notes))
            ok = False
        elif not self.is_blank() and not (self.text_nb.data or "").strip():
            self.text_nb.errors.append(
                _l("Write the question in bokmål, or empty the whole question to remove it.")
            )
            ok = False
        return ok

    def to_data(self) -> QuestionData:
        """The row as the campaign service's question input."""
        return QuestionData(
            texts={lang: _one_line(self[f"text_{lang}"].data) for lang in LANGS},
            plain_texts={lang: _one_line(self[f"plain_{lang}"].data) for lang in LANGS},
            colour=self.colour.data if self.colour.data in COLOURS else COLOURS[0],
            id=self.saved.id if self.saved is not None else None,
        )


class CampaignForm(FlaskForm):
    title_nb = _text(_l("Title"), 200, required_message=_l("Write a title in bokmål."))
    purpose_nb = _area(
        _l("Purpose"), 2000,
        required_message=_l("Write the purpose in bokmål."),
    )
    results_use_nb = _area(
        _l("How the answers will be used"), 2000,
        required_message=_l("Write in bokmål how the answers will be used."),
    )
    title_nn = _text(_l("Title"), 200)
    purpose_nn = _area(_l("Purpose"), 2000)
    results_use_nn = _area(_l("How the answers will be used"), 2000)
    title_en = _text(_l("Title"), 200)
    purpose_en = _area(_l("Purpose"), 2000)
    results_use_en = _area(_l("How the answers will be used"), 2000)

    questions = FieldList(FormField(QuestionForm), min_entries=1, max_entries=12)
    places = _area(
        _l("Places"), 4000, required_message=_l("Write at least one place, one per line."), rows=8
    )
    target_groups = _area(
        _l("Target groups"), 4000,
        required_message=_l("Write at least one target group, one per line."), rows=8,
    )
    opens_on = DateField(
        _l("Opens on"), validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    closes_on = DateField(
        _l("Closes on"), validators=[Optional()],
        render_kw={"autocomplete": "off"},
    )
    status = SelectField(
        _l("Status"),
        choices=[SelectChoice(value, label) for value, label in STATUS_LABELS.items()],
        default=CampaignStatus.DRAFT.value,
    )

    def know_campaign(self, questions: list[Question], note_counts: dict[int, int]) -> None:
        """Tell the rows which saved question each edits and how many notes it has.

        A row naming a question that is not the campaign's, or one already named by another
        row, counts as a new question.
        """
        by_id = {q.id: q for q in questions}
        seen: set[int] = set()
        for entry in self.questions.entries:
            row = entry.form
            key = row.key()
            row.saved = by_id.get(key) if key not in seen else None
            row.n_notes = note_counts.get(key, 0) if row.saved is not None else 0
            if row.saved is not None:
                seen.add(key)
        self.missing_locked = [q for q in questions if note_counts.get(q.id) and q.id not in seen]

    def validate(self, extra_validators=None) -> bool:
        ok = super().validate(extra_validators)
        if getattr(self, "missing_locked", None):
            # The form did not carry every question that has notes (an old copy of the page).
            self.form_errors.append(_l("The questions changed while the form was open. Reload "
                                       "the page and make your changes again."))
            ok = False
        return ok

    def validate_questions(self, field) -> None:
        if all(entry.form.is_blank() for entry in field.entries):
            raise ValidationError(_l("Write at least one question."))

    def validate_closes_on(self, field) -> None:
        if field.data and self.opens_on.data and field.data < self.opens_on.data:
            raise ValidationError(_l("The closing date must be on or after the opening date."))

    def filled_questions(self) -> list[QuestionForm]:
        """The question rows that have some text; empty rows are ignored."""
        return [entry.form for entry in self.questions.entries if not entry.form.is_blank()]

    def add_empty_question(self) -> None:
        """One empty row at the end, so a question can be added without JavaScript."""
        if len(self.questions.entries) >= (self.questions.max_entries or 99):
            return
        used = [entry.form.colour.data for entry in self.questions.entries]
        unused = [c for c in COLOURS if c not in used]
        entry = self.questions.append_entry()
        entry.form.colour.data = unused[0] if unused else COLOURS[0]

    def to_data(self) -> CampaignData:
        """The validated form as the campaign service's input."""
        return CampaignData(
            titles={lang: self[f"title_{lang}"].data or "" for lang in LANGS},
            purposes={lang: self[f"purpose_{lang}"].data or "" for lang in LANGS},
            results_uses={lang: self[f"results_use_{lang}"].data or "" for lang in LANGS},
            questions=[q.to_data() for q in self.filled_questions()],
            places=_lines(self.places.data),
            target_groups=_lines(self.target_groups.data),
            status=self.status.data,
            opens_on=self.opens_on.data,
            closes_on=self.closes_on.data,
            main_language="nb",
        )


def _one_line(text: str | None) -> str:
    """A question is one line on the poster: line breaks typed in the box become spaces."""
    return " ".join((text or "").split())


def _lines(text: str | None) -> list[str]:
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


def _question_dict(texts: dict, plain_texts: dict, colour: str) -> dict:
    row = {"colour": colour}
    for lang in LANGS:
        row[f"text_{lang}"] = texts.get(lang, "")
        row[f"plain_{lang}"] = plain_texts.get(lang, "")
    return row


def new_campaign_data(existing_places: list[str]) -> dict:
    """Prefill for a new campaign: the method's three questions and the usual target groups."""
    return {
        "questions": [
            _question_dict(q.texts, q.plain_texts, q.colour) for q in default_questions()
        ],
        "places": "\n".join(existing_places),
        "target_groups": "\n".join(DEFAULT_TARGET_GROUPS),
        "status": CampaignStatus.DRAFT.value,
    }


def campaign_form_data(campaign: Campaign) -> dict:
    """A campaign as the campaign form's initial data."""
    data = {
        "questions": [
            {**_question_dict(q.texts or {}, q.plain_texts or {}, q.colour),
             "question_id": str(q.id)} for q in campaign.questions
        ],
        "places": "\n".join(p.name for p in campaign.places),
        "target_groups": "\n".join(g.name for g in campaign.target_groups),
        "opens_on": campaign.opens_on,
        "closes_on": campaign.closes_on,
        "status": campaign.status,
    }
    for lang in LANGS:
        data[f"title_{lang}"] = (campaign.titles or {}).get(lang, "")
        data[f"purpose_{lang}"] = (campaign.purposes or {}).get(lang, "")
        data[f"results_use_{lang}"] = (campaign.results_uses or {}).get(lang, "")
    return data
