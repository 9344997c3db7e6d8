"""The host's personal invitation link: say yes or no, register the meal, stop reminders.

No login: the link is the key. Pages speak the invitation's language unless the visitor picks
another one with the language switch.
"""

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
    session,
    url_for,
)
from flask_babel import force_locale
from flask_babel import gettext as _

from ..extensions import db
from ..forms.coordination import ActionForm
from ..models import Invitation
from ..security import form_checks_csrf
from ..services import audit, invitation_links
from ..services import invitations as inv
from ..services.campaigns import accepts_registrations
from ..services.meals import RegistrationError, send_host_link
from ..services.tokens import normalise_token
from .host import registration_form, registration_from_form

bp = Blueprint("invitation", __name__)


def _load(token: str) -> Invitation:
    invitation = invitation_links.invitation_by_token(token)
    if invitation is None:
        abort(404)
    return invitation


def _language(invitation: Invitation) -> str:
    chosen = request.args.get("lang") or session.get("lang")
    return chosen if chosen in current_app.config["LANGUAGES"] else invitation.language


def _back(token: str):
    return redirect(url_for("invitation.show", token=normalise_token(token)), 303)


def _stale_form() -> None:
    flash(_("The page was open for a long time, so nothing was changed. Please press the "
            "button again."), "warning")


@bp.get("/i/<token>")
def show(token: str):
    """The invitation: what a gjestebud is, the campaign's purpose and questions, yes or no."""
    invitation = _load(token)
    lang = _language(invitation)
    with force_locale(lang):
        return render_template(
            "invitation/show.html",
            invitation=invitation,
            campaign=invitation.campaign,
            token=normalise_token(token),
            lang=lang,
            form=ActionForm(),
            can_register=accepts_registrations(invitation.campaign, date.today()),
            meal_token=invitation_links.meal_host_token(invitation),
        )


@bp.post("/i/<token>/accept")
@form_checks_csrf
def accept(token: str):
    """The host says yes and goes on to register the meal."""
    invitation = _load(token)
    with force_locale(_language(invitation)):
        if not ActionForm().validate_on_submit():
            _stale_form()
            return _back(token)
        if not accepts_registrations(invitation.campaign, date.today()):
            return _back(token)
        inv.accept(invitation)
        audit.record("invitation.accept", invitation)
        db.session.commit()
        flash(_("Thank you for saying yes! Now tell us about your meal."), "success")
    return redirect(url_for("invitation.register", token=normalise_token(token)), 303)


@bp.post("/i/<token>/decline")
@form_checks_csrf
def decline(token: str):
    """The host says no, thank you."""
    invitation = _load(token)
    with force_locale(_language(invitation)):
        if not ActionForm().validate_on_submit():
            _stale_form()
            return _back(token)
        inv.decline(invitation)
        audit.record("invitation.decline", invitation)
        db.session.commit()
        flash(_("Thank you for letting us know. You will not get any reminders."), "success")
    return _back(token)


@bp.post("/i/<token>/reminders/<any(stop, resume):choice>")
@form_checks_csrf
def reminders(token: str, choice: str):
    """Stop reminders from this campaign, or allow them again."""
    invitation = _load(token)
    with force_locale(_language(invitation)):
        if not ActionForm().validate_on_submit():
            _stale_form()
            return _back(token)
        inv.set_opt_out(invitation, choice == "stop")
        audit.record(f"invitation.reminders_{choice}", invitation)
        db.session.commit()
        if choice == "stop":
            flash(_("Done: we will not send you any more reminders."), "success")
        else:
            flash(_("Done: we may send you a reminder again."), "success")
    return _back(token)


@bp.route("/i/<token>/register", methods=["GET", "POST"])
@form_checks_csrf
def register(token: str):
    """Register the meal: the usual form, filled in with what we already know."""
    invitation = _load(token)
    campaign = invitation.campaign
    lang = _language(invitation)
    token = normalise_token(token)
    if invitation.status == inv.REGISTERED:
        return _back(token)
    with force_locale(lang):
        if not accepts_registrations(campaign, date.today()):
            return render_template("host/register_closed.html", campaign=campaign, lang=lang,
                                   today_date=date.today())
        if request.method == "POST":
            form = registration_form(campaign)
        else:
            form = registration_form(campaign, data=inv.registration_defaults(invitation))
        if form.validate_on_submit():
            try:
                meal, host_token = inv.register_from_invitation(
                    invitation, registration_from_form(form))
            except RegistrationError:
                db.session.rollback()
                form.place.errors = [_("Choose one of the places in the list.")]
            else:
                audit.record("invitation.register", invitation, meal_id=meal.id)
                send_host_link(meal, host_token)
                db.session.commit()
                flash(_("Your meal is registered. Save the private link below."), "success")
                return redirect(url_for("host.meal", token=host_token), 303)
        return render_template(
            "host/register.html", campaign=campaign, form=form, lang=lang,
            today=date.today().isoformat(),
            form_action=url_for("invitation.register", token=token),
        )
