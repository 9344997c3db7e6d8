"""Cross-site request forgery: the hole in "keep what you typed" and the layers around it.

An evil page once made a logged-in admin's browser post "invite mallory as admin"; the POST
arrived without the Lax session cookie, the login form kept its fields, and after logging in one
button sent them with a fresh token. Now: only our own pages' forms with a valid token are kept,
never for account or admin pages, kept fields are signed and shown before they are sent, every
POST needs a token, and staff changes from another site are refused outright.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
import time_machine

from gjestebud.extensions import db
from gjestebud.models import Campaign, User
from tests.account_helpers import login
from tests.conftest import TEST_PASSWORD, csrf_token, html, make_campaign, make_user

ADMIN = "admin@example.no"
SAME = {"Sec-Fetch-Site": "same-origin"}
INVITE = {"email": "mallory@evil.example", "name": "Mallory", "role": "admin", "language": "en"}


def users() -> list[str]:
    db.session.expire_all()
    return list(db.session.scalars(sa.select(User.email).order_by(User.id)))


def log_in_on(page_response, client, **headers):
    """Log in with the login form a page shows, carrying whatever hidden fields it has."""
    form = html(page_response).find("form", class_="card")
    data = {i["name"]: i.get("value", "") for i in form.find_all("input") if i.get("name")}
    data.update({"email": ADMIN, "password": TEST_PASSWORD})
    return client.post(form["action"], data=data, headers=headers)


def test_the_reported_attack_creates_nobody(client, org):
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    # The evil page's POST arrives without a session (SameSite=Lax) and from another site.
    evil = {"Sec-Fetch-Site": "cross-site", "Origin": "http://evil.example"}
    response = client.post("/staff/admin/users/invite?lang=en", data=INVITE, headers=evil)
    assert response.status_code == 403
    # Even without the browser's headers the form is not kept: no valid token came with it.
    response = client.post("/staff/admin/users/invite?lang=en", data=INVITE)
    assert html(response).find("input", id="password") is not None
    assert html(response).find("input", attrs={"name": "kept.email"}) is None
    assert users() == [ADMIN]


def test_a_logged_in_admin_is_not_made_to_invite_by_another_site(client, org):
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    login(client, ADMIN)
    for site in ("cross-site", "same-site"):  # same-site: another port of the same host
        response = client.post("/staff/admin/users/invite", data=INVITE,
                               headers={"Sec-Fetch-Site": site})
        assert response.status_code == 403
    no_header = client.post("/staff/admin/users/invite", data=INVITE)
    assert no_header.status_code == 400  # no token
    for origin in ("http://evil.example", "null"):
        response = client.post("/staff/admin/users/invite", data=INVITE,
                               headers={"Origin": origin})
        assert response.status_code == 403
    assert client.post("/staff/admin/users/invite", data=INVITE,
                       headers={"Referer": "http://evil.example/page"}).status_code == 403
    assert users() == [ADMIN]
    # The admin's own page still works, from the same origin.
    token = csrf_token(client.get("/staff/admin/users/invite"))
    ok = client.post("/staff/admin/users/invite", data={**INVITE, "csrf_token": token},
                     headers={"Origin": "http://localhost"})
    assert ok.status_code == 303
    assert users() == [ADMIN, "mallory@evil.example"]


def test_a_form_for_an_admin_page_is_never_kept_across_a_login(client, org):
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    with time_machine.travel(datetime(2026, 3, 2, 9, 0), tick=False) as traveller:
        login(client, ADMIN)
        token = csrf_token(client.get("/staff/admin/users/invite"))
        traveller.shift(timedelta(minutes=45))
        response = client.post("/staff/admin/users/invite",
                               data={**INVITE, "csrf_token": token}, headers=SAME)
        assert html(response).find("input", id="password") is not None
        assert html(response).find("input", attrs={"name": "kept.email"}) is None
        after = log_in_on(response, client, **SAME)
    assert after.status_code == 303
    assert html(after).find("form", class_="resume-form") is None
    assert users() == [ADMIN]


def test_kept_fields_that_our_server_did_not_sign_are_dropped(client, org):
    campaign = make_campaign(org)
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    target = f"/staff/campaigns/{campaign.id}/edit"
    page = client.get(f"/staff/login?next={target}")
    forged = {"csrf_token": csrf_token(page), "email": ADMIN, "password": TEST_PASSWORD,
              "kept.title_nb": "Kapret", "kept_signature": "0" * 64}
    response = client.post(f"/staff/login?next={target}", data=forged, headers=SAME)
    assert response.status_code == 303
    assert response.headers["Location"] == target


def after_lunch(client, org, send):
    """Open a campaign's edit form, wait 45 minutes (the session runs out), then call
    send(edit_path, token) inside the same travel; returns what it returns."""
    campaign = make_campaign(org)
    make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    edit = f"/staff/campaigns/{campaign.id}/edit"
    with time_machine.travel(datetime(2026, 3, 2, 9, 0), tick=False) as traveller:
        login(client, ADMIN)
        token = csrf_token(client.get(edit))
        traveller.shift(timedelta(minutes=45))
        return campaign, send(edit, token)


def test_the_resume_page_shows_what_will_be_sent(client, org):
    def send(edit, token):
        response = client.post(edit, data={"csrf_token": token, "title_nb": "Min nye tittel"},
                               headers=SAME)
        return log_in_on(response, client, **SAME)

    _campaign, resumed = after_lunch(client, org, send)
    shown = html(resumed).find("dl", class_="kept-values")
    assert shown is not None
    assert "Min nye tittel" in shown.get_text()
    assert html(resumed).find("form", class_="resume-form").find(
        "input", attrs={"name": "title_nb"})["value"] == "Min nye tittel"


def test_a_kept_form_from_another_site_or_with_a_bad_token_is_not_kept(client, org):
    def send(edit, token):
        bad_token = client.post(edit, data={"csrf_token": "forged", "title_nb": "Kapret"},
                                headers=SAME)
        no_origin = client.post(edit, data={"csrf_token": token, "title_nb": "Kapret"})
        return bad_token, no_origin

    campaign, responses = after_lunch(client, org, send)
    for response in responses:
        assert html(response).find("input", attrs={"name": "kept.title_nb"}) is None
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).titles["nb"] != "Kapret"


def test_a_post_view_without_a_form_is_protected_by_default(app, client, org):
    calls = []

    def unguarded():
        calls.append(1)
        return "done"

    app.add_url_rule("/new-button", "home.new_button", unguarded, methods=["POST"])
    client.get("/")  # a session with a CSRF token of its own
    assert client.post("/new-button", data={"text": "x"}).status_code == 400
    assert calls == []


def test_staff_pages_send_their_origin_and_guest_pages_no_referrer(client, org):
    assert client.get("/staff/login").headers["Referrer-Policy"] == "same-origin"
    assert client.get("/").headers["Referrer-Policy"] == "no-referrer"
