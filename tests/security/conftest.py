"""The security suite runs on SQLite and on PostgreSQL: they refuse different hostile values
(PostgreSQL has no room for NUL bytes in text, SQLite none for integers beyond 64 bits)."""

from __future__ import annotations

import os

import pytest

from tests.conftest import base_config, pg_url, running_app


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def app(request, tmp_path, app_config):
    config = {**base_config(tmp_path), **app_config}
    if request.param == "postgresql":
        if not pg_url():
            if os.environ.get("CI"):
                pytest.fail("GJESTEBUD_TEST_DATABASE_URL must be set in CI")
            pytest.skip("GJESTEBUD_TEST_DATABASE_URL not set")
        config["SQLALCHEMY_DATABASE_URI"] = pg_url()
    with running_app(config, drop_all=request.param == "postgresql") as app:
        yield app
