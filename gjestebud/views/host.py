"""Placeholder blueprint: host."""

from flask import Blueprint

bp = Blueprint("host", __name__)
