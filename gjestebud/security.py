"""Guards on every request and headers on every response.

- Hostile input is refused before any view sees it: a NUL byte in the path, the query or a form
  answers 400, and an id in a path beyond a 64-bit integer does not match a route (404).
- Every state-changing request is checked for a CSRF token (Flask-WTF's global check). Views
  whose own form checks the token, and show the form again with what was typed when it fails,
  say so with `form_checks_csrf`; that is the only way around the global check.
- A state-changing staff request from another site is refused (403) whatever it carries: the
  second layer behind the CSRF token.
"""

from __future__ import annotations

import logging

from flask import Flask, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import BadRequest, Forbidden
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import origin
from .extensions import csrf

log = logging.getLogger(__name__)

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
STATE_CHANGING = frozenset({"POST", "PUT", "PATCH", "DELETE"})
BIGINT_MAX = 2**63 - 1

# Views that check the CSRF token with their own form (module.function names).
FORM_CHECKED_VIEWS: set[str] = set()


def form_checks_csrf(view):
    """Mark a view whose FlaskForm checks the CSRF token itself and, when the token fails,
    changes nothing and shows the form again with what was typed."""
    FORM_CHECKED_VIEWS.add(f"{view.__module__}.{view.__name__}")
    return csrf.exempt(view)


class BoundedIntegerConverter(IntegerConverter):
    """`<int:id>` that only matches ids a 64-bit database column can hold."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", BIGINT_MAX)
        super().__init__(map, *args, **kwargs)


def has_nul(values) -> bool:
    """True when any of the (multi-dict) values or keys holds a NUL byte."""
    for key, value in values.items(multi=True):
        if "\x00" in key or (isinstance(value, str) and "\x00" in value):
            return True
    return False


def refuse_hostile_input():
    """Before every request: NUL bytes in the path, query or form are a bad request."""
    if "\x00" in request.path or has_nul(request.args):
        raise BadRequest()
    if request.method in STATE_CHANGING and has_nul(request.form):
        raise BadRequest()
    return None


def refuse_cross_site_staff_changes():
    """Before every request: staff changes come from our own pages, or from no browser at all."""
    from .access import is_staff_endpoint

    if request.method not in STATE_CHANGING or request.endpoint in (None, "static"):
        return None
    path = request.url_rule.rule if request.url_rule else request.path
    if not is_staff_endpoint(request.endpoint, path):
        return None
    if origin.request_origin() == origin.OTHER:
        log.warning("Refused a cross-site %s to staff endpoint %s", request.method,
                    request.endpoint)
        raise Forbidden()
    return None


def typed_fields() -> list[tuple[str, str]]:
    """What was typed into a refused form, for the person to copy (never secrets or tokens)."""
    if origin.request_origin() != origin.SAME:
        return []
    return [
        (name, value) for name, value in request.form.items(multi=True)
        if _looks_typed(value) and name not in ("csrf_token", "submit")
        and not name.startswith("kept") and "password" not in name.lower()
        and "code" not in name.lower()
    ]


def _looks_typed(value: str) -> bool:
    """Text someone wrote, not a choice from a list (an id, a language code)."""
    value = value.strip()
    return bool(value) and not value.isdigit() and (len(value) > 3 or " " in value)


def _csrf_refused(error: CSRFError):
    log.info("Refused a form without a valid CSRF token on %s", request.endpoint)
    return render_template(
        "error_csrf.html", code=400, title=_("The form could not be sent"),
        typed=typed_fields(),
    ), 400


def init_app(app: Flask) -> None:
    """Call first: these checks come before sessions, the access table and the CSRF check."""
    proxies = app.config.get("TRUSTED_PROXIES", 0)
    if proxies:
        # Only trust X-Forwarded-For from the configured number of proxies in front of us.
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.url_map.converters["int"] = BoundedIntegerConverter
    app.before_request(refuse_hostile_input)
    app.before_request(refuse_cross_site_staff_changes)
    app.register_error_handler(CSRFError, _csrf_refused)

    @app.after_request
    def _headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = _referrer_policy()
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        if request.is_secure:
            response.headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if request.endpoint and not request.endpoint.startswith("static"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response


def _referrer_policy() -> str:
    """Meal and host links carry capability tokens: never leak them in a Referer. Staff pages
    carry none, and send "same-origin" so that their forms tell the Origin they come from."""
    from .access import is_staff_endpoint

    endpoint = request.endpoint
    if endpoint and endpoint != "static" and is_staff_endpoint(endpoint, request.path):
        return "same-origin"
    return "no-referrer"
