"""The steps of a staff login shared by several pages: the session, the second factor, and
keeping what someone typed when their session ran out in the middle of a form.

A form sent after the session expired is answered with the login form on the spot. What was
typed rides along as hidden fields (never passwords or the old CSRF token) through the password
and code steps, and comes back as a page with one button that sends it to where it was going.
Nothing is stored on the server or in the cookie, so it works for long texts and without JS.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_login import login_user

from ..extensions import db, login_manager
from ..forms.account import CodeForm
from ..forms.staff import LoginForm
from ..models import User

KEEP_PREFIX = "kept."
PENDING_KEY = "pending_login"
PENDING_SECONDS = 5 * 60


def _now() -> float:
    return datetime.now(UTC).timestamp()


def _fresh_session() -> None:
    """Clear the session but keep the language; a page rendered next gets a new CSRF token."""
    language = session.get("lang")
    session.clear()
    if language:
        session["lang"] = language
    # Flask-WTF caches the token of the old session for this request: drop it with the session.
    g.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)


def start_session(user: User) -> None:
    """A fresh session for the logged-in user: nothing carried over but the language."""
    _fresh_session()
    login_user(user)
    session["seen_at"] = _now()


# --- keeping typed text across a login -------------------------------------------------------

def _keepable(name: str) -> bool:
    return bool(name) and name != "csrf_token" and "password" not in name.lower()


def carried() -> list[tuple[str, str]]:
    """The kept fields riding along on a login or code form, without their prefix."""
    return [
        (name.removeprefix(KEEP_PREFIX), value)
        for name, value in request.form.items(multi=True)
        if name.startswith(KEEP_PREFIX) and _keepable(name.removeprefix(KEEP_PREFIX))
    ]


def ask_to_log_in():
    """For a page that needs login: a POST gets the login form at once, keeping its fields."""
    if request.method != "POST":
        return login_manager.unauthorized()
    kept = [(name, value) for name, value in request.form.items(multi=True) if _keepable(name)]
    target = request.full_path.rstrip("?")
    return render_template(
        "staff/login.html", form=LoginForm(formdata=None), kept=kept,
        login_action=url_for("staff.login", next=target),
    )


def after_login(target: str | None):
    """Where a completed login goes: back to the kept form, the page asked for, or campaigns."""
    kept = carried()
    if kept and target:
        return render_template("staff/resume.html", kept=kept, action=target)
    return redirect(target or url_for("staff.campaigns"), 303)


# --- the second step -------------------------------------------------------------------------

def begin_second_step(user: User) -> None:
    """Password accepted: remember who is halfway in. This is not a login; no page opens."""
    _fresh_session()
    session[PENDING_KEY] = {"uid": user.id, "sv": user.session_version, "at": _now()}


def pending_user() -> User | None:
    """The user who gave the right password in the last 5 minutes, or None."""
    state = session.get(PENDING_KEY)
    if not isinstance(state, dict) or _now() - float(state.get("at", 0)) > PENDING_SECONDS:
        return None
    user = db.session.get(User, int(state.get("uid", 0)))
    if user is None or not user.active or user.session_version != state.get("sv"):
        return None
    return user


def forget_second_step() -> None:
    """Drop the halfway state (too old, or given up)."""
    session.pop(PENDING_KEY, None)


def ask_for_code(target: str | None):
    """Go on to the code step, carrying the kept fields when there are any."""
    kept = carried()
    if kept:
        return render_template(
            "account/login_code.html", form=CodeForm(formdata=None), kept=kept,
            code_action=url_for("account.login_code", next=target),
        )
    if target:
        return redirect(url_for("account.login_code", next=target), 303)
    return redirect(url_for("account.login_code"), 303)
