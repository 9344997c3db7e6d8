"""A host registers a meal, keeps the private page, closes the meal and types in paper notes."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from gjestebud.models import Host, Meal, Note
from gjestebud.services.tokens import hash_token
from tests.conftest import csrf_token, html, make_campaign, make_meal, make_org


def register_url(campaign) -> str:
    return f"/c/{campaign.slug}/register?lang=en"


def registration_data(campaign, **overrides) -> dict:
    place = next(p for p in campaign.places if p.name == "Mysen")
    group = next(g for g in campaign.target_groups if g.name == "språkkafé")
    data = {
        "host_name": "Aisha Vertinne",
        "email": "aisha@example.no",
        "phone": "",
        "place": str(place.id),
        "target_group": str(group.id),
        "held_on": (date.today() + timedelta(days=10)).isoformat(),
        "expected_guests": "9",
        "language": "en",
    }
    data.update(overrides)
    return data


def post_registration(client, campaign, **overrides):
    token = csrf_token(client.get(register_url(campaign)))
    return client.post(
        register_url(campaign), data={**registration_data(campaign, **overrides),
                                      "csrf_token": token}
    )


def error_texts(page) -> str:
    summary = page.select_one(".error-summary")
    return summary.get_text(" ", strip=True) if summary else ""


def meal_count(db) -> int:
    return db.session.scalar(sa.select(sa.func.count(Meal.id)))


# --- registration --------------------------------------------------------------------------


def test_registration_form_offers_only_the_campaigns_places_and_groups(client, campaign):
    page = html(client.get(register_url(campaign)))
    places = [o.get_text() for o in page.select("select#place option") if o["value"]]
    groups = [o.get_text() for o in page.select("select#target_group option") if o["value"]]
    assert places == ["Askim", "Mysen", "Svelvik"]
    assert groups == ["barn og unge", "pensjonister", "språkkafé"]
    assert page.select_one("input#held_on")["min"] == date.today().isoformat()
    assert "never linked to anyone's answers" in page.select_one(".privacy-note").get_text()


def test_registration_lands_on_the_private_host_page_with_link_and_qr_codes(
    client, campaign, db
):
    response = post_registration(client, campaign)
    assert response.status_code == 303
    host_path = response.headers["Location"]
    assert host_path.startswith("/h/")

    page = html(client.get(host_path))
    assert "Your meal is registered" in page.select_one(".flashes").get_text()
    link = page.select_one("input#private-link")
    assert link["value"] == "http://localhost" + host_path
    assert page.find("label", attrs={"for": "private-link"}) is not None
    assert "Bookmark this page" in page.select_one(".save-link").get_text()

    svgs = page.select(".qr-grid svg")
    assert len(svgs) == len(campaign.questions) + 1 == 4
    assert all(svg["role"] == "img" and svg["aria-label"] for svg in svgs)

    details = page.select_one("dl.details").get_text(" ", strip=True)
    assert "Mysen" in details and "språkkafé" in details and "Registered" in details

    meal = db.session.scalar(sa.select(Meal))
    token = host_path.rsplit("/", 1)[1]
    # Only the hash of the private token is stored.
    assert meal.host_token_hash == hash_token(token) != token
    assert meal.expected_guests == 9 and meal.language == "en"
    host = db.session.get(Host, meal.host_id)
    assert (host.name, host.email, host.phone) == ("Aisha Vertinne", "aisha@example.no", None)


def test_phone_alone_is_enough_contact(client, campaign, db):
    response = post_registration(client, campaign, email="", phone="+47 912 34 567")
    assert response.status_code == 303
    assert db.session.scalar(sa.select(Host.phone)) == "+47 912 34 567"


def test_missing_contact_is_refused_and_everything_typed_is_kept(client, campaign, db):
    response = post_registration(client, campaign, email="", phone="", expected_guests="12")
    assert response.status_code == 200
    page = html(response)
    assert "Enter an e-mail address or a phone number" in error_texts(page)
    email = page.select_one("input#email")
    assert email["aria-invalid"] == "true"
    assert "email-error" in email["aria-describedby"]
    assert page.select_one("#email-error") is not None
    assert page.select_one("input#host_name")["value"] == "Aisha Vertinne"
    assert page.select_one("input#expected_guests")["value"] == "12"
    selected = page.select_one("select#place option[selected]")
    assert selected.get_text() == "Mysen"
    assert page.select_one("select#language option[selected]")["value"] == "en"
    assert meal_count(db) == 0


@pytest.mark.parametrize(
    ("overrides", "message", "field"),
    [
        ({"held_on": (date.today() - timedelta(days=1)).isoformat()}, "The date has passed",
         "held_on"),
        ({"held_on": "31.05"}, "Enter a date like", "held_on"),
        ({"place": "99999"}, "Choose one of the places in the list", "place"),
        ({"target_group": ""}, "Choose one of the groups in the list", "target_group"),
        ({"expected_guests": "0"}, "Enter a number from 1 to 100", "expected_guests"),
        ({"expected_guests": "101"}, "Enter a number from 1 to 100", "expected_guests"),
        ({"email": "aisha@example"}, "Enter an e-mail address like", "email"),
        ({"email": "aisha@example.no\r\nBcc: x@example.no"}, "Write this on one line",
         "email"),
        ({"host_name": ""}, "Enter your name", "host_name"),
        ({"phone": "call me", "email": ""}, "Enter a phone number with digits", "phone"),
        ({"language": "de"}, "Choose one of the languages", "language"),
    ],
)
def test_bad_registration_input_gets_a_clear_message(client, campaign, db, overrides, message,
                                                      field):
    response = post_registration(client, campaign, **overrides)
    assert response.status_code == 200
    page = html(response)
    assert message in error_texts(page)
    assert page.select_one(f".error-summary a[href='#{field}']") is not None
    assert message in page.select_one(f"#{field}-error").get_text()
    assert page.select_one("input#host_name")["value"] == overrides.get("host_name",
                                                                        "Aisha Vertinne")
    assert meal_count(db) == 0


def test_place_from_another_organisation_is_refused(client, campaign, db):
    other = make_campaign(make_org("Drammen kommune", "drammen"), title="Drammen")
    db.session.commit()
    foreign_place = other.places[0]
    response = post_registration(client, campaign, place=str(foreign_place.id))
    assert "Choose one of the places in the list" in error_texts(html(response))
    assert meal_count(db) == 0


@pytest.mark.parametrize("status", ["draft", "closed", "reported"])
def test_campaign_not_open_shows_a_friendly_page(client, org, db, status):
    campaign = make_campaign(org, status=status)
    db.session.commit()
    response = client.get(register_url(campaign))
    assert response.status_code == 200
    page = html(response)
    assert page.h1.get_text() == "Registration is not open"
    assert page.find("form", attrs={"method": "post"}) is None
    # Posting anyway stores nothing.
    client.post(register_url(campaign), data=registration_data(campaign))
    assert meal_count(db) == 0


def test_unknown_campaign_is_a_friendly_404(client, app):
    response = client.get("/c/finnes-ikke/register?lang=en")
    assert response.status_code == 404
    assert "We could not find that page" in html(response).h1.get_text()


def test_registration_without_csrf_token_is_refused_and_keeps_the_text(client, campaign, db):
    client.get(register_url(campaign))
    response = client.post(register_url(campaign), data=registration_data(campaign))
    assert response.status_code == 200
    page = html(response)
    assert "it had to be renewed" in error_texts(page)
    assert page.select_one("input#email")["value"] == "aisha@example.no"
    assert meal_count(db) == 0


# --- the host page -------------------------------------------------------------------------


@pytest.mark.parametrize("token", ["wrong", "a" * 32, "ÆØÅ-æøå"])
def test_wrong_host_token_is_a_friendly_404(client, meal, token):
    for suffix in ("", "/posters", "/close", "/notes"):
        response = client.get(f"/h/{token}{suffix}?lang=en")
        assert response.status_code == 404
        assert "We could not find that page" in html(response).get_text()


def test_host_page_shows_the_meal_purpose_counts_and_is_never_cached(client, campaign, db):
    meal, token = make_meal(campaign, place_name="Svelvik", group_name="barn og unge")
    q1, q2, _q3 = campaign.questions
    for index, question in enumerate([q1, q1, q2]):
        db.session.add(Note(meal_id=meal.id, question_id=question.id, text="Fint her",
                            client_key=f"k{index}"))
    db.session.commit()

    response = client.get(f"/h/{token}?lang=en")
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Referrer-Policy"] == "no-referrer"
    page = html(response)
    assert page.select_one("td[data-question='1']").get_text() == "2"
    assert page.select_one("td[data-question='2']").get_text() == "1"
    assert page.select_one("td[data-question='3']").get_text() == "0"
    assert page.select_one("#notes-total").get_text() == "3"
    # Guests' notes are anonymous and not shown to the host.
    assert "Fint her" not in page.get_text()
    text = page.get_text(" ", strip=True)
    assert "Vi vil vite hva dere setter pris på" in text
    assert "Svarene brukes når vi planlegger bibliotekene" in text
    guest = f"http://localhost/m/{meal.public_token}"
    assert page.select_one("a.guest-link")["href"] == guest
    urls = [a.get_text() for a in page.select(".qr-url a")]
    assert urls == [f"{guest}?q=1", f"{guest}?q=2", f"{guest}?q=3", guest]
    hrefs = {a["href"] for a in page.select("main a")}
    assert {f"/h/{token}/posters", f"/h/{token}/close", f"/h/{token}/notes"} <= hrefs


def test_a_new_guest_link_stops_the_old_one_and_keeps_the_notes(client, campaign, db):
    meal, token = make_meal(campaign)
    old = meal.public_token
    db.session.add(Note(meal_id=meal.id, question_id=campaign.questions[0].id, text="Fint her",
                        client_key="k1"))
    db.session.commit()

    page = client.get(f"/h/{token}?lang=en")
    form = html(page).select_one(f"form[action='/h/{token}/guest-link']")
    assert form is not None
    refused = client.post(f"/h/{token}/guest-link", data={"csrf_token": "stale"})
    assert refused.status_code == 303
    db.session.expire_all()
    assert db.session.get(Meal, meal.id).public_token == old

    response = client.post(f"/h/{token}/guest-link", data={"csrf_token": csrf_token(page)})
    assert response.status_code == 303
    page = html(client.get(response.headers["Location"]))
    assert "The guest link is new" in page.select_one(".flashes").get_text()
    db.session.expire_all()
    new = db.session.get(Meal, meal.id).public_token
    assert new != old and len(new) >= 26
    assert page.select_one("a.guest-link")["href"] == f"http://localhost/m/{new}"
    assert client.get(f"/m/{old}").status_code == 404
    assert client.get(f"/m/{new}").status_code == 200
    assert len(db.session.scalars(sa.select(Note).where(Note.meal_id == meal.id)).all()) == 1


def test_host_token_is_accepted_with_capitals(client, campaign):
    _meal, token = make_meal(campaign)
    assert client.get(f"/h/{token.upper()}").status_code == 200


# --- closing the meal ----------------------------------------------------------------------


def test_closing_the_meal_stores_guest_count_and_summary_and_can_be_edited(
    client, campaign, db
):
    meal, token = make_meal(campaign)
    url = f"/h/{token}/close?lang=en"
    response = client.post(url, data={
        "csrf_token": csrf_token(client.get(url)), "guest_count": "7",
        "summary": "  Vi snakket mest om biblioteket.  ",
    })
    assert response.status_code == 303
    db.session.refresh(meal)
    assert (meal.status, meal.guest_count, meal.summary) == (
        "held", 7, "Vi snakket mest om biblioteket."
    )
    page = html(client.get(f"/h/{token}"))
    assert "Held" in page.select_one("#meal-status").get_text()
    assert "7 guests came" in page.select_one("#meal-status").get_text()

    form = html(client.get(url))
    assert form.select_one("input#guest_count")["value"] == "7"
    assert form.select_one("textarea#summary").get_text().strip() == (
        "Vi snakket mest om biblioteket."
    )
    client.post(url, data={"csrf_token": csrf_token(client.get(url)), "guest_count": "0",
                           "summary": ""})
    db.session.refresh(meal)
    assert (meal.status, meal.guest_count, meal.summary) == ("held", 0, None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"guest_count": "201", "summary": "Hyggelig"}, "Enter a number from 0 to 200"),
        ({"guest_count": "", "summary": "Hyggelig"}, "Enter how many guests came"),
        ({"guest_count": "mange", "summary": "Hyggelig"}, "Enter a whole number"),
        ({"guest_count": "5", "summary": "x" * 2001}, "Write at most 2000 characters"),
    ],
)
def test_closing_with_bad_input_keeps_the_text(client, campaign, db, data, message):
    meal, token = make_meal(campaign)
    url = f"/h/{token}/close?lang=en"
    response = client.post(url, data={"csrf_token": csrf_token(client.get(url)), **data})
    page = html(response)
    assert message in error_texts(page)
    assert page.select_one("textarea#summary").get_text().strip() == data["summary"]
    db.session.refresh(meal)
    assert meal.status == "registered"


def test_closing_without_csrf_token_is_refused_and_keeps_the_text(client, campaign, db):
    meal, token = make_meal(campaign)
    response = client.post(f"/h/{token}/close?lang=en",
                           data={"guest_count": "6", "summary": "Det var fint."})
    page = html(response)
    assert "it had to be renewed" in error_texts(page)
    assert page.select_one("textarea#summary").get_text().strip() == "Det var fint."
    db.session.refresh(meal)
    assert meal.status == "registered"


# --- paper notes ---------------------------------------------------------------------------


def paper_notes(db, meal) -> list[Note]:
    return list(db.session.scalars(sa.select(Note).where(Note.meal_id == meal.id)
                                   .order_by(Note.id)))


def test_paper_notes_are_stored_once_with_the_right_question(client, campaign, db):
    meal, token = make_meal(campaign)
    q2 = campaign.questions[1]
    url = f"/h/{token}/notes?lang=en"
    form = html(client.get(url))
    client_key = form.select_one("input[name=client_key]")["value"]
    assert len(client_key) >= 20
    data = {
        "csrf_token": form.select_one("input[name=csrf_token]")["value"],
        "client_key": client_key,
        "question": str(q2.id),
        "text": "Lesesal med lange åpningstider\r\n\r\n\r\nEt sted å spille brettspill\r\n"
                "Mer lys i parken\r\n",
    }
    first = client.post(url, data=data)
    assert first.status_code == 303
    again = client.post(url, data=data)
    assert again.status_code == 303

    notes = paper_notes(db, meal)
    # One note per line; empty lines are skipped.
    assert [(n.text, n.source, n.question_id) for n in notes] == [
        ("Lesesal med lange åpningstider", "paper", q2.id),
        ("Et sted å spille brettspill", "paper", q2.id),
        ("Mer lys i parken", "paper", q2.id),
    ]
    page = html(client.get(again.headers["Location"]))
    assert "These notes were already saved" in page.select_one(".flashes").get_text()
    assert [li.select_one(".paper-note-text").get_text() for li in page.select(".paper-notes li")] \
        == ["Lesesal med lange åpningstider", "Et sted å spille brettspill", "Mer lys i parken"]
    # The question stays chosen for the next batch; a fresh key is made for it.
    assert page.select_one("select#question option[selected]")["value"] == str(q2.id)
    assert page.select_one("input[name=client_key]")["value"] != client_key
    host_page = html(client.get(f"/h/{token}"))
    assert host_page.select_one("td[data-question='2']").get_text() == "3"


def test_first_save_reports_how_many_notes_were_saved(client, campaign, db):
    _meal, token = make_meal(campaign)
    url = f"/h/{token}/notes?lang=en"
    form = html(client.get(url))
    response = client.post(url, follow_redirects=True, data={
        "csrf_token": form.select_one("input[name=csrf_token]")["value"],
        "client_key": form.select_one("input[name=client_key]")["value"],
        "question": str(campaign.questions[0].id), "text": "Skogen",
    })
    assert "1 note saved for question 1" in html(response).select_one(".flashes").get_text()


@pytest.mark.parametrize(
    ("question", "text", "message"),
    [
        ("", "Skogen", "Choose one of the questions"),
        ("q1", "   \n  ", "Type at least one note"),
        ("q1", "Kort\n" + "x" * 300, "The note on line 2 is longer than 280 characters"),
    ],
)
def test_bad_paper_notes_keep_the_text_and_store_nothing(client, campaign, db, question, text,
                                                         message):
    meal, token = make_meal(campaign)
    url = f"/h/{token}/notes?lang=en"
    form = html(client.get(url))
    question_id = str(campaign.questions[0].id) if question == "q1" else question
    response = client.post(url, data={
        "csrf_token": form.select_one("input[name=csrf_token]")["value"],
        "client_key": form.select_one("input[name=client_key]")["value"],
        "question": question_id, "text": text,
    })
    page = html(response)
    assert message in error_texts(page)
    assert page.select_one("textarea#text").get_text().strip() == text.strip()
    assert paper_notes(db, meal) == []


def test_paper_notes_without_csrf_token_are_refused_and_the_text_kept(client, campaign, db):
    meal, token = make_meal(campaign)
    url = f"/h/{token}/notes?lang=en"
    form = html(client.get(url))
    client_key = form.select_one("input[name=client_key]")["value"]
    response = client.post(url, data={
        "client_key": client_key, "question": str(campaign.questions[2].id),
        "text": "Et bibliotek som er åpent på søndager",
    })
    page = html(response)
    assert "it had to be renewed" in error_texts(page)
    assert page.select_one("textarea#text").get_text().strip() == (
        "Et bibliotek som er åpent på søndager"
    )
    # Sending again from the renewed form keeps the same key: still one note in the end.
    assert page.select_one("input[name=client_key]")["value"] == client_key
    assert paper_notes(db, meal) == []


def test_paper_notes_are_not_taken_once_the_campaign_is_closed(client, campaign, db):
    _meal, token = make_meal(campaign)
    campaign.status = "closed"
    db.session.commit()
    page = html(client.get(f"/h/{token}/notes?lang=en"))
    assert page.select_one("textarea") is None
    assert "The campaign is closed" in page.get_text()


def test_registration_before_the_opening_date_says_when_it_opens(client, campaign, db):
    campaign.opens_on = date.today() + timedelta(days=5)
    db.session.commit()
    page = html(client.get(register_url(campaign)))
    assert page.h1.get_text() == "Registration is not open"
    assert "Registration opens on" in page.get_text()


def test_registration_after_the_closing_date_is_closed(client, campaign, db):
    campaign.closes_on = date.today() - timedelta(days=1)
    db.session.commit()
    page = html(client.get(register_url(campaign)))
    assert "no longer takes new meals" in page.get_text()
    assert page.find("form", attrs={"method": "post"}) is None


def test_a_host_corrects_and_deletes_a_paper_note(client, campaign, db):
    from gjestebud.models import NoteTheme

    meal, token = make_meal(campaign)
    url = f"/h/{token}/notes?lang=en"
    form = html(client.get(url))
    client.post(url, data={
        "csrf_token": form.select_one("input[name=csrf_token]")["value"],
        "client_key": form.select_one("input[name=client_key]")["value"],
        "question": str(campaign.questions[0].id), "text": "Skogen om høsten\nBussen er fin",
    })
    typo, other = paper_notes(db, meal)
    db.session.add(NoteTheme(note_id=other.id, theme_id=None, lemmas=["buss"]))
    db.session.commit()
    page = html(client.get(url))
    links = [a["href"] for a in page.select(".paper-notes a.paper-note-edit")]
    assert len(links) == 2
    edit = client.get(links[0])
    assert html(edit).select_one("textarea#text").get_text().strip() == "Skogen om høsten"

    def send(page, **fields):
        soup = html(page)
        data = {"csrf_token": soup.select_one("input[name=csrf_token]")["value"]}
        data.update(fields)
        return client.post(links[0], data=data)

    # Empty or too long: a clear message, the typed text kept, nothing changed.
    response = send(edit, text="   ", save="Save the change")
    assert response.status_code == 400
    assert "Type the note, or delete it" in error_texts(html(response))
    response = send(edit, text="x" * 300, save="Save the change")
    assert "at most 280 characters" in error_texts(html(response))
    assert html(response).select_one("textarea#text").get_text().strip() == "x" * 300
    response = send(edit, text="Skogen om våren", save="Save the change")
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Note, typo.id).text == "Skogen om våren"
    # Deleting takes the note and what the analysis stored about it.
    response = client.post(links[1], data={
        "csrf_token": html(client.get(links[1])).select_one("input[name=csrf_token]")["value"],
        "text": "Bussen er fin", "delete": "Delete the note"})
    assert response.status_code == 303
    db.session.expire_all()
    assert [n.text for n in paper_notes(db, meal)] == ["Skogen om våren"]
    assert db.session.scalar(sa.select(NoteTheme).where(NoteTheme.note_id == other.id)) is None
    assert "The note is deleted" in html(client.get(response.headers["Location"])).get_text()
    # Another meal's host, a guest's note or a made-up id: not found.
    _other_meal, other_token = make_meal(campaign)
    assert client.get(links[0].replace(token, other_token)).status_code == 404
    # Once the campaign is closed the notes can be read, not changed.
    campaign.status = "closed"
    db.session.commit()
    closed = html(client.get(links[0]))
    assert closed.select_one("textarea") is None and "Skogen om våren" in closed.get_text()
