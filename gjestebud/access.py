"""Who may use which staff page: one table, enforced for every staff request, deny by default.

Roles: admin (users and organisation settings, and everything else in the organisation),
coordinator (campaigns, invitations, hosts) and analyst (analysis and reports). A staff endpoint
that is missing from RULES is refused for everyone, and tests/test_access.py fails until it is
listed. A blueprint still being built by others may be listed as a whole with "name.*".
"""

from __future__ import annotations

import logging

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from .models import Role
from .services import totp
from .views import login_steps

log = logging.getLogger(__name__)

ADMIN, COORDINATOR, ANALYST = Role.ADMIN.value, Role.COORDINATOR.value, Role.ANALYST.value
ANYONE = "anyone"  # no login needed: login itself, password links, the second login step
ALL_STAFF = frozenset({ADMIN, COORDINATOR, ANALYST})
COORDINATORS = frozenset({ADMIN, COORDINATOR})
ANALYSTS = frozenset({ADMIN, ANALYST})
ADMINS = frozenset({ADMIN})

STAFF_BLUEPRINTS = frozenset(
    {"staff", "admin", "account", "analyst", "analyst_library", "coordination", "messages",
     "feedback_messages", "analyst_report"}
)
STAFF_PATH_PREFIXES = ("/staff/", "/analyst/")

RULES: dict[str, frozenset[str] | str] = {
    # login and the organisation's campaigns
    "staff.login": ANYONE,
    "staff.logout": ANYONE,
    "staff.campaigns": ALL_STAFF,
    "staff.campaign": ALL_STAFF,
    "staff.campaign_new": COORDINATORS,
    "staff.campaign_edit": COORDINATORS,
    "staff.export_notes": ALL_STAFF,
    "staff.meal_guest_link": COORDINATORS,
    # one's own account: passwords by link, two-factor
    "account.password_link": ANYONE,
    "account.password": ANYONE,
    "account.forgot": ANYONE,
    "account.login_code": ANYONE,
    "account.security": ALL_STAFF,
    "account.totp_setup": ALL_STAFF,
    "account.totp_disable": ALL_STAFF,
    "account.recovery_codes": ALL_STAFF,
    # administration of the organisation
    "admin.users": ADMINS,
    "admin.invite": ADMINS,
    "admin.user": ADMINS,
    "admin.user_deactivate": ADMINS,
    "admin.user_reactivate": ADMINS,
    "admin.user_resend": ADMINS,
    "admin.user_reset_totp": ADMINS,
    "admin.organisation": ADMINS,
    "admin.audit": ADMINS,
    # analysis (step 4) and coordination (step 3), built in their own modules
    "analyst.*": ANALYSTS,
    "analyst_library.*": ANALYSTS,
    # the campaign report: analysts write and publish it, coordinators may look at the draft
    "analyst_report.edit": ANALYSTS,
    "analyst_report.unpublish": ANALYSTS,
    "analyst_report.preview": ALL_STAFF,
    "analyst_report.draft_image": ALL_STAFF,
    "analyst_report.draft_pdf": ALL_STAFF,
    "coordination.invitations": COORDINATORS,
    "coordination.add_host": COORDINATORS,
    "coordination.import_hosts": COORDINATORS,
    "coordination.send": COORDINATORS,
    "coordination.letter": COORDINATORS,
    "coordination.letter_given": COORDINATORS,
    "coordination.all_letters": COORDINATORS,
    "coordination.all_letters_given": COORDINATORS,
    "coordination.funnel": COORDINATORS,
    "coordination.contact": COORDINATORS,
    "coordination.remind_now": COORDINATORS,
    "coordination.text": COORDINATORS,
    "coordination.reminder_settings": COORDINATORS,
    # the e-mail outbox: delivery status, failures and the messages themselves
    "messages.index": COORDINATORS,
    "messages.message": COORDINATORS,
    "messages.retry": COORDINATORS,
    # feedback to participants (step 5): the one staff page of the feedback blueprint
    "feedback.staff_edit": COORDINATORS,
    # the results e-mail and later updates to hosts and guests
    "feedback_messages.index": COORDINATORS,
    "feedback_messages.new": COORDINATORS,
    "feedback_messages.edit": COORDINATORS,
    "feedback_messages.show": COORDINATORS,
    "feedback_messages.preview_html": COORDINATORS,
    "feedback_messages.send": COORDINATORS,
}

# What an admin who still has to set up two-factor may reach (besides ANYONE pages).
ENROLMENT_ENDPOINTS = frozenset({"account.totp_setup", "staff.logout"})


def is_staff_endpoint(endpoint: str, path: str = "") -> bool:
    """True for endpoints of the staff blueprints, or any route under the staff paths."""
    blueprint = endpoint.rpartition(".")[0]
    return blueprint in STAFF_BLUEPRINTS or path.startswith(STAFF_PATH_PREFIXES)


def rule_for(endpoint: str) -> frozenset[str] | str | None:
    """The roles allowed on an endpoint (or ANYONE); None when it is not listed."""
    if endpoint in RULES:
        return RULES[endpoint]
    blueprint = endpoint.rpartition(".")[0]
    return RULES.get(f"{blueprint}.*") if blueprint else None


def allowed(endpoint: str, role: str | None) -> bool:
    """True when a user with `role` may use the endpoint (deny when unlisted)."""
    rule = rule_for(endpoint)
    if rule is None:
        return False
    return rule == ANYONE or (role is not None and role in rule)


def can(endpoint: str) -> bool:
    """For templates: may the logged-in user use this endpoint? (Hides links they can't use.)"""
    if not current_user.is_authenticated:
        return rule_for(endpoint) == ANYONE
    return allowed(endpoint, current_user.role)


def enforce():
    """Before every request: log in, then two-factor set-up for admins, then the role table."""
    endpoint = request.endpoint
    if endpoint is None or endpoint == "static":
        return None
    path = request.url_rule.rule if request.url_rule else request.path
    if not is_staff_endpoint(endpoint, path):
        return None
    rule = rule_for(endpoint)
    if rule is None:
        log.warning("Refused staff endpoint without an access rule: %s", endpoint)
        abort(403)
    if rule == ANYONE:
        return None
    if not current_user.is_authenticated:
        return login_steps.ask_to_log_in()
    if endpoint not in ENROLMENT_ENDPOINTS and totp.needs_enrolment(current_user):
        return redirect(url_for("account.totp_setup"))
    if current_user.role not in rule:
        abort(403)
    return None


def init_app(app: Flask) -> None:
    app.before_request(enforce)
    app.jinja_env.globals["can"] = can
