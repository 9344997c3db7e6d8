"""The steps of a staff login shared by several pages: the session, the second factor, and
keeping what someone typed when their session ran out in the middle of a form.

A form sent from one of our pages after the session expired is answered with the login form on
the spot. What was typed rides along as signed hidden fields (never passwords or the old CSRF
token) through the password and code steps, and comes back as a page that shows it and has one
button that sends it to where it was going. Nothing is stored on the server or in the cookie, so
it works for long texts and without JS.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import UTC, datetime

from flask import current_app, g, redirect, render_template, request, session, url_for
from flask_login import login_user
from flask_wtf.csrf import validate_csrf
from werkzeug.exceptions import HTTPException
from wtforms.validators import ValidationError

from .. import origin
from ..extensions import db, login_manager
from ..forms.account import CodeForm
from ..forms.staff import LoginForm
from ..models import User

KEEP_PREFIX = "kept."
PENDING_KEY = "pending_login"
PENDING_SECONDS = 5 * 60
log = logging.getLogger(__name__)


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


LOGIN_AT = "login_at"


def start_session(user: User, *, keep_login_time: bool = False) -> None:
    """A fresh session for the logged-in user: nothing carried over but the language. The
    session ends STAFF_SESSION_HOURS after the login (kept when the same person renews it)."""
    login_at = session.get(LOGIN_AT) if keep_login_time else None
    _fresh_session()
    login_user(user)
    now = _now()
    session["seen_at"] = now
    session[LOGIN_AT] = login_at if isinstance(login_at, int | float) else now


# --- keeping typed text across a login -------------------------------------------------------
#
# Only what our own page sent is kept: the POST must come from our origin and carry a CSRF token
# that still validates, and its target must not be an account or administration page. The kept
# fields are signed with the target, and are carried on only by login and code forms sent from
# our own page, so a login form posted from elsewhere cannot bring any.

NEVER_KEPT_BLUEPRINTS = frozenset({"admin", "account"})
SIGNATURE_FIELD = "kept_signature"


def _keepable(name: str) -> bool:
    return (bool(name) and name not in ("csrf_token", SIGNATURE_FIELD)
            and "password" not in name.lower())


def _signature(target: str, kept: list[tuple[str, str]]) -> str:
    key = hashlib.sha256(b"kept-fields:" + current_app.secret_key.encode()).digest()
    payload = json.dumps([target, kept], ensure_ascii=False, separators=(",", ":"))
    return hmac.new(key, payload.encode(), hashlib.sha256).hexdigest()


def may_keep_for(target: str | None) -> bool:
    """True when typed text may be kept for a POST to `target` (a path on this site)."""
    if not target:
        return False
    path = target.split("?", 1)[0]
    try:
        endpoint, _args = current_app.create_url_adapter(request).match(path, method="POST")
    except HTTPException:
        return False
    return endpoint.rpartition(".")[0] not in NEVER_KEPT_BLUEPRINTS


def _token_is_valid() -> bool:
    try:
        validate_csrf(request.form.get("csrf_token"))
    except ValidationError:
        return False
    return True


def carried(target: str | None) -> list[tuple[str, str]]:
    """The kept fields riding along on a login or code form, if that form was sent from our own
    page and their signature holds."""
    if origin.request_origin() != origin.SAME:
        return []
    kept = [
        (name.removeprefix(KEEP_PREFIX), value)
        for name, value in request.form.items(multi=True)
        if name.startswith(KEEP_PREFIX) and _keepable(name.removeprefix(KEEP_PREFIX))
    ]
    signature = request.form.get(SIGNATURE_FIELD, "")
    if not kept or not target or not may_keep_for(target):
        return []
    if not hmac.compare_digest(signature, _signature(target, kept)):
        log.warning("Dropped kept fields whose signature did not match")
        return []
    return kept


def kept_context(kept: list[tuple[str, str]], target: str | None) -> dict:
    """What the login and code templates need to carry kept fields on."""
    if not kept or not target:
        return {"kept": [], "kept_signature": ""}
    return {"kept": kept, "kept_signature": _signature(target, kept)}


def kept_again(target: str | None) -> dict:
    """The kept fields of this login or code form, to carry on when it is shown again."""
    return kept_context(carried(target), target)


def ask_to_log_in():
    """For a page that needs login: a POST gets the login form at once, keeping its fields when
    our own page sent them with a valid token."""
    if request.method != "POST":
        return login_manager.unauthorized()
    target = request.full_path.rstrip("?")
    kept = []
    if origin.request_origin() == origin.SAME and _token_is_valid() and may_keep_for(target):
        kept = [(name, value) for name, value in request.form.items(multi=True)
                if _keepable(name)]
    return render_template(
        "staff/login.html", form=LoginForm(formdata=None), **kept_context(kept, target),
        login_action=url_for("staff.login", next=target),
    )


def after_login(target: str | None):
    """Where a completed login goes: back to the kept form, the page asked for, or campaigns."""
    kept = carried(target)
    if kept:
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
    kept = carried(target)
    if kept:
        return render_template(
            "account/login_code.html", form=CodeForm(formdata=None),
            **kept_context(kept, target), code_action=url_for("account.login_code", next=target),
        )
    if target:
        return redirect(url_for("account.login_code", next=target), 303)
    return redirect(url_for("account.login_code"), 303)
