"""The public front page: what a gjestebud is, and the way in for staff."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """The front page: what a gjestebud is, in plain language."""
    return render_template("home/index.html")
