"""Staff accounts: invitations by e-mail, choosing a password, forgotten passwords, roles,
deactivation, and a form sent after the session ran out."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from gjestebud.extensions import db
from gjestebud.models import Campaign, Role, User
from gjestebud.services.accounts import password_problem
from tests.account_helpers import link_in, login, logout, messages
from tests.conftest import csrf_token, html, make_campaign, make_org, make_user
from tests.test_staff import form_values

ADMIN = "admin@example.no"
NEW = "ny.kollega@example.no"
PASSPHRASE = "blåbærsyltetøy på vaffel hver fredag"
LOWER_64 = "hestene løper fort over jordet om kvelden i mars og mai og juni!"
LONG_128 = ("da vi kom til bryggen i svelvik lå fjorden blank, og bestemor fortalte om "
            "sommeren hun rodde over til hurum med kurv av jordbær!")


@pytest.fixture
def admin(org):
    user = make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    return user


def invite(client, email=NEW, role="analyst", name="Nina Ny"):
    page = client.get("/staff/admin/users/invite?lang=en")
    values = {**form_values(page, "invite-form"), "email": email, "name": name, "role": role,
              "language": "en"}
    return client.post("/staff/admin/users/invite", data=values)


def choose_password(client, link, password, confirm=None):
    opened = client.get(link + "?lang=en")
    if opened.status_code != 303:
        return opened
    page = client.get(opened.headers["Location"])
    return client.post(opened.headers["Location"], data={
        "csrf_token": csrf_token(page), "password": password,
        "confirm": password if confirm is None else confirm,
    })


def field_error(response, field_id="password") -> str:
    error = html(response).find(id=f"{field_id}-error")
    return error.get_text(" ", strip=True) if error else ""


# --- invitation → password → login -----------------------------------------------------------

def test_an_invited_colleague_sets_a_password_from_the_email_and_logs_in(client, admin):
    login(client, ADMIN)
    response = invite(client)
    assert response.status_code == 303
    assert "on its way to ny.kollega@example.no" in html(client.get("/staff/admin/users")).text

    [mail] = messages("staff_invite")
    assert mail.recipient == NEW
    assert "Indre Østfold kommune" in mail.subject
    link = link_in(mail)
    assert "analysis and reports" in mail.body_text
    assert f'href="http://localhost{link}"' in mail.body_html
    token = link.rsplit("/", 1)[1]
    assert len(token) >= 26  # 160 bits in base32: well over 128 bits
    new_user = db.session.scalar(db.select(User).where(User.email == NEW))
    assert token not in str(db.session.execute(db.text("select * from account_token")).all())
    # Invited, but no password yet: cannot log in with anything.
    client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/"))})
    assert login(client, NEW, "").status_code == 200

    page = client.get(client.get(link + "?lang=en").headers["Location"])
    hint = html(page).find(id="password-hint").get_text(" ", strip=True)
    assert "At least 12 characters" in hint and "special characters" in hint
    assert choose_password(client, link, PASSPHRASE).headers["Location"] == "/staff/login"
    assert login(client, NEW, PASSPHRASE).status_code == 303
    assert html(client.get("/staff/?lang=en")).h1.get_text(strip=True) == "Campaigns"
    assert new_user.role == "analyst"


def test_a_password_link_works_only_once(client, admin):
    login(client, ADMIN)
    invite(client)
    link = link_in(messages("staff_invite")[0])
    assert choose_password(client, link, PASSPHRASE).status_code == 303
    again = client.get(link + "?lang=en")
    assert again.status_code == 410
    assert "The link no longer works" in html(again).h1.text
    # Nor can the page be used by keeping the old session around.
    assert client.get("/staff/account/password?lang=en").status_code == 410


def test_an_invitation_expires_after_7_days(client, admin):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0), tick=False) as traveller:
        login(client, ADMIN)
        invite(client)
        link = link_in(messages("staff_invite")[0])
        traveller.shift(timedelta(days=6, hours=23))
        assert client.get(link).status_code == 303
        traveller.shift(timedelta(hours=2))
        assert client.get(link).status_code == 410
        response = choose_password(client, link, PASSPHRASE)
    assert response.status_code == 410
    assert db.session.scalar(db.select(User).where(User.email == NEW)).password_hash == "!unset"


def test_sending_the_invitation_again_makes_the_old_link_useless(client, admin):
    login(client, ADMIN)
    invite(client)
    old_link = link_in(messages("staff_invite")[0])
    new_user = db.session.scalar(db.select(User).where(User.email == NEW))
    page = client.get(f"/staff/admin/users/{new_user.id}")
    client.post(f"/staff/admin/users/{new_user.id}/resend", data={"csrf_token": csrf_token(page)})
    first, second = messages("staff_invite")
    assert link_in(second) != old_link
    assert client.get(old_link).status_code == 410
    assert client.get(link_in(second)).status_code == 303


def test_inviting_an_existing_address_keeps_the_form_and_says_why(client, admin):
    login(client, ADMIN)
    response = invite(client, email=ADMIN, name="Dobbel")
    assert response.status_code == 200
    assert "already exists" in field_error(response, "email")
    assert form_values(response, "invite-form")["name"] == "Dobbel"
    assert messages("staff_invite") == []


# --- the password policy ---------------------------------------------------------------------

@pytest.mark.parametrize(("password", "problem"), [
    ("elleve tegn", "too_short"),                       # 11 characters
    ("kort passor", "too_short"),
    ("passord123456", "common"),
    ("password1234", "common"),
    ("qwertyuiop123", "common"),
    ("sommer2026!!", "common"),
    ("123456789012", "common"),
    ("ny.kollega2026", "common"),                        # the person's own address
    ("passordpassord", "common"),
    (LOWER_64, None),
    ("tolv tegn ok", None),                              # exactly 12, no composition rules
    (LONG_128, None),
])
def test_password_policy(password, problem):
    assert password_problem(password, email=NEW, name="Nina Ny") == problem


def test_the_policy_in_the_form_refuses_short_and_common_and_accepts_a_long_passphrase(
    client, admin
):
    login(client, ADMIN)
    invite(client)
    logout(client)
    link = link_in(messages("staff_invite")[0])
    short = choose_password(client, link, "a" * 11)
    assert short.status_code == 200
    assert "at least 12 characters" in field_error(short)
    assert html(short).find(id="password")["aria-invalid"] == "true"
    common = choose_password(client, link, "passord123456")
    assert "too common" in field_error(common)
    different = choose_password(client, link, PASSPHRASE, confirm=PASSPHRASE + "!")
    assert "not the same" in field_error(different, "confirm")
    sixty_four = "hestene løper fort over jordet om kvelden i mars og mai og juni!"
    assert len(sixty_four) == 64
    assert choose_password(client, link, sixty_four).status_code == 303
    assert login(client, NEW, sixty_four).status_code == 303


def test_a_128_character_password_can_be_set_and_used(client, admin):
    login(client, ADMIN)
    invite(client)
    logout(client)
    long_password = LONG_128
    assert len(long_password) == 128
    assert choose_password(client, link_in(messages()[0]), long_password).status_code == 303
    assert login(client, NEW, long_password).status_code == 303


# --- forgotten password ----------------------------------------------------------------------

def forgot(client, email):
    page = client.get("/staff/account/forgot?lang=en")
    return client.post("/staff/account/forgot?lang=en",
                       data={"csrf_token": csrf_token(page), "email": email})


def visible_text(response) -> str:
    return " ".join(html(response).find("main").get_text(" ").split())


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(client, admin):
    known = forgot(client, ADMIN)
    unknown = forgot(client, "ingen@example.no")
    assert known.status_code == unknown.status_code == 200
    assert visible_text(known) == visible_text(unknown)
    assert "If the address belongs to a staff account" in visible_text(known)
    [mail] = messages("password_reset")
    assert mail.recipient == ADMIN


def test_a_reset_link_sets_a_new_password_and_ends_every_old_session(app, client, admin):
    login(client, ADMIN)
    assert client.get("/staff/").status_code == 200
    other_device = app.test_client()
    forgot(other_device, ADMIN)
    link = link_in(messages("password_reset")[0])
    assert choose_password(other_device, link, PASSPHRASE).status_code == 303
    assert client.get("/staff/").status_code == 302  # the first session is over
    assert login(other_device, ADMIN).status_code == 200  # the old password is gone
    assert login(other_device, ADMIN, PASSPHRASE).status_code == 303


def test_a_reset_link_expires_after_2_hours(client, admin):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0), tick=False) as traveller:
        forgot(client, ADMIN)
        traveller.shift(timedelta(hours=2, minutes=1))
        assert client.get(link_in(messages("password_reset")[0])).status_code == 410


def test_the_login_page_links_to_forgot_password(client):
    assert html(client.get("/staff/login?lang=en")).find("a", href="/staff/account/forgot")


# --- roles and deactivation ------------------------------------------------------------------

def test_the_users_page_lists_the_organisations_staff_with_role_and_status(client, admin, org):
    make_user(org, email="analytiker@example.no", role="analyst")
    make_user(make_org("Drammen", "drammen"), email="drammen@example.no", role="admin")
    db.session.commit()
    login(client, ADMIN)
    invite(client, email=NEW, role="coordinator")
    page = html(client.get("/staff/admin/users?lang=en"))
    rows = {
        row.find_all("td")[1].get_text(strip=True): [td.get_text(" ", strip=True)
                                                   for td in row.find_all("td")]
        for row in page.find("table").find("tbody").find_all("tr")
    }
    assert set(rows) == {ADMIN, "analytiker@example.no", NEW}
    assert rows[NEW][2:4] == ["Coordinator", "Invited (no password yet)"]
    assert rows["analytiker@example.no"][2:4] == ["Analyst", "Active"]


def test_changing_a_role_takes_effect_at_once(app, client, admin, org):
    colleague = make_user(org, email="koord@example.no", role="coordinator")
    db.session.commit()
    theirs = app.test_client()
    login(theirs, "koord@example.no")
    assert theirs.get("/staff/campaigns/new").status_code == 200
    login(client, ADMIN)
    page = client.get(f"/staff/admin/users/{colleague.id}")
    response = client.post(f"/staff/admin/users/{colleague.id}",
                           data={"csrf_token": csrf_token(page), "role": "analyst"})
    assert response.status_code == 303
    assert theirs.get("/staff/campaigns/new").status_code == 403
    assert theirs.get("/analyst/").status_code == 200


def test_the_last_admin_cannot_be_demoted(client, admin):
    login(client, ADMIN)
    page = client.get(f"/staff/admin/users/{admin.id}?lang=en")
    response = client.post(f"/staff/admin/users/{admin.id}?lang=en",
                           data={"csrf_token": csrf_token(page), "role": "analyst"})
    assert response.status_code == 200
    assert "at least one active administrator" in field_error(response, "role")
    db.session.expire_all()
    assert admin.role == Role.ADMIN.value


def test_deactivating_a_user_ends_their_open_session(app, client, admin, org):
    colleague = make_user(org, email="koord@example.no", role="coordinator")
    db.session.commit()
    theirs = app.test_client()
    login(theirs, "koord@example.no")
    assert theirs.get("/staff/").status_code == 200
    login(client, ADMIN)
    page = client.get(f"/staff/admin/users/{colleague.id}")
    client.post(f"/staff/admin/users/{colleague.id}/deactivate",
                data={"csrf_token": csrf_token(page)})
    assert theirs.get("/staff/").status_code == 302
    assert login(theirs, "koord@example.no").status_code == 200  # cannot log in again
    assert "Deactivated" in html(client.get(f"/staff/admin/users/{colleague.id}?lang=en")).find(
        id="account-status").text


def test_an_admin_cannot_deactivate_themselves(client, admin):
    login(client, ADMIN)
    page = html(client.get(f"/staff/admin/users/{admin.id}?lang=en"))
    assert page.find("button", string="Deactivate") is None
    client.post(f"/staff/admin/users/{admin.id}/deactivate",
                data={"csrf_token": page.find("input", attrs={"name": "csrf_token"})["value"]})
    db.session.expire_all()
    assert admin.active


# --- a form sent after the idle timeout keeps what was typed --------------------------------

def test_a_campaign_sent_after_the_idle_timeout_is_kept_through_a_new_login(client, admin, org):
    campaign = make_campaign(org)
    db.session.commit()
    edit = f"/staff/campaigns/{campaign.id}/edit"
    long_text = "Vi vil høre fra alle som bor her.\nOgså de som sjelden blir spurt. " * 20
    with time_machine.travel(datetime(2026, 3, 2, 9, 0), tick=False) as traveller:
        login(client, ADMIN)
        values = form_values(client.get(edit + "?lang=en"))
        values.update({"title_nb": "Ny tittel etter lunsj", "purpose_nb": long_text})
        traveller.shift(timedelta(minutes=45))  # lunch
        # A browser says that the form comes from our own page; only then is it kept.
        response = client.post(edit, data=values, headers={"Sec-Fetch-Site": "same-origin"})
        assert response.status_code == 200
        page = html(response)
        assert "logged out after 30 minutes" in page.find(class_="flashes").text
        assert page.find("input", id="password") is not None
        hidden = {i["name"]: i["value"] for i in page.find_all("input", type="hidden")}
        assert hidden["kept.title_nb"] == "Ny tittel etter lunsj"
        assert "kept.csrf_token" not in hidden
        # Log in on the spot with the form the page shows.
        form = page.find("form", class_="card")
        data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
        data.update({"email": ADMIN, "password": "riktig hest batteri stift"})
        resumed = client.post(form["action"], data=data, headers={"Sec-Fetch-Site": "same-origin"})
        assert resumed.status_code == 200
        resume_form = html(resumed).find("form", class_="resume-form")
        assert resume_form["action"] == edit
        kept = {i["name"]: i["value"] for i in resume_form.find_all("input")}
        assert kept["title_nb"] == "Ny tittel etter lunsj"
        assert kept["purpose_nb"] == long_text
        saved = client.post(edit, data=kept)
    assert saved.status_code == 303, html(saved).find(class_="error-summary")
    db.session.expire_all()
    campaign = db.session.get(Campaign, campaign.id)
    assert campaign.titles["nb"] == "Ny tittel etter lunsj"
    assert campaign.purposes["nb"].startswith("Vi vil høre fra alle som bor her.")
