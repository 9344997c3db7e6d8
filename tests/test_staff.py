"""Staff stories: logging in and out safely, and setting up a campaign for the organisation."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

import pytest
import time_machine

from gjestebud.extensions import db
from gjestebud.models import Campaign
from tests.conftest import TEST_PASSWORD, csrf_token, html, make_campaign, make_org, make_user

EMAIL = "koordinator@example.no"
COOKIE = "gjestebud_session"


@pytest.fixture
def app_config():
    return {"LOGIN_RATE_LIMIT": "5 per minute"}


@pytest.fixture
def user(org):
    user = make_user(org, email=EMAIL)
    db.session.commit()
    return user


def login(client, email=EMAIL, password=TEST_PASSWORD, next_path=None, **kwargs):
    url = "/staff/login?lang=en" + (f"&next={next_path}" if next_path else "")
    page = client.get(url, **kwargs)
    return client.post(
        url, data={"csrf_token": csrf_token(page), "email": email, "password": password}, **kwargs
    )


def login_message(response) -> str:
    alert = html(response).find(attrs={"role": "alert"})
    return " ".join(alert.get_text(" ").split()) if alert else ""


def form_values(response, form_class="campaign-form") -> dict:
    """What a browser would submit from the page's form, as it is rendered."""
    form = html(response).find("form", class_=form_class)
    data = {}
    for element in form.find_all(["input", "textarea", "select"]):
        name = element.get("name")
        if not name:
            continue
        if element.name == "textarea":
            # Browsers drop the one newline that may follow <textarea>.
            text = element.get_text()
            data[name] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
        elif element.name == "select":
            chosen = element.find("option", selected=True) or element.find("option")
            data[name] = chosen["value"]
        else:
            data[name] = element.get("value", "")
    return data


# --- login and logout ------------------------------------------------------------------------

def test_login_with_the_right_password_shows_the_campaigns(client, user):
    response = login(client)
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/"
    page = html(client.get("/staff/"))
    assert page.h1.get_text(strip=True) == "Campaigns"
    assert page.find("nav", attrs={"aria-label": "Staff menu"}).find("button").get_text(
        strip=True
    ) == "Log out"


def test_wrong_password_and_unknown_email_get_the_same_message(client, user):
    wrong_password = login(client, password="feil passord som er langt")
    unknown_email = login(client, email="ukjent@example.no", password="feil passord")
    assert wrong_password.status_code == unknown_email.status_code == 200
    assert "e-mail address or the password is not right" in login_message(wrong_password)
    assert login_message(wrong_password) == login_message(unknown_email)
    # The typed address stays in the field; the password does not.
    page = html(unknown_email)
    assert page.find("input", id="email")["value"] == "ukjent@example.no"
    assert not page.find("input", id="password").get("value")
    assert client.get("/staff/").status_code == 302


def test_login_logs_the_user_id_but_never_the_email_or_password(client, user, caplog):
    caplog.set_level(logging.INFO, logger="gjestebud")
    login(client, password="feil passord som er langt")
    login(client)
    logged = " ".join(record.getMessage() for record in caplog.records)
    assert "Staff login failed" in logged
    assert f"Staff login succeeded for user {user.id}" in logged
    assert EMAIL not in logged and TEST_PASSWORD not in logged
    assert "feil passord" not in logged


def test_login_gives_a_new_session_cookie(client, user):
    client.get("/staff/login")
    before = client.get_cookie(COOKIE).value
    login(client)
    after = client.get_cookie(COOKIE).value
    assert after != before
    assert client.get("/staff/").status_code == 200


def test_next_only_leads_to_pages_on_this_site(client, user):
    response = login(client, next_path="/staff/campaigns/new")
    assert response.headers["Location"] == "/staff/campaigns/new"
    client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/"))})
    response = login(client, next_path="//evil.example/phish")
    assert response.headers["Location"] == "/staff/"


def test_protected_page_sends_to_login_and_back(client, user):
    response = client.get("/staff/campaigns/new")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login?next=")


def test_logout_makes_the_old_cookie_useless(client, user):
    login(client)
    old_cookie = client.get_cookie(COOKIE).value
    page = client.get("/staff/")
    response = client.post("/staff/logout", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    assert response.headers["Location"] == "/staff/login"
    # Someone who copied the cookie before logout replays it.
    client.set_cookie(COOKIE, old_cookie)
    replay = client.get("/staff/")
    assert replay.status_code == 302
    assert replay.headers["Location"].startswith("/staff/login")


def test_logout_with_a_stale_form_asks_again_instead_of_failing(client, user):
    login(client)
    response = client.post("/staff/logout?lang=en", data={"csrf_token": "stale"})
    assert response.status_code == 400
    assert html(response).find("button", string="Log out")
    assert client.get("/staff/").status_code == 200


def test_staff_are_logged_out_after_30_idle_minutes(client, user):
    start = datetime(2026, 3, 2, 9, 0)
    with time_machine.travel(start, tick=False) as traveller:
        login(client)
        traveller.shift(timedelta(minutes=29))
        assert client.get("/staff/").status_code == 200
        traveller.shift(timedelta(minutes=31))
        response = client.get("/staff/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")
    assert client.get("/staff/").status_code == 302


def test_too_many_logins_from_one_address_get_a_429_page_that_keeps_the_email(client, user):
    for _ in range(5):
        assert login(client, password="gjetter passordet").status_code == 200
    response = login(client, password="gjetter igjen")
    assert response.status_code == 429
    page = html(response)
    assert "Too many attempts" in login_message(response)
    assert page.find("html")["lang"] == "en"
    assert page.find("input", id="email")["value"] == EMAIL
    # Even the right password has to wait.
    assert login(client).status_code == 429


def test_too_many_logins_for_one_email_from_many_addresses_are_limited(client, user):
    for n in range(5):
        environ = {"REMOTE_ADDR": f"10.0.0.{n + 1}"}
        assert login(client, password="gjett", environ_base=environ).status_code == 200
    response = login(client, password="gjett", environ_base={"REMOTE_ADDR": "10.0.0.99"})
    assert response.status_code == 429
    # Another account from a fresh address is not affected.
    other = login(client, email="annen@example.no", environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert other.status_code == 200


def test_an_expired_login_form_keeps_the_email(client, user):
    with time_machine.travel(datetime(2026, 3, 2, 9, 0), tick=False) as traveller:
        page = client.get("/staff/login?lang=en")
        traveller.shift(timedelta(hours=13))
        response = client.post(
            "/staff/login?lang=en",
            data={"csrf_token": csrf_token(page), "email": EMAIL, "password": TEST_PASSWORD},
        )
    assert response.status_code == 200
    assert "had to be renewed" in login_message(response)
    assert html(response).find("input", id="email")["value"] == EMAIL
    assert client.get("/staff/").status_code == 302


def test_front_page_explains_gjestebud_and_links_to_staff_login(client):
    page = html(client.get("/?lang=en"))
    assert "gjestebud" in page.h1.get_text().lower()
    assert page.find("a", href="/staff/login")


# --- campaigns -------------------------------------------------------------------------------

def test_new_campaign_form_has_the_three_default_questions(client, user):
    login(client)
    response = client.get("/staff/campaigns/new")
    values = form_values(response)
    assert values["questions-0-text_nb"] == "Hva liker du best i ditt nærmiljø?"
    assert values["questions-1-text_nb"].startswith("Hva kan innbyggertorg og bibliotek")
    assert values["questions-2-text_nb"] == "Hva drømmer du om at finnes i ditt nærmiljø?"
    assert values["questions-0-plain_en"] == "What is the best thing about where you live?"
    assert [values[f"questions-{n}-colour"] for n in range(3)] == ["yellow", "pink", "green"]
    # A fourth, empty row lets staff add a question without JavaScript.
    assert values["questions-3-text_nb"] == ""
    assert "questions-4-text_nb" not in values
    assert "barn og unge" in values["target_groups"].splitlines()


def test_create_a_campaign_and_edit_it(client, user):
    login(client)
    values = form_values(client.get("/staff/campaigns/new"))
    values.update({
        "title_nb": "Biblioteket vårt", "title_en": "Our library",
        "purpose_nb": "Vi vil vite hva dere trenger.",
        "results_use_nb": "Svarene brukes i planen for biblioteket.",
        "places": "Askim\nMysen\n\n", "status": "open",
        "opens_on": "2026-04-01", "closes_on": "2026-05-31",
    })
    response = client.post("/staff/campaigns/new", data=values)
    assert response.status_code == 303
    campaign = db.session.scalar(db.select(Campaign))
    assert response.headers["Location"] == f"/staff/campaigns/{campaign.id}"
    assert campaign.slug == "biblioteket-vart"
    assert [q.code for q in campaign.questions] == ["q1", "q2", "q3"]
    assert [p.name for p in campaign.places] == ["Askim", "Mysen"]

    page = html(client.get(response.headers["Location"]))
    assert page.h1.get_text(strip=True) == "Our library"
    assert page.find("a", href="http://localhost/c/biblioteket-vart/register")
    assert page.find("a", href=f"/staff/campaigns/{campaign.id}/notes.csv")

    edit_url = f"/staff/campaigns/{campaign.id}/edit"
    values = form_values(client.get(edit_url))
    assert values["title_nb"] == "Biblioteket vårt"
    values.update({
        "title_nb": "Biblioteket og torget",
        "questions-1-text_nb": "Hva kan biblioteket gjøre for deg?",
        "questions-3-text_nb": "Hva savner du?", "questions-3-colour": "blue",
        "places": "Askim\nSvelvik",
    })
    assert client.post(edit_url, data=values).status_code == 303
    db.session.expire_all()
    assert campaign.titles["nb"] == "Biblioteket og torget"
    assert [q.text("nb") for q in campaign.questions][1:] == [
        "Hva kan biblioteket gjøre for deg?",
        "Hva drømmer du om at finnes i ditt nærmiljø?",
        "Hva savner du?",
    ]
    assert campaign.questions[3].colour == "blue"
    assert [p.name for p in campaign.places] == ["Askim", "Svelvik"]
    listing = html(client.get("/staff/"))
    assert listing.find("a", string="Our library") is not None


def test_invalid_campaign_keeps_everything_typed(client, user):
    login(client)
    values = form_values(client.get("/staff/campaigns/new"))
    values.update({
        "title_nb": "", "purpose_nb": "Et formål som ikke skal forsvinne.",
        "results_use_nb": "Brukes i planen.", "places": "Askim",
        "opens_on": "2026-05-01", "closes_on": "2026-04-01",
        "questions-3-plain_nb": "Et enkelt spørsmål uten selve spørsmålet",
    })
    response = client.post("/staff/campaigns/new", data=values)
    assert response.status_code == 200
    assert db.session.scalar(db.select(Campaign)) is None
    page = html(response)
    summary = page.find(class_="error-summary")
    links = {a["href"]: a.get_text(" ", strip=True) for a in summary.find_all("a")}
    assert "#title_nb" in links and "#closes_on" in links and "#questions-3-text_nb" in links
    assert page.find("input", id="title_nb")["aria-invalid"] == "true"
    assert "title_nb-error" in page.find("input", id="title_nb")["aria-describedby"]
    kept = form_values(response)
    assert kept["purpose_nb"] == "Et formål som ikke skal forsvinne."
    assert kept["questions-3-plain_nb"] == "Et enkelt spørsmål uten selve spørsmålet"
    assert kept["closes_on"] == "2026-04-01"


def test_a_campaign_needs_at_least_one_question(client, user):
    login(client)
    values = form_values(client.get("/staff/campaigns/new"))
    values.update({"title_nb": "T", "purpose_nb": "P", "results_use_nb": "R", "places": "Askim"})
    for key in list(values):
        if key.startswith("questions-") and not key.endswith("colour"):
            values[key] = ""
    response = client.post("/staff/campaigns/new?lang=en", data=values)
    assert "Write at least one question." in html(response).find(class_="error-summary").text
    assert db.session.scalar(db.select(Campaign)) is None


def test_an_invalid_csrf_token_keeps_the_typed_campaign(client, user):
    login(client)
    values = form_values(client.get("/staff/campaigns/new?lang=en"))
    values.update({
        "csrf_token": "expired-or-tampered", "title_nb": "Teksten min",
        "purpose_nb": "Lang tekst jeg ikke vil skrive på nytt.",
        "results_use_nb": "Brukes.", "places": "Askim",
    })
    response = client.post("/staff/campaigns/new", data=values)
    assert response.status_code == 200
    assert "had to be renewed" in html(response).find(class_="error-summary").text
    kept = form_values(response)
    assert kept["title_nb"] == "Teksten min"
    assert kept["purpose_nb"] == "Lang tekst jeg ikke vil skrive på nytt."
    assert kept["csrf_token"] != "expired-or-tampered"
    # Sending again with the renewed token works.
    assert client.post("/staff/campaigns/new", data=kept).status_code == 303


def test_another_organisations_campaign_is_not_found(client, user):
    other = make_org("Drammen kommune", "drammen")
    theirs = make_campaign(other, title="Drammens kampanje")
    db.session.commit()
    login(client)
    base = f"/staff/campaigns/{theirs.id}"
    assert client.get(base).status_code == 404
    assert client.get(base + "/edit").status_code == 404
    assert client.get(base + "/notes.csv").status_code == 404
    page = client.get("/staff/campaigns/new")
    values = {**form_values(page), "title_nb": "Kapret"}
    assert client.post(base + "/edit", data=values).status_code == 404
    db.session.expire_all()
    assert theirs.titles["nb"] == "Drammens kampanje"
    assert "Drammens kampanje" not in client.get("/staff/").get_data(as_text=True)


def test_campaign_page_lists_meals_with_guest_links(client, user, campaign, meal):
    login(client)
    page = html(client.get(f"/staff/campaigns/{campaign.id}?lang=en"))
    row = page.find("a", href=f"http://localhost/m/{meal.public_token}").find_parent("tr")
    cells = [td.get_text(" ", strip=True) for td in row.find_all("td")]
    assert cells[:2] == ["Askim", "pensjonister"]
    assert cells[3] == "Registered" and cells[4] == "0"


def test_export_download_is_the_notes_csv(client, user, campaign, meal):
    login(client)
    response = client.get(f"/staff/campaigns/{campaign.id}/notes.csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    assert response.get_data(as_text=True).splitlines() == [
        "id,text,question,location,target_group,language"
    ]


def test_role_required_refuses_other_roles(app, client, org):
    from gjestebud.views.staff import role_required

    @role_required("admin")
    def admin_only():
        return "admin page"

    # Outside /staff/: a staff route missing from gjestebud/access.py is refused for everyone.
    app.add_url_rule("/decorated/admin-only", "admin_only", admin_only)
    make_user(org, email="analytiker@example.no", role="analyst")
    make_user(org, email="admin@example.no", role="admin")
    db.session.commit()
    assert client.get("/decorated/admin-only").status_code == 302
    login(client, email="analytiker@example.no")
    assert client.get("/decorated/admin-only").status_code == 403
    client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/"))})
    login(client, email="admin@example.no")
    assert client.get("/decorated/admin-only").get_data(as_text=True) == "admin page"
