"""Migrations: one head; the same migrations build the models' schema on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid

import pytest
import sqlalchemy as sa
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from flask_migrate import upgrade

from gjestebud import create_app
from gjestebud.extensions import db
from tests.conftest import base_config, pg_url


def _script(app) -> ScriptDirectory:
    return ScriptDirectory.from_config(app.extensions["migrate"].migrate.get_config())


def _assert_schema_matches_models(app) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "render_as_batch": True}
        )
        diff = compare_metadata(context, db.metadata)
    assert diff == [], f"models and migrations differ: {diff}"


def test_migrations_have_one_head(app):
    assert len(_script(app).get_heads()) == 1


def test_upgrade_empty_sqlite_database(tmp_path):
    app = create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path / 'migrated.sqlite'}"})
    with app.app_context():
        try:
            upgrade()
            tables = set(sa.inspect(db.engine).get_table_names())
            assert {"campaign", "meal", "note", "question", "user"} <= tables
            _assert_schema_matches_models(app)
        finally:
            db.engine.dispose()  # also when an assertion fails: no connection left behind


def test_sqlite_connections_are_durable(app):
    with db.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 2
        assert connection.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


@pytest.fixture
def empty_pg_database():
    url = pg_url()
    if not url:
        import os

        if os.environ.get("CI"):
            pytest.fail("GJESTEBUD_TEST_DATABASE_URL must be set in CI")
        pytest.skip("GJESTEBUD_TEST_DATABASE_URL not set")
    name = f"gjestebud_migrate_{uuid.uuid4().hex[:10]}"
    admin = sa.create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        yield sa.make_url(url).set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


@pytest.mark.postgres
def test_upgrade_empty_postgresql_database(tmp_path, empty_pg_database):
    app = create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI": empty_pg_database})
    with app.app_context():
        try:
            upgrade()
            tables = set(sa.inspect(db.engine).get_table_names())
            assert {"campaign", "meal", "note", "question", "user"} <= tables
            _assert_schema_matches_models(app)
        finally:
            db.engine.dispose()  # also when an assertion fails: no connection left behind


@pytest.mark.parametrize("backend", ["sqlite", pytest.param("postgresql",
                                                            marks=pytest.mark.postgres)])
def test_two_factor_secrets_stored_in_plain_text_are_encrypted_by_the_upgrade(
    tmp_path, backend, request
):
    from flask_migrate import downgrade

    from gjestebud import encryption
    from gjestebud.services import totp

    url = (f"sqlite:///{tmp_path / 'old.sqlite'}" if backend == "sqlite"
           else request.getfixturevalue("empty_pg_database"))
    app = create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        try:
            upgrade(revision="f020339d69f2")  # before secrets were encrypted
            with db.engine.begin() as connection:
                connection.execute(sa.text(
                    "INSERT INTO organisation (name, slug, created_at) "
                    "VALUES ('Kommunen', 'kommunen', CURRENT_TIMESTAMP)"))
                connection.execute(sa.text(
                    "INSERT INTO \"user\" (organisation_id, email, name, password_hash, role, "
                    "active, session_version, language, created_at) VALUES (1, 'a@example.no', "
                    "'A', 'x', 'admin', TRUE, 1, 'nb', CURRENT_TIMESTAMP)"))
                connection.execute(sa.text(
                    "INSERT INTO totp_credential (user_id, secret, last_used_step) "
                    "VALUES (1, 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP', 0)"))
            upgrade()
            stored = db.session.execute(sa.text("SELECT secret FROM totp_credential")).scalar()
            assert encryption.is_encrypted(stored)
            from gjestebud.models import User

            user = db.session.get(User, 1)
            assert totp.credential(user).secret == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
            db.session.remove()
            downgrade(revision="f020339d69f2")
            plain = db.session.execute(sa.text("SELECT secret FROM totp_credential")).scalar()
            assert plain == "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
        finally:
            db.session.remove()
            db.engine.dispose()
