"""Staff pages: login, logout and the organisation's campaigns."""

from __future__ import annotations

import hashlib
import logging
from functools import wraps
from urllib.parse import urlsplit

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
    stream_with_context,
    url_for,
)
from flask_babel import format_date
from flask_babel import gettext as _
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user, login_required, logout_user
from flask_wtf.csrf import validate_csrf
from wtforms.validators import ValidationError

from .. import links
from ..errors import render_error
from ..extensions import db, limiter
from ..forms.staff import (
    CampaignForm,
    LoginForm,
    ReplaceGuestLinkForm,
    campaign_form_data,
    new_campaign_data,
)
from ..models import Place
from ..security import form_checks_csrf
from ..services import audit, overview
from ..services import campaigns as campaign_service
from ..services import export as export_service
from ..services import meals as meal_service
from ..services import totp as totp_service
from ..services import users as user_service
from . import login_steps, own_campaign

bp = Blueprint("staff", __name__, url_prefix="/staff")
log = logging.getLogger(__name__)


def role_required(*roles: str):
    """Allow a view only to logged-in staff with one of the given roles (403 otherwise)."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


# --- login and logout ------------------------------------------------------------------------

def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _submitted_email_key() -> str:
    # Hashed so the limiter's storage (possibly Redis) never holds an address in clear text.
    email = user_service.normalise_email(request.form.get("email", ""))
    return "login-email:" + hashlib.sha256(email.encode()).hexdigest()


def safe_next(target: str | None) -> str | None:
    """The `next` target only if it is a path on this site (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@limiter.limit(_login_rate_limit, methods=["POST"], key_func=_submitted_email_key)
@form_checks_csrf
def login():
    """Log in with e-mail and password; the same answer whatever was wrong."""
    if current_user.is_authenticated and request.method == "GET":
        return redirect(url_for(".campaigns"))
    form = LoginForm()
    login_failed = False
    if form.validate_on_submit():
        user = user_service.authenticate(form.email.data, form.password.data)
        if user is None:
            login_failed = True
            _record_failed_login(form.email.data)
            log.info("Staff login failed")
        else:
            target = safe_next(request.args.get("next"))
            if totp_service.is_enabled(user):
                # Half-way: the password was right, but no staff page opens before the code.
                login_steps.begin_second_step(user)
                db.session.commit()
                return login_steps.ask_for_code(target)
            login_steps.start_session(user)
            audit.record("login.succeeded", user, user=user)
            db.session.commit()
            log.info("Staff login succeeded for user %s", user.id)
            return login_steps.after_login(target)
    return render_template(
        "staff/login.html", form=form, login_failed=login_failed,
        **login_steps.kept_again(safe_next(request.args.get("next"))),
    )


def _record_failed_login(email: str) -> None:
    """A wrong password for an existing account is a security event in its organisation."""
    account = user_service.user_by_email(email)
    if account is not None:
        audit.record("login.failed", account, user=account)
    db.session.commit()


@bp.errorhandler(RateLimitExceeded)
def _too_many_attempts(error):
    if request.endpoint != "staff.login":
        return render_error(429)
    log.warning("Staff login rate limit reached")
    form = LoginForm()
    form.password.data = ""
    return render_template(
        "staff/login.html", form=form, too_many=True,
        **login_steps.kept_again(safe_next(request.args.get("next"))),
    ), 429


@bp.post("/logout")
@form_checks_csrf
def logout():
    """Log out and revoke every copy of the session cookie."""
    if current_user.is_authenticated:
        try:
            validate_csrf(request.form.get("csrf_token"))
        except ValidationError:
            # A stale page: ask again with a fresh button rather than failing.
            return render_template("staff/logout.html"), 400
        user_id = current_user.id
        user_service.end_sessions(current_user._get_current_object())
        db.session.commit()
        log.info("Staff logout for user %s", user_id)
    logout_user()
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    flash(_("You are logged out."), "success")
    return redirect(url_for(".login"), 303)


# --- campaigns -------------------------------------------------------------------------------

@bp.get("/")
@login_required
def campaigns():
    """The organisation's campaigns with their meal and note counts."""
    summaries = overview.campaign_summaries(current_user.organisation_id)
    return render_template("staff/campaigns.html", summaries=summaries)


@bp.route("/campaigns/new", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def campaign_new():
    """Create a campaign, starting from the method's three questions."""
    if request.method == "POST":
        form = CampaignForm()
    else:
        places = db.session.scalars(
            db.select(Place.name)
            .where(Place.organisation_id == current_user.organisation_id)
            .order_by(Place.name)
        ).all()
        form = CampaignForm(data=new_campaign_data(list(places)))
        form.add_empty_question()
    if form.validate_on_submit():
        campaign = campaign_service.create_campaign(current_user.organisation, form.to_data())
        audit.record("campaign.created", campaign, status=campaign.status)
        db.session.commit()
        flash(_("The campaign is saved."), "success")
        return redirect(url_for(".campaign", id=campaign.id), 303)
    return render_template("staff/campaign_form.html", form=form, campaign=None)


@bp.route("/campaigns/<int:id>/edit", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def campaign_edit(id: int):
    """Edit a campaign's texts, questions, places, groups, dates and status."""
    campaign = own_campaign(id)
    if request.method == "POST":
        form = CampaignForm()
    else:
        form = CampaignForm(data=campaign_form_data(campaign))
        form.add_empty_question()
    # Which rows are saved questions, and which of those have notes (they cannot be removed).
    form.know_campaign(list(campaign.questions), campaign_service.question_note_counts(campaign))
    if form.validate_on_submit():
        try:
            campaign_service.update_campaign(campaign, form.to_data())
        except campaign_service.QuestionInUse:
            # A note arrived for a question just as it was being removed.
            db.session.rollback()
            flash(_("A question you removed has just received notes, so nothing was saved. "
                    "Please check the questions and save again."), "warning")
            return redirect(url_for(".campaign_edit", id=campaign.id), 303)
        audit.record("campaign.updated", campaign, status=campaign.status)
        db.session.commit()
        flash(_("The changes are saved."), "success")
        return redirect(url_for(".campaign", id=campaign.id), 303)
    return render_template("staff/campaign_form.html", form=form, campaign=campaign)


@bp.get("/campaigns/<int:id>")
@login_required
def campaign(id: int):
    """A campaign: the hosts' registration link and the meals so far."""
    campaign = own_campaign(id)
    return render_template(
        "staff/campaign.html",
        campaign=campaign,
        meals=overview.meal_summaries(campaign),
        registration_url=links.registration_url(campaign),
        guest_url=links.guest_url,
    )


@bp.route("/campaigns/<int:id>/meals/<int:meal_id>/guest-link", methods=["GET", "POST"])
@login_required
@form_checks_csrf
def meal_guest_link(id: int, meal_id: int):
    """Replace a meal's guest link, e.g. when a poster went astray; asks first."""
    campaign = own_campaign(id)
    meal = meal_service.meal_in_campaign(campaign, meal_id)
    if meal is None:
        abort(404)
    form = ReplaceGuestLinkForm()
    if request.method == "POST":
        if not form.validate_on_submit():
            flash(_("The page was open for a long time, so nothing was changed. Please press "
                    "the button again."), "warning")
            return redirect(url_for(".meal_guest_link", id=campaign.id, meal_id=meal.id), 303)
        was_stopped = meal.token_revoked_at is not None
        meal_service.renew_public_token(meal)
        audit.record("meal.guest_link_replaced", meal, was_stopped=was_stopped)
        db.session.commit()
        flash(_("The meal in %(place)s on %(date)s has a new guest link. The old link and the "
                "old posters no longer work. Ask the host to print the posters again from "
                "their page.", place=meal.place.name, date=format_date(meal.held_on, "medium")),
              "success")
        return redirect(url_for(".campaign", id=campaign.id) + f"#meal-{meal.id}", 303)
    return render_template("staff/meal_guest_link.html", campaign=campaign, meal=meal,
                           form=form, guest_url=links.guest_url(meal))


@bp.get("/campaigns/<int:id>/notes.csv")
@login_required
def export_notes(id: int):
    """Download the campaign's notes as the analysis CSV (the same as the CLI)."""
    campaign = own_campaign(id)
    log.info("Notes export of campaign %s by user %s", campaign.id, current_user.id)
    filename = export_service.export_filename(campaign)
    return Response(
        stream_with_context(export_service.notes_csv_chunks(campaign)),
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
