"""Administration of the organisation: staff accounts and roles, settings, the audit log.

Every page here is for admins only (see gjestebud/access.py), and only ever shows or changes
the admin's own organisation: another organisation's user id gives 404.
"""

from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms import SelectChoice

from ..extensions import db
from ..forms.account import ActionForm
from ..forms.admin import ROLE_LABELS, AuditFilterForm, InviteForm, OrganisationForm, RoleForm
from ..i18n import current_language
from ..models import User
from ..services import accounts, audit, totp

bp = Blueprint("admin", __name__, url_prefix="/staff/admin")
log = logging.getLogger(__name__)

ACCOUNT_ERRORS = {
    "exists": lambda: _("A staff account with this e-mail address already exists."),
    "bad_email": lambda: _("Enter an e-mail address like name@kommune.no."),
    "bad_role": lambda: _("Choose one of the roles."),
    "last_admin": lambda: _(
        "The organisation must keep at least one active administrator. "
        "Make someone else an administrator first."
    ),
    "self": lambda: _("You cannot deactivate your own account."),
}


@bp.context_processor
def _labels():
    return {"role_labels": ROLE_LABELS}


def _me() -> User:
    return current_user._get_current_object()


def _own_user(user_id: int) -> User:
    """A user of the admin's organisation; 404 for anyone else's."""
    user = accounts.user_in_organisation(current_user.organisation_id, user_id)
    if user is None:
        abort(404)
    return user


def _to_user(user: User):
    return redirect(url_for(".user", id=user.id), 303)


# --- users -----------------------------------------------------------------------------------

@bp.get("/users")
def users():
    """The organisation's staff with role, status and two-factor."""
    rows = accounts.staff_list(current_user.organisation_id)
    return render_template("admin/users.html", rows=rows)


@bp.route("/users/invite", methods=["GET", "POST"])
def invite():
    """Invite someone by e-mail: they get a link to choose their own password."""
    form = InviteForm()
    if request.method == "GET":
        form.language.data = current_language()
    if form.validate_on_submit():
        try:
            user = accounts.invite_staff(
                current_user.organisation, form.email.data, name=form.name.data,
                role=form.role.data, invited_by=_me(), language=form.language.data,
            )
        except accounts.AccountError as error:
            form.email.errors.append(ACCOUNT_ERRORS[error.reason]())
        else:
            # The same answer when the address has an account in another organisation.
            if user is not None:
                audit.record("user.invited", user, role=user.role)
            db.session.commit()
            flash(_("The invitation is on its way to %(email)s. The link works for 7 days.",
                    email=accounts.normalised_address(form.email.data)), "success")
            return redirect(url_for(".users"), 303)
    return render_template("admin/invite.html", form=form)


@bp.route("/users/<int:id>", methods=["GET", "POST"])
def user(id: int):
    """One staff member: change the role; buttons to deactivate, re-invite or reset two-factor."""
    user = _own_user(id)
    form = RoleForm(data={"role": user.role})
    if form.validate_on_submit():
        old_role = user.role
        try:
            accounts.change_role(user, form.role.data)
        except accounts.AccountError as error:
            form.role.errors.append(ACCOUNT_ERRORS[error.reason]())
        else:
            if old_role != user.role:
                audit.record("user.role_changed", user, old_role=old_role, new_role=user.role)
            db.session.commit()
            flash(_("The role is saved."), "success")
            return _to_user(user)
    return render_template(
        "admin/user.html", account=user, form=form, action_form=ActionForm(),
        status=accounts.staff_status(user), two_factor=totp.is_enabled(user),
        is_me=user.id == current_user.id,
    )


def _button_action(user: User, action, event: str, done: str):
    """Run a one-button change on a user after checking the form's CSRF token."""
    if not ActionForm().validate_on_submit():
        flash(_("The page was open for a long time. Please press the button again."), "error")
        return _to_user(user)
    try:
        action()
    except accounts.AccountError as error:
        flash(ACCOUNT_ERRORS[error.reason](), "error")
        return _to_user(user)
    audit.record(event, user)
    db.session.commit()
    flash(done, "success")
    return _to_user(user)


@bp.post("/users/<int:id>/deactivate")
def user_deactivate(id: int):
    """Deactivate: the account cannot log in and its open sessions end at once."""
    user = _own_user(id)
    return _button_action(
        user, lambda: accounts.deactivate(user, by=_me()), "user.deactivated",
        _("The account is deactivated and logged out everywhere."),
    )


@bp.post("/users/<int:id>/reactivate")
def user_reactivate(id: int):
    """Let a deactivated account log in again."""
    user = _own_user(id)
    return _button_action(user, lambda: accounts.reactivate(user), "user.reactivated",
                          _("The account can log in again."))


@bp.post("/users/<int:id>/resend")
def user_resend(id: int):
    """Send a new invitation link to someone who has not chosen a password yet."""
    user = _own_user(id)
    if accounts.has_password(user) or not user.active:
        abort(404)
    return _button_action(
        user, lambda: accounts.send_invitation(user, invited_by=_me()), "user.invitation_resent",
        _("A new invitation is on its way. Earlier links no longer work."),
    )


@bp.post("/users/<int:id>/reset-two-factor")
def user_reset_totp(id: int):
    """Remove someone's authenticator (a lost phone); they set up a new one when needed."""
    user = _own_user(id)
    return _button_action(
        user, lambda: (totp.disable(user), accounts.end_sessions(user)), "user.totp_reset",
        _("Two-factor login is reset for this account, and it is logged out everywhere."),
    )


# --- organisation ----------------------------------------------------------------------------

@bp.route("/organisation", methods=["GET", "POST"])
def organisation():
    """The organisation's settings: its name, as shown to staff, hosts and in e-mails."""
    org = current_user.organisation
    form = OrganisationForm(obj=org)
    if form.validate_on_submit():
        org.name = form.name.data.strip()
        audit.record("organisation.updated", org)
        db.session.commit()
        flash(_("The changes are saved."), "success")
        return redirect(url_for(".organisation"), 303)
    return render_template("admin/organisation.html", form=form)


# --- audit log -------------------------------------------------------------------------------

@bp.get("/audit", endpoint="audit")
def audit_log():
    """The organisation's audit events, newest first, 50 a page, filtered by action."""
    org_id = current_user.organisation_id
    form = AuditFilterForm(request.args)
    actions = audit.actions_for(org_id)
    form.action.choices = [SelectChoice("", _("All actions"))] + [
        SelectChoice(a, a) for a in actions
    ]
    action = form.action.data if form.action.data in actions else None
    page = audit.events_for(org_id, action=action, page=form.page.data or 1)
    people = {u.id: u for u in db.session.scalars(
        db.select(User).where(User.organisation_id == org_id))}
    return render_template("admin/audit.html", form=form, page=page, action=action, people=people)
