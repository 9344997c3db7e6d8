"""A coordinator adds hosts, sends invitations or prints letters; a host answers from the link."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
import sqlalchemy as sa
from bs4 import BeautifulSoup

from gjestebud.models import Campaign, Host, Invitation, Meal, Place
from gjestebud.services import invitation_texts
from tests.conftest import csrf_token, html, make_campaign, make_org, make_user
from tests.coordination_helpers import (
    add,
    eml_files,
    login,
    messages,
    personal_path,
    read_eml,
    staff_path,
)
from tests.test_posters import dark_modules, expected_modules


def invitations(db, campaign) -> list[Invitation]:
    db.session.expire_all()
    return list(db.session.scalars(
        sa.select(Invitation).where(Invitation.campaign_id == campaign.id).order_by(Invitation.id)
    ))


def post_form(client, url: str, data: dict, page_url: str | None = None, **kwargs):
    token = csrf_token(client.get(page_url or url))
    return client.post(url, data={**data, "csrf_token": token}, **kwargs)


def host_names(page) -> list[str]:
    return [th.get_text(strip=True) for th in page.select("table.hosts tbody th[scope=row]")]


def summary(page) -> str:
    box = page.select_one(".error-summary")
    return box.get_text(" ", strip=True) if box else ""


# --- adding hosts ----------------------------------------------------------------------------


def test_a_coordinator_adds_a_host_who_is_listed_as_not_sent(staff, campaign, db):
    mysen = next(p for p in campaign.places if p.name == "Mysen")
    response = post_form(staff, staff_path(campaign, "invitations"), {
        "name": "Aisha Vertinne", "email": "aisha@example.no", "phone": "", "language": "en",
        "place": str(mysen.id), "target_group": "",
    })
    assert response.status_code == 303
    page = html(staff.get(response.headers["Location"]))
    assert "Aisha Vertinne is added" in page.select_one(".flashes").get_text()
    row = page.select_one("table.hosts tbody tr")
    cells = [c.get_text(" ", strip=True) for c in row.find_all(["th", "td"])]
    assert cells[:6] == ["Aisha Vertinne", "aisha@example.no", "English", "Mysen", "–",
                         "Not sent yet"]
    [invitation] = invitations(db, campaign)
    assert invitation.language == "en" and invitation.status == "new"
    # The token is stored only as a hash.
    assert len(invitation.token_hash) == 64 and invitation.token_nonce not in invitation.token_hash


def test_a_host_without_any_contact_gets_a_message_and_keeps_the_typed_name(staff, campaign, db):
    response = post_form(staff, staff_path(campaign, "invitations"), {
        "name": "Per Uten Kontakt", "email": "", "phone": "", "language": "nb",
        "place": "", "target_group": "",
    })
    assert response.status_code == 400
    page = html(response)
    assert "Enter an e-mail address or a phone number" in summary(page)
    assert page.select_one("input#name")["value"] == "Per Uten Kontakt"
    assert page.select_one("input#email")["aria-invalid"] == "true"
    assert invitations(db, campaign) == []


def test_a_place_outside_the_campaign_is_refused(staff, campaign, org, db):
    lonely = Place(organisation_id=org.id, name="Tomter")
    db.session.add(lonely)
    db.session.commit()
    response = post_form(staff, staff_path(campaign, "invitations"), {
        "name": "Ola", "email": "ola@example.no", "language": "nb",
        "place": str(lonely.id), "target_group": "",
    })
    assert response.status_code == 400
    assert "Choose one of the places in the list" in summary(html(response))
    assert invitations(db, campaign) == []


def test_the_same_email_address_is_not_added_twice(staff, campaign, db):
    add(campaign, "Kari", "kari@example.no")
    response = post_form(staff, staff_path(campaign, "invitations"), {
        "name": "Kari igjen", "email": "KARI@example.no", "language": "nb",
        "place": "", "target_group": "",
    })
    assert response.status_code == 400
    assert "already on the campaign's list" in summary(html(response))
    assert len(invitations(db, campaign)) == 1


# --- importing a list ------------------------------------------------------------------------

CSV_LIST = (
    "name,email,phone,language,place,target_group\n"
    "Kari Nordmann,kari@example.no,,nb,Askim,pensjonister\n"
    "Ola Nordmann,ikke-en-adresse,,nb,Atlantis,pensjonister\n"
    "Nils Nynorsk,,912 34 567,nn,Mysen,\n"
    "Kari Dobbel,KARI@example.no,,,,\n"
)


def import_url(campaign) -> str:
    return staff_path(campaign, "invitations/import")


def test_a_pasted_list_is_previewed_with_the_problems_before_anything_is_added(
    staff, campaign, db
):
    response = post_form(staff, import_url(campaign), {"csv_text": CSV_LIST, "check": "1"})
    assert response.status_code == 200
    page = html(response)
    rows = page.select(".preview-table tbody tr")
    assert [r["class"][0] for r in rows] == ["row-ok", "row-bad", "row-ok", "row-duplicate"]
    bad = rows[1].get_text(" ", strip=True)
    assert "“ikke-en-adresse” is not an e-mail address" in bad
    assert "“Atlantis” is not one of the campaign's places" in bad
    assert "2 ready to import, 1 with problems, 1 already on the list" in page.select_one(
        "#preview-summary").get_text()
    assert page.select_one("textarea#csv_text").get_text().strip() == CSV_LIST.strip()
    assert invitations(db, campaign) == []  # nothing before the coordinator confirms


def test_importing_adds_the_good_rows_and_keeps_the_bad_row_to_fix(staff, campaign, db):
    response = post_form(staff, import_url(campaign), {"csv_text": CSV_LIST, "confirm": "1"})
    assert response.status_code == 200
    page = html(response)
    assert "2 hosts added. 1 already on the list, skipped. 1 row has problems" in page.select_one(
        ".import-result").get_text()
    kept = page.select_one("textarea#csv_text").get_text()
    assert "Ola Nordmann,ikke-en-adresse" in kept and "Kari Nordmann" not in kept
    added = invitations(db, campaign)
    assert [(i.host.name, i.language, i.place.name if i.place else None) for i in added] == [
        ("Kari Nordmann", "nb", "Askim"), ("Nils Nynorsk", "nn", "Mysen")]

    # The fixed row goes in; importing the same list again adds nobody twice.
    fixed = kept.replace("ikke-en-adresse", "ola@example.no").replace("Atlantis", "Svelvik")
    response = post_form(staff, import_url(campaign), {"csv_text": fixed, "confirm": "1"})
    assert response.status_code == 303
    response = post_form(staff, import_url(campaign), {"csv_text": CSV_LIST, "confirm": "1"})
    assert len(invitations(db, campaign)) == 3


def test_an_uploaded_semicolon_csv_from_excel_is_read(staff, campaign, db):
    data = "navn;e-post;telefon;språk;sted;målgruppe\r\nBjørg Ås;bjorg@example.no;;nn;Askim;\r\n"
    response = post_form(staff, import_url(campaign), {
        "csv_file": (io.BytesIO(data.encode("cp1252")), "verter.csv"), "check": "1",
    }, page_url=import_url(campaign), content_type="multipart/form-data")
    page = html(response)
    assert [r.get_text(" ", strip=True) for r in page.select(".preview-table tbody tr")] == [
        "2 Bjørg Ås bjorg@example.no nn Askim Ready"]


@pytest.mark.parametrize("filename, content, message", [
    ("verter.xlsx", b"PK\x03\x04", "Choose a file that ends in .csv"),
    ("verter.csv", b"name\x00\x01", "That is not a CSV file"),
    ("verter.csv", b"name,email\n" + b"x" * 120_000, "The file is too large"),
])
def test_an_upload_that_is_not_a_small_csv_is_refused(staff, campaign, db, filename, content,
                                                      message):
    response = post_form(staff, import_url(campaign), {
        "csv_file": (io.BytesIO(content), filename), "check": "1",
    }, page_url=import_url(campaign), content_type="multipart/form-data")
    assert response.status_code == 400
    assert message in summary(html(response))
    assert invitations(db, campaign) == []


# --- sending ---------------------------------------------------------------------------------


def test_sending_queues_one_email_per_host_with_the_personal_link_never_twice(
    app, staff, campaign, db
):
    add(campaign, "Kari Nordmann", "kari@example.no", place="Askim")
    add(campaign, "Nils Nynorsk", "nils@example.no", language="nn")
    add(campaign, "Per Telefon", phone="912 34 567")
    page = html(staff.get(staff_path(campaign, "invitations")))
    button = page.select_one("form[action$='/invitations/send'] button")
    assert button.get_text(strip=True) == "Send the invitation to 2 hosts"
    assert "1 host has no e-mail address" in page.get_text()

    token = csrf_token(staff.get(staff_path(campaign, "invitations")))
    first = staff.post(staff_path(campaign, "invitations/send"), data={"csrf_token": token})
    second = staff.post(staff_path(campaign, "invitations/send"), data={"csrf_token": token})
    assert first.status_code == second.status_code == 303

    sent = messages("invitation")
    assert [m.recipient for m in sent] == ["kari@example.no", "nils@example.no"]
    assert [m.status for m in sent] == ["sent", "sent"]
    assert len(eml_files(app)) == 2
    kari, nils = sent
    assert kari.subject.endswith(": Nærmiljø 2026")
    assert "Hva liker du best i ditt nærmiljø?" in kari.body_text
    assert "gjestebod" in nils.body_text and "Kva likar du best" in nils.body_text
    eml = read_eml(next(p for p in eml_files(app) if "kari" in p.read_text(errors="ignore")))
    assert personal_path(kari) in eml.get_body(("plain",)).get_content()
    assert personal_path(kari) != personal_path(nils)
    statuses = {i.host.name: i.status for i in invitations(db, campaign)}
    assert statuses == {"Kari Nordmann": "invited", "Nils Nynorsk": "invited",
                        "Per Telefon": "new"}


def test_the_default_texts_explain_the_campaign_in_three_languages(app, campaign, db):
    campaign.closes_on = date(2026, 6, 30)
    db.session.commit()
    nb = invitation_texts.default_text(campaign, "nb", "Indre Østfold kommune")
    nn = invitation_texts.default_text(campaign, "nn", "Indre Østfold kommune")
    en = invitation_texts.default_text(campaign, "en", "Indre Østfold kommune")
    assert nb.startswith("Indre Østfold kommune inviterer deg til å være vert for et gjestebud.")
    assert "Svarene brukes når vi planlegger bibliotekene." in nb  # the campaign's results use
    assert "Vi vil vite hva dere setter pris på" in nb  # its purpose
    assert "– Hva drømmer du om at finnes i ditt nærmiljø?" in nb
    assert "Fristen er 30. juni 2026." in nb
    assert "eit gjestebod" in nn and "– Kva drøymer du om skal finnast i nærmiljøet ditt?" in nn
    assert "The deadline is 30 June 2026." in en


def test_edited_text_is_sent_and_an_emptied_box_goes_back_to_the_default(staff, campaign, db):
    url = staff_path(campaign, "invitations/text")
    page = html(staff.get(url))
    assert "inviterer deg" in page.select_one("textarea#text_nb").get_text()
    response = post_form(staff, url, {
        "text_nb": page.select_one("textarea#text_nb").get_text(),
        "text_nn": "",
        "text_en": "Dear neighbour, come and eat with us.",
    })
    assert response.status_code == 303
    add(campaign, "Emma English", "emma@example.no", language="en")
    add(campaign, "Nora Nynorsk", "nora@example.no", language="nn")
    post_form(staff, staff_path(campaign, "invitations/send"), {},
              page_url=staff_path(campaign, "invitations"))
    emma, nora = messages("invitation")
    assert "Dear neighbour, come and eat with us." in emma.body_text
    assert "eit gjestebod" in nora.body_text
    assert "<p>Dear neighbour, come and eat with us.</p>" in emma.body_html
    page = html(staff.get(url))
    assert page.select_one("textarea#text_en").get_text().strip() == (
        "Dear neighbour, come and eat with us.")


def test_the_invitation_says_whom_to_ask_and_by_when_and_its_link_is_a_button(
    staff, campaign, db
):
    url = staff_path(campaign, "invitations/text")
    response = post_form(staff, url, {
        "text_nb": "", "text_nn": "", "text_en": "", "contact_name": "Kari Koordinator",
        "contact_phone": "912 34 567", "contact_email": "kari@kommune.example.no",
        "reply_by": "2026-03-20",
    })
    assert response.status_code == 303
    page = html(staff.get(url))
    assert page.select_one("input#contact_name")["value"] == "Kari Koordinator"
    assert page.select_one("input#reply_by")["value"] == "2026-03-20"
    add(campaign, "Emma English", "emma@example.no", language="en")
    add(campaign, "Per Telefon", phone="41234567", language="nb")
    post_form(staff, staff_path(campaign, "invitations/send"), {},
              page_url=staff_path(campaign, "invitations"))
    (emma,) = messages("invitation")
    assert "Please answer by March 20, 2026." in emma.body_text
    assert "Questions? Contact Kari Koordinator, 912 34 567, kari@kommune.example.no." in \
        emma.body_text
    link = personal_path(emma)
    button = BeautifulSoup(emma.body_html, "html.parser").find("a", string="Answer the invitation")
    assert button is not None and button["href"].endswith(link)
    # The letter for the host without e-mail says the same, in the host's language.
    per = next(i for i in invitations(db, campaign) if i.host.name == "Per Telefon")
    letter = html(staff.get(staff_path(campaign, f"invitations/{per.id}/letter")))
    contact = letter.select_one(".letter-contact").get_text(" ", strip=True)
    assert "20. mars 2026" in contact and "Kari Koordinator" in contact
    # A bad address is refused and everything typed is kept.
    response = post_form(staff, url, {"text_nb": "", "text_nn": "", "text_en": "",
                                      "contact_name": "Kari", "contact_email": "ikke en adresse"})
    assert response.status_code == 400
    assert html(response).select_one("input#contact_name")["value"] == "Kari"


# --- the host's link -------------------------------------------------------------------------


@pytest.fixture
def sent(staff, campaign, db):
    """Kari is invited by e-mail; returns her personal path."""
    add(campaign, "Kari Nordmann", "kari@example.no", phone="41234567", language="nb",
        place="Mysen", group="språkkafé")
    post_form(staff, staff_path(campaign, "invitations/send"), {},
              page_url=staff_path(campaign, "invitations"))
    return personal_path(messages("invitation")[0])


def test_the_host_accepts_and_registers_with_the_form_prefilled_and_the_meal_is_linked(
    app, campaign, db, sent
):
    host = app.test_client()
    page = html(host.get(sent))
    assert page.html["lang"] == "nb"  # the host's language, without asking
    assert page.select_one("h1").get_text() != ""
    assert "Vi vil vite hva dere setter pris på" in page.get_text()
    page = html(host.get(sent + "?lang=en"))
    assert page.select_one("h1").get_text() == "You are invited to host a gjestebud"
    accept = page.select_one(f"form[action='{sent}/accept']")
    response = host.post(f"{sent}/accept", data={
        "csrf_token": accept.select_one("input[name=csrf_token]")["value"]})
    assert response.headers["Location"] == f"{sent}/register"

    form = html(host.get(f"{sent}/register"))
    assert form.select_one("input#host_name")["value"] == "Kari Nordmann"
    assert form.select_one("input#email")["value"] == "kari@example.no"
    assert form.select_one("input#phone")["value"] == "41234567"
    assert form.select_one("select#place option[selected]").get_text() == "Mysen"
    assert form.select_one("select#target_group option[selected]").get_text() == "språkkafé"
    assert form.select_one("select#language option[selected]")["value"] == "nb"
    assert form.select_one("form.host-form")["action"] == f"{sent}/register"

    held_on = date.today() + timedelta(days=5)
    response = host.post(f"{sent}/register", data={
        "csrf_token": csrf_token(host.get(f"{sent}/register")),
        "host_name": "Kari Nordmann", "email": "kari@example.no", "phone": "41234567",
        "place": form.select_one("select#place option[selected]")["value"],
        "target_group": form.select_one("select#target_group option[selected]")["value"],
        "held_on": held_on.isoformat(), "expected_guests": "7", "language": "nb",
    })
    assert response.status_code == 303 and response.headers["Location"].startswith("/h/")
    meal_page = html(host.get(response.headers["Location"]))
    assert "Your meal is registered" in meal_page.select_one(".flashes").get_text()

    [invitation] = invitations(db, campaign)
    assert invitation.status == "registered" and invitation.meal.held_on == held_on
    # One person, one host row: the meal belongs to the invited host.
    assert invitation.meal.host_id == invitation.host_id
    assert db.session.scalar(sa.select(sa.func.count(Host.id))) == 1
    # The meal page's link goes to her by e-mail too, in her language, once.
    (mail,) = messages("host_link")
    assert mail.recipient == "kari@example.no" and mail.language == "nb"
    assert "http://localhost" + response.headers["Location"] in mail.body_text
    assert "kari@example.no" in meal_page.select_one(".save-link").get_text()

    # The link now leads back to the meal page.
    page = html(host.get(sent + "?lang=en"))
    assert page.select_one("#answer-state h2").get_text() == "Your meal is registered"
    assert page.select_one("#answer-state a.button")["href"] == response.headers["Location"]
    assert host.get(f"{sent}/register").status_code == 303


def test_the_host_declines_and_can_change_their_mind(app, campaign, db, sent):
    host = app.test_client()
    page = html(host.get(sent + "?lang=en"))
    token = page.select_one("input[name=csrf_token]")["value"]
    response = host.post(f"{sent}/decline", data={"csrf_token": token})
    assert response.status_code == 303
    page = html(host.get(sent))
    assert "You will not get any reminders" in page.select_one(".flashes").get_text()
    assert page.select_one("#answer-state h2").get_text() == "You have said no, thank you"
    assert page.select_one(f"form[action='{sent}/decline']") is None
    assert invitations(db, campaign)[0].status == "declined"
    host.post(f"{sent}/accept", data={"csrf_token": token})
    assert invitations(db, campaign)[0].status == "accepted"


def test_the_host_stops_reminders_and_can_allow_them_again(app, campaign, db, sent):
    host = app.test_client()
    page = html(host.get(sent + "?lang=en"))
    token = page.select_one("input[name=csrf_token]")["value"]
    host.post(f"{sent}/reminders/stop", data={"csrf_token": token})
    page = html(host.get(sent))
    assert "will not send you any more reminders" in page.select_one(".flashes").get_text()
    assert page.select_one("#reminder-state").get_text().startswith("You will not get")
    assert invitations(db, campaign)[0].opted_out_at is not None
    host.post(f"{sent}/reminders/resume", data={"csrf_token": token})
    assert invitations(db, campaign)[0].opted_out_at is None


def test_a_button_pressed_without_a_valid_form_token_changes_nothing(app, campaign, db, sent):
    host = app.test_client()
    host.get(sent + "?lang=en")
    response = host.post(f"{sent}/accept", data={"csrf_token": "stale"})
    assert response.status_code == 303
    assert "nothing was changed" in html(host.get(sent)).select_one(".flashes").get_text()
    assert invitations(db, campaign)[0].status == "invited"


@pytest.mark.parametrize("path", ["/i/abc", "/i/" + "a" * 32, "/i/" + "a" * 32 + "/register"])
def test_a_wrong_link_is_a_friendly_404(client, path):
    response = client.get(path + "?lang=en")
    assert response.status_code == 404
    assert "We could not find that page" in html(response).get_text()


def test_a_closed_campaign_takes_no_new_yes(app, campaign, db, sent):
    campaign.status = "closed"
    db.session.commit()
    host = app.test_client()
    page = html(host.get(sent + "?lang=en"))
    assert "not taking new meals" in page.get_text()
    assert page.select_one(f"form[action='{sent}/accept']") is None


# --- letters ---------------------------------------------------------------------------------


def test_the_letter_prints_the_text_and_a_qr_code_of_the_same_personal_link(staff, campaign, db):
    invitation = add(campaign, "Per Telefon", phone="912 34 567", language="nn")
    page = html(staff.get(staff_path(campaign, f"invitations/{invitation.id}/letter")))
    letter = page.select_one("article.letter")
    assert letter["lang"] == "nn"
    assert "eit gjestebod" in letter.get_text()
    url = letter.select_one(".letter-url").get_text(strip=True)
    assert url.startswith("http://localhost/i/")
    svg = letter.select_one("svg")
    assert svg["role"] == "img" and url in svg["aria-label"]
    assert dark_modules(svg) == expected_modules(url)
    # Printing again shows the same link: the letter and a later reminder agree.
    again = html(staff.get(staff_path(campaign, f"invitations/{invitation.id}/letter")))
    assert again.select_one(".letter-url").get_text(strip=True) == url
    assert staff.get(url.removeprefix("http://localhost")).status_code == 200

    form = page.select_one("form[action$='/letter-given']")
    response = staff.post(form["action"], data={
        "csrf_token": form.select_one("input[name=csrf_token]")["value"]})
    assert response.status_code == 303
    invitation = invitations(db, campaign)[0]
    assert (invitation.status, invitation.sent_by) == ("invited", "letter")


# --- access ----------------------------------------------------------------------------------


def test_another_organisations_campaigns_and_invitations_are_not_found(staff, campaign, db):
    other_org = make_org("Drammen kommune", "drammen")
    other = make_campaign(other_org, title="Drammen 2026")
    db.session.commit()
    theirs = add(other, "Deres Vert", "vert@drammen.example")
    mine = add(campaign, "Min Vert", "vert@example.no")
    for path in ["invitations", "invitations/import", "funnel", "invitations/text", "reminders",
                 f"invitations/{theirs.id}/letter"]:
        assert staff.get(staff_path(other, path)).status_code == 404, path
    token = csrf_token(staff.get(staff_path(campaign, "invitations")))
    for path in ["invitations/send", f"invitations/{theirs.id}/contact",
                 f"invitations/{theirs.id}/letter-given"]:
        assert staff.post(staff_path(other, path), data={"csrf_token": token}).status_code == 404
    # Their invitation under my campaign's address is not found either.
    assert staff.get(staff_path(campaign, f"invitations/{theirs.id}/letter")).status_code == 404
    assert staff.post(staff_path(campaign, f"invitations/{theirs.id}/contact"),
                      data={"csrf_token": token}).status_code == 404
    assert staff.get(staff_path(campaign, f"invitations/{mine.id}/letter")).status_code == 200
    assert [i.status for i in invitations(db, other)] == ["new"]


def test_analysts_cannot_manage_invitations(client, org, campaign, db):
    make_user(org, email="analytiker@example.no", role="analyst")
    db.session.commit()
    login(client, "analytiker@example.no")
    assert client.get(staff_path(campaign, "invitations")).status_code == 403
    page = html(client.get(f"/staff/campaigns/{campaign.id}"))
    assert page.find("a", string="Hosts and invitations") is None


def test_the_campaign_page_links_to_invitations_and_follow_up(staff, campaign):
    page = html(staff.get(f"/staff/campaigns/{campaign.id}"))
    links = {a.get_text(strip=True): a["href"] for a in page.select("nav.actions a")}
    assert links["Hosts and invitations"] == staff_path(campaign, "invitations")
    assert links["Follow-up"] == staff_path(campaign, "funnel")


def test_no_personal_data_is_logged(staff, campaign, db, caplog):
    caplog.set_level("DEBUG")
    add(campaign, "Hemmelig Navn", "hemmelig@example.no")
    post_form(staff, staff_path(campaign, "invitations/send"), {},
              page_url=staff_path(campaign, "invitations"))
    post_form(staff, staff_path(campaign, "invitations"), {
        "name": "Annen Hemmelig", "email": "annen@example.no", "language": "nb",
        "place": "", "target_group": ""})
    assert "hemmelig" not in caplog.text.lower() and "annen@" not in caplog.text
    assert db.session.scalar(sa.select(sa.func.count(Campaign.id))) == 1
    assert db.session.scalar(sa.select(sa.func.count(Meal.id))) == 0


def test_all_letters_for_hosts_without_email_print_together_and_are_marked_at_once(
    staff, campaign, db
):
    add(campaign, "Per Papir", phone="912 34 567")
    add(campaign, "Nina Nynorsk", phone="913 45 678", language="nn")
    add(campaign, "Eva Epost", "eva@example.no")
    page = html(staff.get(staff_path(campaign, "invitations")))
    link = page.find("a", string="Print 2 letters")
    page = html(staff.get(link["href"]))
    letters = page.select("article.letter")
    assert [a.select_one(".letter-recipient").get_text() for a in letters] == [
        "Per Papir", "Nina Nynorsk"]
    assert [a["lang"] for a in letters] == ["nb", "nn"]
    assert all(a.select_one("svg.letter-qr") for a in letters)
    form = page.select_one("form[action$='/invitations/letters-given']")
    staff.post(form["action"], data={
        "csrf_token": form.select_one("input[name=csrf_token]")["value"]})
    assert {i.host.name: (i.status, i.sent_by) for i in invitations(db, campaign)} == {
        "Per Papir": ("invited", "letter"), "Nina Nynorsk": ("invited", "letter"),
        "Eva Epost": ("new", None)}
    page = html(staff.get(link["href"]))
    assert page.select("article.letter") == []
    assert "No letters to print" in page.get_text()
