"""Friendly error pages in the user's language; never a traceback."""

from __future__ import annotations

import logging

from flask import Flask, jsonify, render_template, request
from flask_babel import gettext as _
from sqlalchemy.exc import DataError
from werkzeug.exceptions import HTTPException

log = logging.getLogger(__name__)


def wants_json() -> bool:
    """True for fetch() calls from our scripts, which ask for JSON."""
    best = request.accept_mimetypes.best_match(["application/json", "text/html"])
    return best == "application/json" and request.accept_mimetypes[best] > request.accept_mimetypes[
        "text/html"
    ]


def _messages() -> dict[int, tuple[str, str]]:
    return {
        400: (_("Something was wrong with the request"), _("Please go back and try again.")),
        403: (_("Not allowed"), _("You do not have access to this page.")),
        404: (
            _("We could not find that page"),
            _(
                "The link may be mistyped, or it is no longer in use. "
                "Check the address, or ask the person who gave it to you."
            ),
        ),
        405: (_("Something was wrong with the request"), _("Please go back and try again.")),
        413: (_("Too much text"), _("What you sent was too large. Please shorten it.")),
        429: (
            _("Too many at once"),
            _("Many notes were sent in a short time. Please wait a minute and try again."),
        ),
        500: (
            _("Something went wrong on our side"),
            _("Nothing you sent was lost. Please try again in a little while."),
        ),
    }


def render_error(code: int):
    messages = _messages()
    title, text = messages.get(code, messages[500])
    if wants_json():
        return jsonify({"error": title, "message": text}), code
    return render_template("error.html", code=code, title=title, text=text), code


def init_app(app: Flask) -> None:
    @app.errorhandler(HTTPException)
    def _http_error(error: HTTPException):
        return render_error(error.code or 500)

    @app.errorhandler(DataError)
    @app.errorhandler(OverflowError)
    def _value_out_of_range(error: Exception):
        # A value the database cannot hold (an integer beyond 64 bits in a query or form):
        # the request was bad, nothing was stored.
        from .extensions import db

        db.session.rollback()
        log.warning("Refused a value the database cannot hold on %s: %s", request.endpoint,
                    type(error).__name__)
        return render_error(400)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception):
        # The exception is logged with its type and traceback but never with request data.
        log.exception("Unhandled error on %s", request.endpoint)
        return render_error(500)
