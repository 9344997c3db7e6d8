"""Staff sessions: Flask-Login with a server-side revocation check, an idle timeout and an
absolute lifetime counted from the login."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app, flash, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user, logout_user

from .extensions import db, login_manager
from .models import User


def load_user(user_id: str) -> User | None:
    """Accept a session only if its version still matches the user's (logout revokes it)."""
    try:
        raw_id, raw_version = user_id.split(":", 1)
        uid, version = int(raw_id), int(raw_version)
    except ValueError:
        return None
    user = db.session.get(User, uid)
    if user is None or not user.active or user.session_version != version:
        return None
    return user


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.user_loader(load_user)
    login_manager.login_view = "staff.login"
    login_manager.login_message = _l("Please log in to see this page.")
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"

    @app.before_request
    def _timeouts():
        if request.endpoint in (None, "static") or not current_user.is_authenticated:
            return None
        now = datetime.now(UTC).timestamp()
        reason = session_ended(session, now)
        if reason is None:
            session["seen_at"] = now
            return None
        logout_user()
        session.pop("seen_at", None)
        session.pop("login_at", None)
        flash(IDLE_MESSAGE if reason == "idle" else LIFETIME_MESSAGE, "info")
        if request.method == "POST":
            # The access check answers with the login form, keeping what was typed.
            return None
        return redirect(url_for("staff.login", next=request.path))


IDLE_MESSAGE = _l("You were logged out after 30 minutes without activity.")
LIFETIME_MESSAGE = _l("You were logged out because you logged in a long time ago. "
                      "Please log in again.")


def session_ended(state, now: float) -> str | None:
    """"idle" or "lifetime" when a logged-in session has ended, else None. A session without
    a login time (from before sessions had one) has ended."""
    idle = current_app.config["STAFF_IDLE_TIMEOUT"].total_seconds()
    lifetime = current_app.config["STAFF_SESSION_LIFETIME"].total_seconds()
    login_at, seen_at = state.get("login_at"), state.get("seen_at")
    if not isinstance(login_at, int | float) or now - login_at > lifetime:
        return "lifetime"
    if isinstance(seen_at, int | float) and now - seen_at > idle:
        return "idle"
    return None
