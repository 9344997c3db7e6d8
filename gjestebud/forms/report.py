"""The report editor: texts per language around the generated parts, and how many themes."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, TextAreaField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from ..models import Campaign
from ..services.reports import THEMES_SHOWN_MAX, ReportTexts

TEXT_MAX = 6000
QUESTION_TEXT_MAX = 3000


class _ReportForm(FlaskForm):
    themes_shown = IntegerField(
        _l("Number of main themes in the report"),
        validators=[InputRequired(_l("Enter a number from 1 to %(max)s.", max=THEMES_SHOWN_MAX)),
                    NumberRange(1, THEMES_SHOWN_MAX,
                                _l("Enter a number from 1 to %(max)s.", max=THEMES_SHOWN_MAX))],
    )


def _too_long(limit: int):
    return Length(max=limit, message=_l("The text can be at most %(max)s characters.", max=limit))


def report_form(campaign: Campaign, languages: list[str], *, formdata=None,
                texts: ReportTexts | None = None) -> FlaskForm:
    """A form with an intro, a closing and a summary per question for each language."""

    class ReportForm(_ReportForm):
        pass

    for code in languages:
        setattr(ReportForm, f"intro_{code}", TextAreaField(
            _l("Introduction"), validators=[Optional(), _too_long(TEXT_MAX)]))
        setattr(ReportForm, f"closing_{code}", TextAreaField(
            _l("How the results will be used"), validators=[Optional(), _too_long(TEXT_MAX)]))
        for q in campaign.questions:
            setattr(ReportForm, f"question_{q.id}_{code}", TextAreaField(
                q.text(code), validators=[Optional(), _too_long(QUESTION_TEXT_MAX)]))
    data = None
    if texts is not None:
        data = {"themes_shown": texts.themes_shown}
        for code in languages:
            data[f"intro_{code}"] = texts.intro.get(code, "")
            data[f"closing_{code}"] = texts.closing.get(code, "")
            for q in campaign.questions:
                data[f"question_{q.id}_{code}"] = texts.question_texts.get(q.id, {}).get(code, "")
    if formdata is not None:
        return ReportForm(formdata=formdata)
    return ReportForm(formdata=None, data=data)


def texts_from(form: FlaskForm, campaign: Campaign, languages: list[str]) -> ReportTexts:
    """The analyst's texts as the form holds them."""
    return ReportTexts(
        intro={code: form[f"intro_{code}"].data or "" for code in languages},
        closing={code: form[f"closing_{code}"].data or "" for code in languages},
        question_texts={q.id: {code: form[f"question_{q.id}_{code}"].data or ""
                               for code in languages} for q in campaign.questions},
        themes_shown=form.themes_shown.data,
    )
