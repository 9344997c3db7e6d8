"""Gjestebud: citizen-hosted participation meals, from invitation to feedback."""

from __future__ import annotations

import os

from flask import Flask

from . import access, cli, encryption, errors, i18n, jobs, security, sessions
from .config import load_config
from .extensions import babel, csrf, db, limiter, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Build the web app; a table of contents of what it is made of."""
    app = Flask(
        __name__,
        instance_relative_config=True,
        template_folder="../templates",
        static_folder="../static",
    )
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(load_config(app.instance_path))
    if test_config:
        app.config.from_mapping(test_config)
    encryption.check_keys(app.config["TOTP_KEYS"])

    db.init_app(app)
    migrate.init_app(app, db, directory=_migrations_dir(), render_as_batch=True)
    security.init_app(app)  # hostile input and cross-site staff changes, before anything else
    limiter.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale)
    i18n.init_app(app)
    sessions.init_app(app)
    access.init_app(app)  # after sessions: the idle timeout runs before the role check
    csrf.init_app(app)  # after access: who may do it first, then whether the form is genuine
    errors.init_app(app)
    jobs.init_app(app)
    _register_blueprints(app)
    cli.init_app(app)
    _init_database_settings(app)
    return app


def _register_blueprints(app: Flask) -> None:
    from .views import account, admin, analyst, analyst_library, health, home, host, public, staff

    for module in (health, home, public, host, staff, analyst, analyst_library):
        app.register_blueprint(module.bp)
    for module in (account, admin):  # staff accounts, two-factor, administration
        app.register_blueprint(module.bp)
    from .views import coordination, invitation  # step 3: invitations, funnel, reminders

    for module in (coordination, invitation):
        app.register_blueprint(module.bp)
    from .views import feedback  # step 5: consent, unsubscribe, privacy, my data

    app.register_blueprint(feedback.bp)
    from .views import feedback_messages  # step 5: results and updates e-mailed to participants

    app.register_blueprint(feedback_messages.bp)
    from .views import messages  # the e-mail outbox for staff

    app.register_blueprint(messages.bp)
    from .views import analyst_report, reports  # the report: editor for analysts, public page

    for module in (analyst_report, reports):
        app.register_blueprint(module.bp)


def _migrations_dir() -> str:
    from pathlib import Path

    return str(Path(__file__).resolve().parent.parent / "migrations")


def _init_database_settings(app: Flask) -> None:
    """SQLite durability: WAL, synchronous=FULL and foreign keys on every connection."""
    import sqlalchemy as sa

    if not app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        return

    with app.app_context():
        engine = db.engine

        @sa.event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection, _record):
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=FULL")
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.close()
