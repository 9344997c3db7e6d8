"""The guest page: scan a poster, write post-it notes, anonymously, with or without JavaScript."""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import generate_csrf
from sqlalchemy.exc import SQLAlchemyError

from ..errors import render_error, wants_json
from ..extensions import db, limiter
from ..forms.public import NoteForm, new_client_key
from ..i18n import current_language
from ..models import Meal, Question, localized_with_language
from ..security import form_checks_csrf
from ..services.campaigns import accepts_notes
from ..services.defaults import COLOURS
from ..services.feedback_content import is_reported
from ..services.meals import meal_by_public_token
from ..services.notes import NoteError, add_note, notes_for_keys
from .feedback import consent_panel, results_page

bp = Blueprint("public", __name__)
log = logging.getLogger(__name__)

# The signed session cookie remembers which notes this browser sent, so that the page can
# list them as "sent" without JavaScript. Only the random keys, and only the latest few.
SENT_KEYS = "sent_notes"
MAX_REMEMBERED = 30
JUST_SENT = "note_sent_to"


def _meal_key() -> str:
    return "meal:" + (request.view_args or {}).get("token", "").lower()


def _ip_limit() -> str:
    return current_app.config["NOTE_RATE_LIMIT_PER_IP"]


def _meal_limit() -> str:
    return current_app.config["NOTE_RATE_LIMIT_PER_MEAL"]


@bp.get("/m/<token>")
def meal(token: str):
    """The page guests open from a QR poster."""
    meal = _load_meal(token)
    if is_reported(meal.campaign):
        return results_page(meal)  # the same QR code now gives the answer
    if not accepts_notes(meal.campaign):
        return _closed_page(meal, status=200)
    return _render_page(meal, sent_to=session.pop(JUST_SENT, None))


@bp.route("/m/<token>/notes", methods=["GET", "POST"])
@limiter.limit(_ip_limit, methods=["POST"])
@limiter.limit(_meal_limit, key_func=_meal_key, methods=["POST"])
@form_checks_csrf
def submit_note(token: str):
    """Store one note; acknowledge it only after the commit."""
    if request.method == "GET":
        # The language switch on a re-rendered form links here: send it to the page.
        return redirect(url_for("public.meal", token=token, **_view_args()), 303)
    meal = _load_meal(token)
    form = NoteForm()
    if not accepts_notes(meal.campaign):
        return _closed_page(meal, status=409, kept=form.text.data)
    question = _question(meal, form.question_id.data)
    if form.is_spam:
        # Pretend all went well so that the robot learns nothing; store nothing.
        return _sent(meal, question, form.usable_client_key())
    if question is None:
        return render_error(400)
    if not form.validate():
        if form.csrf_failed:
            return _problem(meal, question, form, "csrf")
        message = form.text.errors[0] if form.text.errors else _note_error_message("empty")
        return _problem(meal, question, form, "invalid", message)
    key = form.usable_client_key()
    try:
        add_note(
            meal, question, form.text.data, key,
            max_length=current_app.config["NOTE_MAX_LENGTH"], language=current_language(),
        )
        db.session.commit()
    except NoteError as error:
        db.session.rollback()
        return _problem(meal, question, form, "invalid", _note_error_message(error.code))
    except SQLAlchemyError as error:
        db.session.rollback()
        # The error's text would quote the SQL parameters, i.e. the note: log only its type.
        log.error("Could not store a note for meal %s: %s", meal.id, type(error).__name__)
        return _problem(meal, question, form, "unavailable")
    _remember(key)
    return _sent(meal, question, key)


@bp.errorhandler(429)
def _too_many(_error):
    """Rate limited: say so in the guest's language and keep what they wrote."""
    meal = meal_by_public_token((request.view_args or {}).get("token", ""))
    if meal is None or request.endpoint != "public.submit_note":
        return render_error(429)
    form = NoteForm()
    question = _question(meal, form.question_id.data)
    if question is None:
        return render_error(429)
    return _problem(meal, question, form, "rate_limited")


# --- helpers --------------------------------------------------------------------------------

def _load_meal(token: str) -> Meal:
    meal = meal_by_public_token(token)
    if meal is None:
        abort(404)
    return meal


def _question(meal: Meal, question_id) -> Question | None:
    return next((q for q in meal.campaign.questions if q.id == question_id), None)


def _view_args() -> dict:
    """The page options (one question, plain language) to keep across a post."""
    args = {}
    position = request.args.get("q", type=int)
    if position:
        args["q"] = position
    if request.args.get("plain") == "1":
        args["plain"] = 1
    return args


def _remember(key: str) -> None:
    keys = [k for k in session.get(SENT_KEYS, []) if k != key] + [key]
    session[SENT_KEYS] = keys[-MAX_REMEMBERED:]


def _sent(meal: Meal, question: Question | None, key: str):
    if wants_json():
        # Only the key the browser sent: nothing about this or any other note.
        return jsonify({"status": "sent", "client_key": key}), 200
    anchor = f"question-{question.position}" if question else None
    if question is not None:
        session[JUST_SENT] = question.position
    return redirect(
        url_for("public.meal", token=meal.public_token, _anchor=anchor, **_view_args()), 303
    )


def _messages() -> dict[str, tuple[str, int]]:
    return {
        "csrf": (
            _(
                "The page was open for a long time, so it had to be renewed. "
                "What you wrote is kept: please check it and send it again."
            ),
            200,
        ),
        "rate_limited": (
            _(
                "Many notes were sent in a short time. What you wrote is kept: "
                "please wait a minute and send it again."
            ),
            429,
        ),
        "unavailable": (
            _(
                "We could not save your note just now. What you wrote is kept: "
                "please try again in a moment."
            ),
            503,
        ),
    }


def _note_error_message(code: str) -> str:
    if code == "too_long":
        return _("The note is too long. Please shorten it to %(limit)s characters.",
                 limit=current_app.config["NOTE_MAX_LENGTH"])
    return _("Write something on the note before you send it.")


def _problem(meal: Meal, question: Question, form: NoteForm, code: str, message: str = ""):
    """The note was not stored: explain why, keep the text, offer a fresh token."""
    status = 422
    if code in _messages():
        message, status = _messages()[code]
    if wants_json():
        body = {"error": code, "message": message}
        if code == "csrf":
            body["csrf_token"] = generate_csrf()
            status = 400
        return jsonify(body), status
    form.client_key.data = form.usable_client_key()
    return _render_page(
        meal, forms={question.id: form}, errors={question.id: message}, status=status
    )


def _render_page(meal: Meal, *, forms=None, errors=None, sent_to=None, status: int = 200):
    lang = current_language()
    view = _view_args()
    questions = meal.campaign.questions
    only = view.get("q")
    if only and any(q.position == only for q in questions):
        questions = [q for q in questions if q.position == only]
    else:
        view.pop("q", None)
    plain = bool(view.get("plain"))
    main = meal.campaign.main_language
    mine: dict[int, list] = {}
    for note in notes_for_keys(meal, session.get(SENT_KEYS, [])):
        mine.setdefault(note.question_id, []).append(note)
    forms, errors = forms or {}, errors or {}
    pads = [
        {
            "question": q,
            "heading": localized_with_language(
                (plain and q.plain_texts) or q.texts, lang, main),
            "colour": q.colour if q.colour in COLOURS else "yellow",
            "form": forms.get(q.id) or _blank_form(q),
            "error": errors.get(q.id),
            "sent_here": sent_to == q.position,
            "notes": mine.get(q.id, []),
        }
        for q in questions
    ]
    html = render_template(
        "public/meal.html",
        meal=meal,
        campaign=meal.campaign,
        lang=lang,
        title=localized_with_language(meal.campaign.titles, lang, main),
        results_use=localized_with_language(meal.campaign.results_uses, lang, main),
        pads=pads,
        view=view,
        plain=plain,
        has_plain=any(q.plain_texts for q in meal.campaign.questions),
        max_length=current_app.config["NOTE_MAX_LENGTH"],
        # The language rides along in the address so a reply after the session has expired
        # still speaks the guest's language.
        action=url_for("public.submit_note", token=meal.public_token, lang=lang, **view),
        consent=consent_panel(meal, has_sent=bool(mine) or sent_to is not None),
    )
    return html, status



def _blank_form(question: Question) -> NoteForm:
    return NoteForm(formdata=None, question_id=question.id, client_key=new_client_key())


def _closed_page(meal: Meal, *, status: int, kept: str | None = None):
    if wants_json():
        message = _("This gjestebud is not accepting notes any more.")
        return jsonify({"error": "closed", "message": message}), status
    html = render_template(
        "public/closed.html", campaign=meal.campaign, lang=current_language(), kept=kept
    )
    return html, status
