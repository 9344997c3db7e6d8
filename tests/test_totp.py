"""Two-factor login: admins must set it up, others may; the code step; recovery codes; limits."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest
import time_machine

from gjestebud.extensions import db
from gjestebud.services import totp
from tests.account_helpers import alert_text, current_code, login, logout, send_code
from tests.conftest import csrf_token, html, make_user

ADMIN = "admin@example.no"
COORD = "koord@example.no"


@pytest.fixture
def app_config():
    return {"ADMIN_TOTP_REQUIRED": True, "TOTP_RATE_LIMIT": "5 per minute"}


def enrol(client) -> tuple[str, list[str]]:
    """Set up an authenticator from the set-up page; returns (secret, recovery codes)."""
    page = client.get("/staff/account/two-factor?lang=en")
    secret = html(page).find(id="totp-secret").get_text().replace(" ", "")
    response = client.post("/staff/account/two-factor?lang=en",
                           data={"csrf_token": csrf_token(page), "code": current_code(secret)})
    codes = [c.get_text() for c in html(response).select(".recovery-codes code")]
    return secret, codes


@pytest.fixture
def coordinator_with_totp(app, org):
    """A coordinator who has set up an authenticator; returns the secret."""
    user = make_user(org, email=COORD, role="coordinator")
    # Set up a minute and a half ago, so that the code of "now" has not been used yet.
    with time_machine.travel(time.time() - 90, tick=False):
        secret = totp.begin_enrolment(user, "Gjestebud").secret
        assert totp.confirm_enrolment(user, current_code(secret)) is not None
    db.session.commit()
    return secret


def test_an_admin_without_two_factor_can_do_nothing_before_setting_it_up(client, org):
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    assert login(client, ADMIN).status_code == 303
    for path in ("/staff/", "/staff/admin/users", "/analyst/", "/staff/campaigns/new"):
        response = client.get(path)
        assert response.status_code == 302, path
        assert response.headers["Location"] == "/staff/account/two-factor"
    page = html(client.get("/staff/account/two-factor?lang=en"))
    assert "Administrators must use two-factor login" in page.find(class_="flash-warning").text
    svg = page.find("svg")
    assert svg["role"] == "img" and svg.get("aria-label")
    assert not page.find(attrs={"style": True})
    secret = page.find(id="totp-secret").get_text().replace(" ", "")
    assert len(secret) == 32  # 160 bits

    wrong = client.post("/staff/account/two-factor?lang=en",
                        data={"csrf_token": csrf_token(client.get("/staff/account/two-factor")),
                              "code": "000000" if current_code(secret) != "000000" else "111111"})
    assert "The code was not right" in alert_text(wrong)
    assert client.get("/staff/").status_code == 302

    _secret, codes = enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get("/staff/").status_code == 200
    assert client.get("/staff/admin/users").status_code == 200


def test_login_with_two_factor_asks_for_the_code_before_any_staff_page(
    client, coordinator_with_totp
):
    secret = coordinator_with_totp
    response = login(client, COORD)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/account/code"
    # Half logged in: the password was right, but nothing opens yet.
    assert client.get("/staff/").status_code == 302
    assert client.get("/staff/account/").status_code == 302
    page = html(client.get("/staff/account/code?lang=en"))
    assert page.find("input", id="code")["autocomplete"] == "one-time-code"

    wrong = send_code(client, "123456" if current_code(secret) != "123456" else "654321")
    assert "The code was not right" in alert_text(wrong)
    assert client.get("/staff/").status_code == 302

    right = send_code(client, current_code(secret))
    assert right.status_code == 303 and right.headers["Location"] == "/staff/"
    assert client.get("/staff/").status_code == 200


def test_an_old_code_and_a_reused_code_are_refused(client, coordinator_with_totp):
    secret = coordinator_with_totp
    login(client, COORD)
    two_minutes_ago = current_code(secret, time.time() - 120)
    if two_minutes_ago != current_code(secret):
        assert "not right" in alert_text(send_code(client, two_minutes_ago))
    code = current_code(secret)
    assert send_code(client, code).status_code == 303
    logout(client)
    login(client, COORD)
    assert "not right" in alert_text(send_code(client, code))  # the same code again
    assert client.get("/staff/").status_code == 302


def test_a_recovery_code_works_once(app, org):
    make_user(org, email=COORD, role="coordinator")
    db.session.commit()
    client = app.test_client()
    login(client, COORD)
    _secret, codes = enrol(client)
    logout(client)
    login(client, COORD)
    response = send_code(client, codes[0].upper())
    assert response.status_code == 303
    assert "9 left" in html(client.get("/staff/?lang=en")).find(class_="flashes").text
    logout(client)
    login(client, COORD)
    assert "not right" in alert_text(send_code(client, codes[0]))


def test_too_many_wrong_codes_are_stopped_even_before_the_right_one(
    client, coordinator_with_totp
):
    secret = coordinator_with_totp
    login(client, COORD)
    wrong = "000000" if current_code(secret) != "000000" else "111111"
    for _ in range(5):
        assert send_code(client, wrong).status_code == 200
    blocked = send_code(client, current_code(secret))
    assert blocked.status_code == 429
    assert "Too many attempts" in alert_text(blocked)
    assert client.get("/staff/").status_code == 302


def test_the_code_step_must_be_finished_within_5_minutes(client, coordinator_with_totp):
    secret = coordinator_with_totp
    with time_machine.travel(datetime.now() + timedelta(hours=1), tick=False) as traveller:
        login(client, COORD)
        page = client.get("/staff/account/code")
        traveller.shift(timedelta(minutes=6))
        response = client.post("/staff/account/code", data={
            "csrf_token": csrf_token(page), "code": current_code(secret)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/login"
    assert client.get("/staff/").status_code == 302


def test_a_coordinator_can_turn_two_factor_off_with_a_code_but_an_admin_cannot(app, org):
    make_user(org, email=COORD, role="coordinator")
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    client = app.test_client()
    login(client, COORD)
    secret, _codes = enrol(client)
    page = client.get("/staff/account/?lang=en")
    with time_machine.travel(time.time() + 60, tick=False):
        client.post("/staff/account/two-factor/off",
                    data={"csrf_token": csrf_token(page), "code": current_code(secret)})
    coordinator = db.session.scalar(db.select(totp.User).where(totp.User.email == COORD))
    assert not totp.is_enabled(coordinator)

    admin_client = app.test_client()
    login(admin_client, ADMIN)
    admin_secret, _ = enrol(admin_client)
    page = html(admin_client.get("/staff/account/?lang=en"))
    assert page.find("button", string="Turn off") is None
    admin = db.session.scalar(db.select(totp.User).where(totp.User.email == ADMIN))
    assert totp.is_enabled(admin)


def test_an_admin_can_reset_a_colleagues_lost_authenticator(app, client, org,
                                                            coordinator_with_totp):
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    login(client, ADMIN)
    enrol(client)
    coordinator = db.session.scalar(db.select(totp.User).where(totp.User.email == COORD))
    page = client.get(f"/staff/admin/users/{coordinator.id}?lang=en")
    assert html(page).find("button", string="Reset two-factor (lost phone)")
    client.post(f"/staff/admin/users/{coordinator.id}/reset-two-factor",
                data={"csrf_token": csrf_token(page)})
    db.session.expire_all()
    assert not totp.is_enabled(coordinator)
    other = app.test_client()
    assert login(other, COORD).headers["Location"] == "/staff/"
