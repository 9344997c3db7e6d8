"""Administration in a real browser on a phone and a desktop: invite a colleague, who sets a
password; an admin sets up two-factor and logs in with a code. axe on every page on the way."""

from __future__ import annotations

import re

import pyotp
import pytest

from gjestebud.extensions import db
from gjestebud.models import Message
from gjestebud.services import audit
from tests.browser.conftest import assert_no_axe_violations
from tests.conftest import TEST_PASSWORD, make_org, make_user

ADMIN = "admin@example.no"
PASSPHRASE = "tre hvite måker over svelvik havn"


@pytest.fixture
def app_config():
    return {"ADMIN_TOTP_REQUIRED": True}


@pytest.fixture
def admin(live_app):
    with live_app.app_context():
        org = make_org()
        user = make_user(org, email=ADMIN, role="admin")
        make_user(org, email="analytiker@example.no", role="analyst")
        audit.record("campaign.created", None, user=user, organisation_id=org.id, status="draft")
        db.session.commit()


def log_in(page, base_url, email=ADMIN, password=TEST_PASSWORD):
    page.goto(base_url + "/staff/login?lang=en")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("form.card button[type=submit]")


def submit(page):
    page.click("main form.card button[type=submit]")


@pytest.mark.parametrize("context_name", ["desktop", "phone"])
def test_admin_enrols_two_factor_invites_a_colleague_who_sets_a_password(
    live_server, live_app, admin, request, context_name
):
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.wait_for_url("**/staff/account/two-factor")
    assert page.locator(".totp-qr svg").is_visible()
    assert page.locator(".totp-qr svg").bounding_box()["width"] <= 360
    assert_no_axe_violations(page)
    secret = page.locator("#totp-secret").inner_text().replace(" ", "")
    page.fill("#code", "000000" if pyotp.TOTP(secret).now() != "000000" else "111111")
    submit(page)
    assert page.locator("#code-error[role=alert]").is_visible()
    assert_no_axe_violations(page)
    page.fill("#code", pyotp.TOTP(secret).now())
    submit(page)
    assert page.locator(".recovery-codes code").count() == 10
    assert_no_axe_violations(page)

    for path in ("/staff/admin/users", "/staff/admin/organisation", "/staff/admin/audit",
                 "/staff/account/"):
        page.goto(live_server.url + path)
        assert page.locator("h1").count() == 1
        assert_no_axe_violations(page)

    page.goto(live_server.url + "/staff/admin/users/invite")
    assert_no_axe_violations(page)
    page.fill("#email", "ny@example.no")
    submit(page)  # the name is missing
    assert page.locator(".error-summary[role=alert]").is_visible()
    assert page.locator("#email").input_value() == "ny@example.no"
    assert_no_axe_violations(page)
    page.fill("#name", "Nina Ny")
    page.select_option("#role", "coordinator")
    submit(page)
    page.wait_for_url("**/staff/admin/users")
    assert page.locator(".flash-success").is_visible()
    page.click("text=Nina Ny")
    assert page.locator("#account-status").inner_text() == "Invited (no password yet)"
    assert_no_axe_violations(page)

    with live_app.app_context():
        mail = db.session.scalar(db.select(Message).where(Message.kind == "staff_invite"))
        link = re.search(r"/staff/account/password/[a-z0-9]+", mail.body_text).group(0)
    page.click("nav.site-nav button[type=submit]")  # log out
    page.goto(live_server.url + link)
    page.wait_for_url("**/staff/account/password")
    assert "12" in page.locator("#password-hint").inner_text()
    assert_no_axe_violations(page)
    page.fill("#password", "passord123456")
    page.fill("#confirm", "passord123456")
    submit(page)
    assert page.locator("#password-error").is_visible()
    assert_no_axe_violations(page)
    page.fill("#password", PASSPHRASE)
    page.fill("#confirm", PASSPHRASE)
    submit(page)
    page.wait_for_url("**/staff/login")
    log_in(page, live_server.url, email="ny@example.no", password=PASSPHRASE)
    page.wait_for_url("**/staff/")

    # The admin logs in again: the second step asks for the code.
    page.click("nav.site-nav button[type=submit]")
    log_in(page, live_server.url)
    page.wait_for_url("**/staff/account/code")
    assert_no_axe_violations(page)
    page.fill("#code", "999999" if pyotp.TOTP(secret).now() != "999999" else "888888")
    submit(page)
    assert page.locator("#code-error[role=alert]").is_visible()
    assert_no_axe_violations(page)


@pytest.mark.parametrize("context_name", ["desktop", "phone"])
def test_forgot_password_pages_pass_axe(live_server, admin, request, context_name):
    page = request.getfixturevalue(context_name).new_page()
    page.goto(live_server.url + "/staff/account/forgot")
    assert_no_axe_violations(page)
    page.fill("#email", "ingen@example.no")
    submit(page)
    assert page.locator("#forgot-status[role=status]").is_visible()
    assert_no_axe_violations(page)
    page.goto(live_server.url + "/staff/account/password/ugyldig")
    assert_no_axe_violations(page)
