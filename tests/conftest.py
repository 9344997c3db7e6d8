"""Shared fixtures: an app on a fresh database per test, a client, a CLI runner, factories."""

from __future__ import annotations

import os
from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from bs4 import BeautifulSoup
from flask import g, request_started

from gjestebud import create_app
from gjestebud.extensions import babel
from gjestebud.extensions import db as _db
from gjestebud.models import Organisation, Role, User
from gjestebud.services import campaigns as campaign_service
from gjestebud.services import meals as meal_service
from gjestebud.services.passwords import hash_password

TEST_PASSWORD = "riktig hest batteri stift"


def base_config(tmp_path) -> dict:
    return {
        "TESTING": True,
        "SECRET_KEY": "test-secret-key-not-for-production",
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}",
        "HUEY_IMMEDIATE": True,
        "SESSION_COOKIE_SECURE": False,
        "RATELIMIT_STORAGE_URI": "memory://",
        "PUBLIC_BASE_URL": "http://localhost",
        # E-mail never leaves a test: no SMTP host (whatever the shell says), files in tmp_path.
        "SMTP_HOST": None,
        "MAIL_FOLDER": str(tmp_path / "outbox"),
        # Most tests log in as an admin with a password only; tests/test_totp.py turns it on.
        "ADMIN_TOTP_REQUIRED": False,
    }


@pytest.fixture
def app_config(tmp_path) -> dict:
    """Override in a test module to change the configuration."""
    return {}


@contextmanager
def running_app(config: dict, *, drop_all: bool = False):
    """An app on a fresh schema, inside its app context, for as long as the block runs."""
    app = create_app(config)

    # In production each request has its own `g`; under the test's long-lived app context
    # requests would share one: Flask-Login's cached user would outlive a logout, every client
    # would get the same cached CSRF token, and Flask-Babel would keep the first locale.
    def _fresh_g_per_request(sender, **extra):
        g.__dict__.clear()

    request_started.connect(_fresh_g_per_request, app)

    with app.app_context():
        # Flask-Babel caches catalogues process-wide, keyed by locale only: a test app with a
        # catalogue of its own (tests/test_mail_delivery.py) must not leave it to the next test.
        babel.domain_instance.cache.clear()
        if drop_all:
            _db.drop_all()
        _db.create_all()
        try:
            yield app
        finally:
            _db.session.remove()
            if drop_all:
                _db.drop_all()
            _db.engine.dispose()
            babel.domain_instance.cache.clear()


@pytest.fixture
def app(tmp_path, app_config):
    with running_app({**base_config(tmp_path), **app_config}) as app:
        yield app


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


def pg_url() -> str | None:
    return os.environ.get("GJESTEBUD_TEST_DATABASE_URL")


@pytest.fixture
def pg_app(tmp_path):
    """The app on PostgreSQL; CI sets GJESTEBUD_TEST_DATABASE_URL so these always run there."""
    url = pg_url()
    if not url:
        if os.environ.get("CI"):
            pytest.fail("GJESTEBUD_TEST_DATABASE_URL must be set in CI")
        pytest.skip("GJESTEBUD_TEST_DATABASE_URL not set")
    app = create_app({**base_config(tmp_path), "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        yield app
        _db.session.remove()
        _db.drop_all()
        _db.engine.dispose()


def html(response) -> BeautifulSoup:
    """Parse a response body as HTML."""
    return BeautifulSoup(response.get_data(as_text=True), "html.parser")


def csrf_token(response) -> str:
    field = html(response).find("input", attrs={"name": "csrf_token"})
    assert field is not None, "form has no CSRF token"
    return field["value"]


# --- tiny factories -------------------------------------------------------------------------

def make_org(name: str = "Indre Østfold kommune", slug: str = "indre-ostfold") -> Organisation:
    org = Organisation(name=name, slug=slug)
    _db.session.add(org)
    _db.session.flush()
    return org


def make_user(
    org: Organisation, email: str = "koordinator@example.no", role: str = Role.ADMIN.value
) -> User:
    user = User(
        organisation_id=org.id, email=email, name="Kari Koordinator",
        password_hash=hash_password(TEST_PASSWORD), role=role,
    )
    _db.session.add(user)
    _db.session.flush()
    return user


def make_campaign(org: Organisation, status: str = "open", title: str = "Nærmiljø 2026"):
    data = campaign_service.CampaignData(
        titles={"nb": title, "en": "Neighbourhood 2026"},
        purposes={"nb": "Vi vil vite hva dere setter pris på der dere bor."},
        results_uses={"nb": "Svarene brukes når vi planlegger bibliotekene."},
        places=["Askim", "Mysen", "Svelvik"],
        target_groups=["pensjonister", "barn og unge", "språkkafé"],
        status=status,
    )
    campaign = campaign_service.create_campaign(org, data)
    _db.session.flush()
    return campaign


def make_meal(campaign, place_name: str = "Askim", group_name: str = "pensjonister"):
    """A registered meal; returns (meal, host_token)."""
    place = next(p for p in campaign.places if p.name == place_name)
    group = next(g for g in campaign.target_groups if g.name == group_name)
    meal, token = meal_service.register_meal(
        campaign,
        meal_service.MealRegistration(
            host_name="Ola Vert", email="ola@example.no", place_id=place.id,
            target_group_id=group.id, held_on=date.today() + timedelta(days=7),
            expected_guests=8,
        ),
    )
    _db.session.commit()
    return meal, token


@pytest.fixture
def org(app):
    org = make_org()
    _db.session.commit()
    return org


@pytest.fixture
def analyst(org):
    """An analyst of the organisation."""
    user = make_user(org, email="analytiker@example.no", role="analyst")
    _db.session.commit()
    return user


@pytest.fixture
def coordinator(org):
    """A coordinator of the organisation."""
    user = make_user(org, email="koordinator@example.no", role="coordinator")
    _db.session.commit()
    return user


@pytest.fixture
def staff(client, coordinator):
    """The test client, logged in as the coordinator (interface in English)."""
    from tests.coordination_helpers import login

    login(client, coordinator.email)
    return client


@pytest.fixture
def campaign(org):
    campaign = make_campaign(org)
    _db.session.commit()
    return campaign


@pytest.fixture
def meal(campaign):
    meal, _token = make_meal(campaign)
    return meal
