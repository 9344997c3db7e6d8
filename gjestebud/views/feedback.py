"""Feedback to participants, the privacy side: consent, unsubscribe, privacy page, my data.

Also the feedback page a guest link shows once its campaign is reported, and the small staff
form for its texts.
"""

from __future__ import annotations

import json
import logging

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required

from ..errors import render_error
from ..extensions import db, limiter
from ..forms.feedback import CampaignFeedbackForm, ConfirmForm, ConsentForm, DataRequestForm
from ..i18n import current_language
from ..models import LANGUAGES, Campaign, Meal, Role
from ..security import form_checks_csrf
from ..services import consent as consent_service
from ..services import (
    data_rights,
    feedback_content,
    processing_record,
    reports,
    retention,
)
from ..services.campaigns import accepts_notes
from ..services.data_rights import LinkState
from ..services.meals import meal_by_public_token
from . import own_campaign

bp = Blueprint("feedback", __name__)
log = logging.getLogger(__name__)

# The signed session remembers, per campaign, that this browser gave an address (never which).
CONSENTED = "feedback_consented"
STAFF_ROLES = (Role.ADMIN.value, Role.COORDINATOR.value)


def _consent_limit() -> str:
    return current_app.config["CONSENT_RATE_LIMIT"]


def _data_request_limit() -> str:
    return current_app.config["DATA_REQUEST_RATE_LIMIT"]


def _load_meal(token: str) -> Meal:
    meal = meal_by_public_token(token)
    if meal is None:
        abort(404)
    return meal


# --- consent on the guest page ----------------------------------------------------------------

def consent_panel(meal: Meal, *, has_sent: bool) -> dict:
    """What the guest page shows about results by e-mail: hidden until a note is sent."""
    given = meal.campaign_id in session.get(CONSENTED, [])
    return {
        "shown": has_sent or given,
        "given": given,
        "form": ConsentForm(formdata=None),
        "action": url_for("feedback.consent", token=meal.public_token, lang=current_language()),
        "delete_by": retention.retention_date(meal.campaign),
    }


@bp.route("/m/<token>/feedback", methods=["GET", "POST"])
@limiter.limit(_consent_limit, methods=["POST"])
@form_checks_csrf
def consent(token: str):
    """A guest leaves an address to get the results: stored apart from the notes."""
    meal = _load_meal(token)
    if request.method == "GET" or not accepts_notes(meal.campaign):
        # The language switch on the error page links here; a closed campaign takes no addresses.
        lang = request.args.get("lang")
        lang = lang if lang in current_app.config["LANGUAGES"] else None
        return redirect(url_for("public.meal", token=meal.public_token, lang=lang), 303)
    form = ConsentForm()
    if form.is_spam:
        return _consented(meal)  # the robot learns nothing, nothing is stored
    if not form.validate():
        return _consent_problem(meal, form, status=400 if form.csrf_failed else 422)
    consent_service.give_consent(meal, form.email.data, current_language())
    db.session.commit()
    log.info("Feedback consent given for campaign %s", meal.campaign_id)
    return _consented(meal)


def _consented(meal: Meal):
    session[CONSENTED] = [*session.get(CONSENTED, [])[-9:], meal.campaign_id]
    return redirect(
        url_for("public.meal", token=meal.public_token, _anchor="feedback-consent"), 303
    )


def _consent_problem(meal: Meal, form: ConsentForm, *, status: int, message: str | None = None):
    """Not stored: say why, keep what was typed, offer the form again."""
    if form.csrf_failed and not message:
        message = _(
            "The page was open for a long time, so it had to be renewed. "
            "Your address is kept: please check it and send it again."
        )
    html = render_template(
        "feedback/consent.html",
        meal=meal,
        campaign=meal.campaign,
        lang=current_language(),
        form=form,
        message=message,
        action=url_for("feedback.consent", token=meal.public_token, lang=current_language()),
        delete_by=retention.retention_date(meal.campaign),
    )
    return html, status


@bp.errorhandler(429)
def _too_many(_error):
    """Rate limited: say so, and keep what was typed."""
    if request.endpoint == "feedback.consent":
        meal = meal_by_public_token((request.view_args or {}).get("token", ""))
        if meal is not None:
            form = ConsentForm()
            return _consent_problem(meal, form, status=429, message=_too_many_text())
    if request.endpoint == "feedback.my_data":
        return render_template(
            "feedback/my_data.html", form=DataRequestForm(), message=_too_many_text()
        ), 429
    return render_error(429)


def _too_many_text() -> str:
    return _(
        "There were many tries in a short time. What you typed is kept: "
        "please wait a while and send it again."
    )


# --- unsubscribe ------------------------------------------------------------------------------

@bp.route("/u/<token>", methods=["GET", "POST"])
@form_checks_csrf
def unsubscribe(token: str):
    """One-click unsubscribe: GET asks for confirmation; POST deletes the address."""
    contact = consent_service.contact_by_unsubscribe_token(token)
    if request.method == "POST":
        # RFC 8058: a mail client's one-click POST carries this body and no CSRF token;
        # the 160-bit token in the URL is the capability either way.
        one_click = request.form.get("List-Unsubscribe") == "One-Click"
        form = ConfirmForm()
        if not one_click and not form.validate():
            return _unsubscribe_page(contact, stale=True, status=400)
        if contact is not None:
            campaign_id = contact.campaign_id
            consent_service.unsubscribe(contact)
            db.session.commit()
            log.info("Feedback address unsubscribed from campaign %s", campaign_id)
        if one_click:
            return Response(_("You are unsubscribed."), mimetype="text/plain")
        return redirect(url_for("feedback.unsubscribed"), 303)
    return _unsubscribe_page(contact, status=200 if contact else 404)


def _unsubscribe_page(contact, *, status: int, stale: bool = False):
    lang = current_language()
    html = render_template(
        "feedback/unsubscribe.html",
        contact=contact,
        campaign_title=contact.campaign.title(lang) if contact else None,
        form=ConfirmForm(formdata=None),
        stale=stale,
    )
    return html, status


@bp.get("/unsubscribed")
def unsubscribed():
    """After unsubscribing: the address is gone."""
    return render_template("feedback/unsubscribed.html")


# --- the privacy page -------------------------------------------------------------------------

@bp.get("/privacy")
def privacy():
    """What is stored, why and for how long: generated from the record of processing."""
    lang = current_language()
    return render_template(
        "feedback/privacy.html",
        controller=processing_record.controller_text(lang),
        activities=processing_record.processing_activities(lang, current_app.config),
        updated=processing_record.load_record().get("updated"),
    )


@bp.get("/privacy/record-of-processing.yaml")
def record_of_processing():
    """The record itself, for a municipality's own record of processing."""
    text = processing_record.RECORD_PATH.read_text(encoding="utf-8")
    return Response(
        text,
        mimetype="application/yaml",
        headers={"Content-Disposition": 'attachment; filename="record-of-processing.yaml"'},
    )


# --- my data: export or delete, confirmed by e-mail --------------------------------------------

@bp.route("/my-data", methods=["GET", "POST"])
@limiter.limit(_data_request_limit, methods=["POST"])
@form_checks_csrf
def my_data():
    """Ask for a link to see or delete the data held about an address."""
    form = DataRequestForm()
    if request.method == "POST" and not form.is_spam and form.validate():
        data_rights.request_data(form.email.data, form.purpose.data, current_language())
        db.session.commit()
    if request.method == "POST" and (form.is_spam or not form.errors):
        # The same answer whether or not we hold anything: nobody can test an address.
        return redirect(url_for("feedback.my_data_sent"), 303)
    status = 400 if form.errors else 200
    return render_template("feedback/my_data.html", form=form, message=None), status


@bp.get("/my-data/sent")
def my_data_sent():
    """The same page for every request."""
    return render_template(
        "feedback/my_data_sent.html", days=current_app.config["DATA_REQUEST_TTL_DAYS"]
    )


@bp.route("/my-data/<token>", methods=["GET", "POST"])
@form_checks_csrf
def my_data_confirm(token: str):
    """The e-mailed link: GET shows a button (link scanners change nothing); POST acts once."""
    found = data_rights.find_request(token)
    if found.state is not LinkState.VALID:
        status = 404 if found.state is LinkState.UNKNOWN else 410
        return render_template(
            "feedback/my_data_invalid.html", days=current_app.config["DATA_REQUEST_TTL_DAYS"]
        ), status
    form = ConfirmForm()
    if request.method == "POST" and form.validate():
        if found.request.purpose == "delete":
            data_rights.delete_data(found.request)
            db.session.commit()
            log.info("Data deleted on request %s", found.request.id)
            return redirect(url_for("feedback.my_data_deleted"), 303)
        data = data_rights.export_data(found.request)
        db.session.commit()
        log.info("Data exported on request %s", found.request.id)
        return _download(data, form.chosen_format())
    status = 400 if request.method == "POST" else 200
    return render_template(
        "feedback/my_data_confirm.html", purpose=found.request.purpose, form=form,
        stale=request.method == "POST",
    ), status


def _download(data: dict, fmt: str) -> Response:
    if fmt == "csv":
        body, mimetype = data_rights.export_csv(data), "text/csv"
    else:
        body, mimetype = json.dumps(data, ensure_ascii=False, indent=2), "application/json"
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": f'attachment; filename="my-data.{fmt}"'},
    )


@bp.get("/my-data/deleted")
def my_data_deleted():
    """After deleting: what is gone."""
    return render_template("feedback/my_data_deleted.html")


# --- the guest link of a reported campaign ----------------------------------------------------

def results_page(meal: Meal):
    """What every guest link shows once the campaign is reported, e-mail or not."""
    lang = current_language()
    page = feedback_content.feedback_page(meal, lang)
    return render_template("feedback/results.html", page=page, lang=lang,
                           updates=reports.updates(meal.campaign, lang))


# --- staff: the feedback texts of a campaign --------------------------------------------------

def _own_campaign(campaign_id: int) -> Campaign:
    if current_user.role not in STAFF_ROLES:
        abort(403)
    return own_campaign(campaign_id)


@bp.route("/staff/campaigns/<int:id>/feedback", methods=["GET", "POST"])
@login_required
def staff_edit(id: int):
    """Staff write what participants see once the campaign is reported."""
    campaign = _own_campaign(id)
    if request.method == "POST":
        form = CampaignFeedbackForm()
    else:
        form = CampaignFeedbackForm(data=_form_data(feedback_content.feedback_data(campaign)))
    if form.validate_on_submit():
        feedback_content.update_feedback(campaign, _feedback_data(form))
        db.session.commit()
        flash(_("The feedback is saved."), "success")
        return redirect(url_for("feedback.staff_edit", id=campaign.id), 303)
    default_date = retention.default_retention_date(campaign)
    return render_template(
        "feedback/staff_edit.html", campaign=campaign, form=form, languages=LANGUAGES,
        default_date=default_date, contacts=len(consent_service.contacts_for(campaign)),
    ), (400 if form.errors else 200)


def _form_data(data: feedback_content.FeedbackData) -> dict:
    values = {"report_url": data.report_url, "retention_until": data.retention_until}
    for code in LANGUAGES:
        values[f"heard_{code}"] = data.heard_texts.get(code, "")
        values[f"next_{code}"] = data.next_steps.get(code, "")
    return values


def _feedback_data(form: CampaignFeedbackForm) -> feedback_content.FeedbackData:
    return feedback_content.FeedbackData(
        heard_texts={code: form[f"heard_{code}"].data or "" for code in LANGUAGES},
        next_steps={code: form[f"next_{code}"].data or "" for code in LANGUAGES},
        report_url=form.report_url.data,
        retention_until=form.retention_until.data,
    )
