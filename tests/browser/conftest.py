"""Browser tests: the app served on loopback, driven by Debian's Chromium through Playwright."""

from __future__ import annotations

import os
import shutil
import threading

import pytest
from werkzeug.serving import make_server

from gjestebud import create_app
from gjestebud.extensions import db as _db
from tests.conftest import TEST_PASSWORD, base_config

CHROMIUM = os.environ.get("GJESTEBUD_CHROMIUM", "/usr/bin/chromium")
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


class LiveServer:
    def __init__(self, app):
        self.app = app
        self._server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self._server.server_port}"
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self):
        self._thread.start()

    def stop(self):
        self._server.shutdown()
        self._thread.join(timeout=5)


@pytest.fixture
def live_app(tmp_path, app_config):
    app = create_app({**base_config(tmp_path), **app_config})
    with app.app_context():
        _db.create_all()
    yield app
    with app.app_context():
        _db.session.remove()
        _db.engine.dispose()


@pytest.fixture
def live_server(live_app):
    live_app.config["PUBLIC_BASE_URL"] = ""
    server = LiveServer(live_app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not shutil.which(CHROMIUM) and not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"Chromium not found at {CHROMIUM}")
        pytest.skip("Debian's chromium is not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def phone(browser):
    """A 360 px wide phone-sized browser context."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, is_mobile=True,
        has_touch=True, locale="nb-NO",
    )
    yield context
    context.close()


@pytest.fixture
def desktop(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nb-NO")
    yield context
    context.close()


def axe_violations(page) -> list:
    """Run axe-core (bundled by axe-playwright-python) for WCAG 2.1 A/AA on the page."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": AXE_TAGS}})
    return results.response["violations"]


def assert_no_axe_violations(page) -> None:
    violations = axe_violations(page)
    summary = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3]) for v in violations
    ]
    assert violations == [], f"axe found violations on {page.url}: {summary}"


def staff_log_in(page, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
    """Log in on the staff login page (in English) and wait for the staff pages."""
    page.goto(base_url + "/staff/login?lang=en")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.card button[type=submit]")
    page.wait_for_url("**/staff/**")
