"""The host's pages: register a meal, the private meal page, QR posters, closing, paper notes."""

from __future__ import annotations

from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import force_locale, ngettext
from flask_babel import gettext as _

from .. import links
from ..errors import render_error
from ..extensions import db, limiter
from ..forms.host import (
    CloseMealForm,
    NewGuestLinkForm,
    PaperNoteEditForm,
    PaperNotesForm,
    RegisterMealForm,
    choice,
)
from ..i18n import current_language, set_page_language
from ..models import Meal
from ..security import form_checks_csrf
from ..services.campaigns import accepts_notes, accepts_registrations, campaign_by_slug
from ..services.defaults import COLOURS
from ..services.meals import (
    MealRegistration,
    RegistrationError,
    close_meal,
    meal_by_host_token,
    register_meal,
    renew_public_token,
    send_host_link,
)
from ..services.notes import (
    NoteError,
    add_paper_notes,
    count_notes,
    delete_paper_note,
    edit_paper_note,
    notes_by_source,
    paper_note,
)
from ..services.posters import guest_code
from ..services.tokens import new_token, normalise_token

bp = Blueprint("host", __name__)


def _meal_or_404(token: str) -> Meal:
    meal = meal_by_host_token(token)
    if meal is None:
        abort(404)
    # Until the host picks a language, their pages speak the one they registered the meal in.
    set_page_language(meal.language)
    return meal


def _see_other(endpoint: str, **values):
    return redirect(url_for(endpoint, **values), code=303)


def colour_class(colour: str) -> str:
    """The CSS class for a question colour; unknown colours fall back to yellow."""
    return f"colour-{colour if colour in COLOURS else 'yellow'}"


@bp.app_template_global()
def host_colour_class(colour: str) -> str:
    """Template helper: colour_class()."""
    return colour_class(colour)


# --- registration --------------------------------------------------------------------------


def registration_form(campaign, **kwargs) -> RegisterMealForm:
    """The registration form with the campaign's places and groups (also used by invitations)."""
    form = RegisterMealForm(**kwargs)
    form.place.choices = [choice(None, _("Choose a place"))] + [
        choice(p.id, p.name) for p in campaign.places
    ]
    form.target_group.choices = [choice(None, _("Choose a group"))] + [
        choice(g.id, g.name) for g in campaign.target_groups
    ]
    return form


def registration_from_form(form: RegisterMealForm) -> MealRegistration:
    """The validated registration form as the service's input."""
    return MealRegistration(
        host_name=form.host_name.data,
        email=form.email.data or None,
        phone=form.phone.data or None,
        place_id=form.place.data,
        target_group_id=form.target_group.data,
        held_on=form.held_on.data,
        expected_guests=form.expected_guests.data,
        language=form.language.data,
    )


def _registration_limit_per_ip() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT_PER_IP"]


def _registration_limit_per_campaign() -> str:
    return current_app.config["REGISTRATION_RATE_LIMIT_PER_CAMPAIGN"]


def _campaign_key() -> str:
    return "register:" + (request.view_args or {}).get("slug", "").lower()


@bp.route("/c/<slug>/register", methods=["GET", "POST"])
@limiter.limit(_registration_limit_per_ip, methods=["POST"])
@limiter.limit(_registration_limit_per_campaign, key_func=_campaign_key, methods=["POST"])
@form_checks_csrf
def register(slug: str):
    """A host registers a meal for an open campaign."""
    campaign = campaign_by_slug(slug)
    if campaign is None:
        abort(404)
    lang = current_language()
    if not accepts_registrations(campaign, date.today()):
        return render_template(
            "host/register_closed.html", campaign=campaign, lang=lang, today_date=date.today()
        )

    form = registration_form(campaign)
    if not form.is_submitted():
        form.language.data = lang
    if form.validate_on_submit():
        data = registration_from_form(form)
        try:
            meal, token = register_meal(campaign, data)
        except RegistrationError:
            db.session.rollback()
            form.place.errors = [_("Choose one of the places in the list.")]
        else:
            send_host_link(meal, token)
            db.session.commit()
            flash(_("Your meal is registered. Save the private link below."), "success")
            return _see_other("host.meal", token=token)
    return render_template(
        "host/register.html", campaign=campaign, form=form, lang=lang,
        today=date.today().isoformat(),
    )


@bp.errorhandler(429)
def _too_many_registrations(_error):
    """Too many meals registered in a short time: say so, and keep what was typed."""
    campaign = campaign_by_slug((request.view_args or {}).get("slug", ""))
    if campaign is None or request.endpoint != "host.register":
        return render_error(429)
    return render_template(
        "host/register.html", campaign=campaign, form=registration_form(campaign),
        lang=current_language(), today=date.today().isoformat(), too_many=True,
    ), 429


# --- the host's private page ---------------------------------------------------------------


def _guest_codes(meal: Meal, css_class: str = "qr") -> tuple[list, object]:
    """One QR code per question and one for all, labelled in the current locale."""
    codes = []
    for question in meal.campaign.questions:
        url = links.guest_url(meal, question.position)
        label = _("QR code for question %(n)d, opens %(url)s", n=question.position, url=url)
        codes.append((question, guest_code(url, question.position, label, css_class)))
    url = links.guest_url(meal)
    all_code = guest_code(url, None, _("QR code for all the questions, opens %(url)s", url=url),
                          css_class)
    return codes, all_code


@bp.get("/h/<token>", endpoint="meal")
def meal_page(token: str):
    """The host's private page: meal details, note counts, guest links and QR codes."""
    meal = _meal_or_404(token)
    lang = current_language()
    counts = count_notes(meal)
    codes, all_code = _guest_codes(meal)
    return render_template(
        "host/meal.html",
        meal=meal,
        token=normalise_token(token),
        private_url=links.host_url(normalise_token(token)),
        lang=lang,
        counts=counts,
        total=sum(counts.values()),
        codes=codes,
        all_code=all_code,
        link_form=NewGuestLinkForm(),
    )


@bp.post("/h/<token>/guest-link", endpoint="new_guest_link")
@form_checks_csrf
def new_guest_link(token: str):
    """Replace the guest link, e.g. when a poster ended up somewhere public."""
    meal = _meal_or_404(token)
    if NewGuestLinkForm().validate_on_submit():
        renew_public_token(meal)
        db.session.commit()
        flash(_("The guest link is new. Print the posters again: the old ones no longer work."),
              "success")
    else:
        flash(_("The page was open for a long time, so nothing was changed. Please press the "
                "button again."), "warning")
    return _see_other("host.meal", token=normalise_token(token))


@bp.get("/h/<token>/posters", endpoint="posters")
def posters(token: str):
    """Printable posters: one A4 page per question and a table card with all the questions."""
    meal = _meal_or_404(token)
    # The posters speak the meal's language, whatever language the host reads the site in.
    with force_locale(meal.language):
        codes, all_code = _guest_codes(meal, css_class="qr poster-qr")
        poster_texts = {
            "question": [_("Question %(n)d", n=q.position) for q, _code in codes],
            "scan": _("Scan the code with your phone camera and write your answer."),
            "type": _("Or type this address:"),
            "anonymous": _("Anonymous: we do not ask who you are."),
            "all_title": _("All the questions"),
            "all_scan": _("Scan to answer all the questions on your phone."),
        }
    return render_template(
        "host/posters.html",
        meal=meal,
        token=normalise_token(token),
        lang=current_language(),
        codes=codes,
        all_code=all_code,
        poster_texts=poster_texts,
    )


# --- after the meal ------------------------------------------------------------------------


@bp.route("/h/<token>/close", methods=["GET", "POST"], endpoint="close")
@form_checks_csrf
def close(token: str):
    """The host reports the meal as held: how many came and a short summary; can be edited."""
    meal = _meal_or_404(token)
    form = CloseMealForm()
    if not form.is_submitted():
        form.guest_count.data = meal.guest_count
        form.summary.data = meal.summary
    if form.validate_on_submit():
        close_meal(meal, form.guest_count.data, form.summary.data)
        db.session.commit()
        flash(_("Thank you! The meal is marked as held. You can change this later."), "success")
        return _see_other("host.meal", token=normalise_token(token))
    return render_template(
        "host/close.html", meal=meal, form=form, token=normalise_token(token),
        lang=current_language(),
    )


def _paper_error(error: NoteError) -> str:
    if error.code == "too_long":
        return _(
            "The note on line %(n)d is longer than %(max)d characters. Shorten it.",
            n=getattr(error, "index", 1),
            max=current_app.config["NOTE_MAX_LENGTH"],
        )
    return _("Type at least one note.")


@bp.route("/h/<token>/notes", methods=["GET", "POST"], endpoint="paper_notes")
@form_checks_csrf
def paper_notes(token: str):
    """The host types in notes that guests wrote on paper, for one question at a time."""
    meal = _meal_or_404(token)
    token = normalise_token(token)
    lang = current_language()
    questions = list(meal.campaign.questions)
    open_for_notes = accepts_notes(meal.campaign)

    form = PaperNotesForm()
    form.question.choices = [choice(None, _("Choose a question"))] + [
        choice(q.id, f"{q.position}. {q.text(lang)}") for q in questions
    ]
    if not form.is_submitted():
        # The key is made now and posted back unchanged, so a double submit stores once.
        form.client_key.data = new_token(16)
        asked = request.args.get("q", type=int)
        form.question.data = next((q.id for q in questions if q.position == asked), None)
    if open_for_notes and form.validate_on_submit():
        question = next(q for q in questions if q.id == form.question.data)
        try:
            results = add_paper_notes(
                meal, question, form.text.data, form.client_key.data or new_token(16),
                max_length=current_app.config["NOTE_MAX_LENGTH"], language=meal.language,
            )
        except NoteError as error:
            db.session.rollback()
            form.text.errors = [_paper_error(error)]
        else:
            db.session.commit()
            created = sum(1 for _note, new in results if new)
            if created:
                flash(ngettext(
                    "%(num)d note saved for question %(n)d.",
                    "%(num)d notes saved for question %(n)d.",
                    created, n=question.position,
                ), "success")
            else:
                flash(_("These notes were already saved."), "info")
            return _see_other("host.paper_notes", token=token, q=question.position)
    return render_template(
        "host/paper_notes.html", meal=meal, form=form, token=token, lang=lang,
        questions=questions, open_for_notes=open_for_notes,
        paper=notes_by_source(meal, "paper"), max_length=current_app.config["NOTE_MAX_LENGTH"],
    )


@bp.route("/h/<token>/notes/<int:note_id>", methods=["GET", "POST"], endpoint="paper_note")
@form_checks_csrf
def paper_note_edit(token: str, note_id: int):
    """Correct or delete one note typed in from paper, while the campaign takes notes."""
    meal = _meal_or_404(token)
    token = normalise_token(token)
    note = paper_note(meal, note_id)
    if note is None:
        abort(404)
    open_for_notes = accepts_notes(meal.campaign)
    form = PaperNoteEditForm()
    if not form.is_submitted():
        form.text.data = note.text
    elif open_for_notes and form.validate_on_submit():
        position = note.question.position
        max_length = current_app.config["NOTE_MAX_LENGTH"]
        try:
            if form.delete.data:
                delete_paper_note(note)
                message = _("The note is deleted.")
            else:
                edit_paper_note(note, form.text.data or "", max_length=max_length)
                message = _("The note is changed.")
        except NoteError as error:
            form.text.errors = [_("Type the note, or delete it.") if error.code == "empty" else
                                _("The note can be at most %(max)d characters.", max=max_length)]
        else:
            db.session.commit()
            flash(message, "success")
            return _see_other("host.paper_notes", token=token, q=position)
    return render_template(
        "host/paper_note.html", meal=meal, note=note, form=form, token=token,
        lang=current_language(), open_for_notes=open_for_notes,
        max_length=current_app.config["NOTE_MAX_LENGTH"],
    ), 400 if form.errors else 200
