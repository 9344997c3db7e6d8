"""The reported attack in a real browser: a page on another loopback port auto-submits
"invite mallory as admin" to the app while the admin is logged in (or logged out), and the admin
then logs in again. Nobody may be invited, and no "send what you wrote" page may appear."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import sqlalchemy as sa

from gjestebud.extensions import db
from gjestebud.models import User
from tests.browser.conftest import staff_log_in
from tests.conftest import TEST_PASSWORD, make_org, make_user

ADMIN = "admin@example.no"
EVIL = "mallory@evil.example"


def evil_page(target: str) -> bytes:
    return f"""<!doctype html><html lang="en"><title>Win a prize</title>
<form id="f" method="post" action="{target}/staff/admin/users/invite">
<input name="email" value="{EVIL}"><input name="name" value="Mallory">
<input name="role" value="admin"><input name="language" value="en">
</form><script>document.getElementById("f").submit()</script></html>""".encode()


@pytest.fixture
def evil_server(live_server):
    page = evil_page(live_server.url)

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - the http.server API
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            self.wfile.write(page)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_port
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def admin(live_app):
    with live_app.app_context():
        make_user(make_org(), email=ADMIN, role="admin")
        db.session.commit()


def accounts(live_app) -> list[str]:
    with live_app.app_context():
        return list(db.session.scalars(sa.select(User.email).order_by(User.id)))


def log_in_on_this_page(page):
    """Log in with the login form the page shows, if it shows one: nothing may come back."""
    if page.locator("#password").count():
        page.fill("#email", ADMIN)
        page.fill("#password", TEST_PASSWORD)
        page.click("form.card button[type=submit]")
        page.wait_for_load_state()
    assert page.locator(".resume-form").count() == 0
    assert "Send what I wrote" not in page.content()


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"], ids=["same-site", "cross-site"])
@pytest.mark.parametrize("logged_in", [True, False], ids=["logged-in", "logged-out"])
def test_an_evil_page_cannot_make_the_admin_invite_anyone(
    desktop, live_app, live_server, evil_server, admin, host, logged_in
):
    page = desktop.new_page()
    staff_log_in(page, live_server.url, ADMIN)
    if not logged_in:
        page.click("text=Log out")
        page.wait_for_url("**/staff/login**")
    page.goto(f"http://{host}:{evil_server}/")
    page.wait_for_url(f"{live_server.url}/staff/admin/users/invite*")
    page.wait_for_load_state()
    body = page.content()
    assert page.locator("input[name='kept.email']").count() == 0
    assert EVIL not in body
    assert accounts(live_app) == [ADMIN]
    # Logging in again (with the login the page may show, or a fresh one) brings nothing back.
    log_in_on_this_page(page)
    page.goto(live_server.url + "/staff/login?lang=en")
    log_in_on_this_page(page)
    assert accounts(live_app) == [ADMIN]


def test_our_own_form_sent_after_the_session_ran_out_is_kept_and_shown(
    desktop, live_app, live_server, admin
):
    from datetime import timedelta

    from gjestebud.models import Campaign
    from tests.conftest import make_campaign

    with live_app.app_context():
        from gjestebud.models import Organisation

        campaign_id = make_campaign(db.session.scalar(sa.select(Organisation))).id
        db.session.commit()
    live_app.config["STAFF_IDLE_TIMEOUT"] = timedelta(seconds=2)
    page = desktop.new_page()
    staff_log_in(page, live_server.url, ADMIN)
    page.goto(f"{live_server.url}/staff/campaigns/{campaign_id}/edit?lang=en")
    page.fill("#title_nb", "Skrevet før lunsj")
    page.wait_for_timeout(2500)  # the session runs out while the form is open
    page.click("form.campaign-form button[type=submit]")
    page.wait_for_load_state()
    assert page.locator("#kept-notice").is_visible()
    page.fill("#email", ADMIN)
    page.fill("#password", TEST_PASSWORD)
    page.click("form.card button[type=submit]")
    page.wait_for_selector(".resume-form")
    assert "Skrevet før lunsj" in page.locator("dl.kept-values").inner_text()
    page.click(".resume-form button[type=submit]")
    page.wait_for_url(f"**/staff/campaigns/{campaign_id}")
    with live_app.app_context():
        assert db.session.get(Campaign, campaign_id).titles["nb"] == "Skrevet før lunsj"
