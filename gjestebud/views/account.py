"""One's own staff account: setting a password from a link, a forgotten password, two-factor
set-up, and the second login step (the code from the authenticator app)."""

from __future__ import annotations

import hashlib
import logging

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.errors import RateLimitExceeded
from flask_login import current_user

from ..errors import render_error
from ..extensions import db, limiter
from ..forms.account import (
    PASSWORD_MESSAGES,
    ActionForm,
    CodeForm,
    ForgotPasswordForm,
    ReplaceCodeForm,
    SetPasswordForm,
)
from ..i18n import current_language
from ..models import AccountTokenPurpose
from ..security import form_checks_csrf
from ..services import accounts, audit, password_policy, totp
from ..services import users as user_service
from ..services.passwords import verify_password
from . import login_steps
from .staff import safe_next

bp = Blueprint("account", __name__, url_prefix="/staff/account")
log = logging.getLogger(__name__)
TOKEN_KEY = "password_token"


def _login_rate_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _code_rate_limit() -> str:
    return current_app.config.get("TOTP_RATE_LIMIT", "5 per minute;20 per hour")


def _email_key() -> str:
    # Hashed so the limiter's storage never holds an address in clear text.
    email = user_service.normalise_email(request.form.get("email", ""))
    return "forgot-email:" + hashlib.sha256(email.encode()).hexdigest()


def _pending_key() -> str:
    state = session.get(login_steps.PENDING_KEY) or {}
    return f"login-code:{state.get('uid', 'none')}"


# --- password from a link (invitation or reset) ----------------------------------------------

@bp.get("/password/<token>")
def password_link(token: str):
    """Open a password link: keep the token in the session, out of the address bar and history."""
    if accounts.valid_token(token) is None:
        return render_template("account/link_invalid.html"), 410
    session[TOKEN_KEY] = token
    return redirect(url_for(".password"), 303)


@bp.route("/password", methods=["GET", "POST"])
@form_checks_csrf
def password():
    """Choose a password (first time, from an invitation, or after a reset)."""
    row = accounts.valid_token(session.get(TOKEN_KEY, ""))
    if row is None:
        session.pop(TOKEN_KEY, None)
        return render_template("account/link_invalid.html"), 410
    form = SetPasswordForm()
    if form.validate_on_submit():
        try:
            user = accounts.set_password_with_token(row, form.password.data)
        except accounts.AccountError as error:
            form.password.errors.append(PASSWORD_MESSAGES[error.reason])
        else:
            first = row.purpose == AccountTokenPurpose.INVITE.value
            audit.record("password.set" if first else "password.reset", user, user=user)
            db.session.commit()
            session.pop(TOKEN_KEY, None)
            log.info("Password set from a link for user %s", user.id)
            flash(_("Your password is saved. You can log in now."), "success")
            return redirect(url_for("staff.login"), 303)
    return render_template(
        "account/password.html", form=form, account=row.user,
        first_time=row.purpose == AccountTokenPurpose.INVITE.value,
        min_length=password_policy.MIN_PASSWORD_LENGTH,
        max_length=password_policy.MAX_PASSWORD_LENGTH,
    )


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@limiter.limit(_login_rate_limit, methods=["POST"], key_func=_email_key)
@form_checks_csrf
def forgot():
    """Ask for a reset link; the answer is the same whether the address has an account or not."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.request_password_reset(form.email.data, current_language())
        db.session.commit()
        return render_template("account/forgot_sent.html", hours=2)
    return render_template("account/forgot.html", form=form)


# --- the second login step -------------------------------------------------------------------

@bp.route("/code", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
@limiter.limit(_code_rate_limit, methods=["POST"], key_func=_pending_key)
@form_checks_csrf
def login_code():
    """Step 2 of logging in: the code from the authenticator app, or a recovery code."""
    user = login_steps.pending_user()
    if user is None:
        login_steps.forget_second_step()
        flash(_("Please log in again: the login was not finished within 5 minutes."), "info")
        return redirect(url_for("staff.login"), 303)
    form = CodeForm()
    wrong = False
    if form.validate_on_submit():
        method = totp.verify(user, form.code.data)
        if method is None:
            wrong = True
            audit.record("login.code_failed", user, user=user)
            db.session.commit()
            log.info("Second login step failed for user %s", user.id)
        else:
            login_steps.start_session(user)
            audit.record("login.succeeded", user, user=user, second_factor=method)
            db.session.commit()
            log.info("Staff login succeeded for user %s", user.id)
            if method == "recovery":
                left = totp.recovery_codes_left(user)
                flash(ngettext("You used a recovery code. You have %(num)d left.",
                               "You used a recovery code. You have %(num)d left.", left),
                      "warning")
            return login_steps.after_login(safe_next(request.args.get("next")))
    form.code.data = ""
    return render_template("account/login_code.html", form=form, wrong=wrong,
                           **login_steps.kept_again(safe_next(request.args.get("next"))))


@bp.errorhandler(RateLimitExceeded)
def _too_many(error):
    if request.endpoint != "account.login_code":
        if request.endpoint == "account.forgot":
            return render_template("account/forgot.html", form=ForgotPasswordForm(),
                                   too_many=True), 429
        return render_error(429)
    log.warning("Second login step rate limit reached")
    return render_template("account/login_code.html", form=CodeForm(formdata=None),
                           too_many=True,
                           **login_steps.kept_again(safe_next(request.args.get("next")))), 429


# --- two-factor settings ---------------------------------------------------------------------

def _me():
    return current_user._get_current_object()


@bp.get("/")
def security():
    """One's own account: two-factor status and the password."""
    me = _me()
    return render_template(
        "account/security.html", enabled=totp.is_enabled(me), required=totp.required_for(me),
        codes_left=totp.recovery_codes_left(me), form=ActionForm(),
    )


def _own_key() -> str:
    return f"account:{current_user.get_id()}"


@bp.route("/two-factor", methods=["GET", "POST"])
@limiter.limit(_code_rate_limit, methods=["POST"], key_func=_own_key)
def totp_setup():
    """Set up an authenticator app: scan the code (or type the key), then confirm with a code.
    Moving to a new app also takes the password, so that a stolen session cannot lock the owner
    out; either way every other session of the account ends."""
    me = _me()
    replacing = totp.is_enabled(me)
    form = ReplaceCodeForm() if replacing else CodeForm()
    wrong = wrong_password = False
    if form.validate_on_submit():
        if replacing and not verify_password(me.password_hash, form.password.data):
            wrong_password = True
            audit.record("totp.replace_refused", me)
            db.session.commit()
        else:
            codes = totp.confirm_enrolment(me, form.code.data)
            if codes is not None:
                audit.record("totp.replaced" if replacing else "totp.enabled", me)
                user_service.end_sessions(me)
                login_steps.start_session(me, keep_login_time=True)
                db.session.commit()
                return render_template("account/recovery_codes.html", codes=codes,
                                       new_setup=True)
            wrong = True
    enrolment = totp.begin_enrolment(me, issuer=f"Gjestebud {me.organisation.name}")
    db.session.commit()
    form.code.data = ""
    return render_template(
        "account/totp_setup.html", form=form, enrolment=enrolment, wrong=wrong,
        wrong_password=wrong_password, forced=totp.needs_enrolment(me), replacing=replacing,
    )


@bp.post("/two-factor/off")
def totp_disable():
    """Turn two-factor off (not for admins, who must keep it); needs a current code."""
    me = _me()
    form = CodeForm()
    if totp.required_for(me):
        flash(_("Administrators must use two-factor login."), "error")
    elif form.validate_on_submit() and totp.verify(me, form.code.data):
        totp.disable(me)
        audit.record("totp.disabled", me)
        db.session.commit()
        flash(_("Two-factor login is turned off."), "success")
    else:
        flash(_("The code was not right, so two-factor login is still on."), "error")
    return redirect(url_for(".security"), 303)


@bp.post("/two-factor/recovery-codes")
def recovery_codes():
    """Replace the recovery codes with new ones, shown once."""
    me = _me()
    form = ActionForm()
    if not form.validate_on_submit() or not totp.is_enabled(me):
        return redirect(url_for(".security"), 303)
    codes = totp.new_recovery_codes(me)
    audit.record("totp.recovery_codes_renewed", me)
    db.session.commit()
    return render_template("account/recovery_codes.html", codes=codes, new_setup=False)
