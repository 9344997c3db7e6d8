"""The follow-up page: the funnel overall, per place and per group, who is stuck, and contact."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from gjestebud.models import Note
from gjestebud.services import invitations as inv
from gjestebud.services import meals as meal_service
from tests.conftest import csrf_token, html, make_meal
from tests.coordination_helpers import (
    add,
    messages,
    personal_path,
    staff_path,
)

STAGES = ["invited", "accepted", "registered", "held", "notes", "feedback"]


def register(invitation, campaign, place: str, group: str, days: int = 5):
    place_id = next(p.id for p in campaign.places if p.name == place)
    group_id = next(g.id for g in campaign.target_groups if g.name == group)
    meal, _token = inv.register_from_invitation(invitation, meal_service.MealRegistration(
        host_name=invitation.host.name, email=invitation.host.email, place_id=place_id,
        target_group_id=group_id, held_on=date.today() + timedelta(days=days),
        expected_guests=6,
    ))
    return meal


def add_notes(db, meal, n: int) -> None:
    question = meal.campaign.questions[0]
    for k in range(n):
        db.session.add(Note(meal_id=meal.id, question_id=question.id, text=f"lapp {k}",
                            client_key=f"{meal.id}-{k}"))


@pytest.fixture
def seeded(campaign, db):
    """One host at every step of the funnel, across places and groups."""
    add(campaign, "A Ikke Sendt", "a@example.no", place="Askim", group="pensjonister")
    b = add(campaign, "B Venter", "b@example.no", place="Askim", group="pensjonister")
    c = add(campaign, "C Nei", "c@example.no", place="Mysen", group="språkkafé")
    d = add(campaign, "D Ja", "d@example.no", place="Mysen", group="pensjonister")
    e = add(campaign, "E Påmeldt", "e@example.no", place="Askim", group="barn og unge")
    f = add(campaign, "F Ikke Lukket", "f@example.no", place="Svelvik", group="pensjonister")
    g = add(campaign, "G Holdt", "g@example.no", place="Mysen", group="språkkafé")
    h = add(campaign, "H Lapper", "h@example.no", place="Askim", group="pensjonister")
    i = add(campaign, "I Uten Sted", "i@example.no")
    for invitation in (b, c, d, e, f, g, h, i):
        inv.send_invitation(invitation)
    inv.decline(c)
    inv.accept(d)
    # E chose another place for the meal than the invitation said: the meal's place counts.
    register(e, campaign, "Svelvik", "barn og unge")
    meal_f = register(f, campaign, "Svelvik", "pensjonister")
    meal_f.held_on = date.today() - timedelta(days=2)
    add_notes(db, meal_f, 1)
    meal_service.close_meal(register(g, campaign, "Mysen", "språkkafé"), 5, None)
    meal_h = register(h, campaign, "Askim", "pensjonister")
    meal_service.close_meal(meal_h, 6, "Fin kveld")
    add_notes(db, meal_h, 2)
    db.session.commit()
    make_meal(campaign, "Mysen", "pensjonister")  # through the open link, no invitation
    return campaign


def funnel_page(staff, campaign):
    response = staff.get(staff_path(campaign, "funnel"))
    assert response.status_code == 200
    return html(response)


def totals(page) -> dict[str, int]:
    return {li["data-stage"]: int(li.select_one(".funnel-count").get_text())
            for li in page.select("#funnel-total li")}


def table(page, table_id: str) -> dict[str, list[int]]:
    found = page.select_one(f"table#{table_id}")
    headers = [th.get_text(strip=True) for th in found.select("thead th")]
    assert headers[1:] == ["Invited", "Said yes", "Registered a meal", "Held the meal",
                           "Notes received", "Feedback sent"]
    return {
        row.select_one("th").get_text(strip=True): [int(td.get_text()) for td in row.select("td")]
        for row in found.select("tbody tr")
    }


def names_at(page, position: str) -> list[str]:
    return [h.get_text(strip=True) for h in page.select(f"#position-{position} .host-card h4")]


def test_the_funnel_counts_every_step(staff, seeded):
    page = funnel_page(staff, seeded)
    assert totals(page) == {"invited": 8, "accepted": 5, "registered": 4, "held": 2, "notes": 2,
                            "feedback": 0}
    text = page.select_one("section[aria-labelledby=funnel-heading]").get_text(" ", strip=True)
    assert "1 host not sent an invitation yet." in text
    assert "1 said no." in text
    assert "1 meal was registered without an invitation" in text
    assert "63% of those invited" in page.select_one("li[data-stage=accepted]").get_text()


def test_the_funnel_per_place_and_per_target_group(staff, seeded):
    page = funnel_page(staff, seeded)
    assert table(page, "by-place") == {
        "Askim": [2, 1, 1, 1, 1, 0],
        "Mysen": [3, 2, 1, 1, 0, 0],
        "Svelvik": [2, 2, 2, 0, 1, 0],
        "Not given": [1, 0, 0, 0, 0, 0],
    }
    assert table(page, "by-group") == {
        "barn og unge": [1, 1, 1, 0, 0, 0],
        "pensjonister": [4, 3, 2, 1, 2, 0],
        "språkkafé": [2, 1, 1, 1, 0, 0],
        "Not given": [1, 0, 0, 0, 0, 0],
    }
    caption = page.select_one("table#by-place caption")
    assert caption.get_text() == "By place"
    assert page.select_one("table#by-place tbody th")["scope"] == "row"


def test_who_is_stuck_where(staff, seeded):
    page = funnel_page(staff, seeded)
    assert {p: names_at(page, p) for p in (
        "not_sent", "waiting", "declined", "accepted", "registered", "not_closed", "held", "notes"
    )} == {
        "not_sent": ["A Ikke Sendt"],
        "waiting": ["I Uten Sted", "B Venter"],
        "declined": ["C Nei"],
        "accepted": ["D Ja"],
        "registered": ["E Påmeldt"],
        "not_closed": ["F Ikke Lukket"],
        "held": ["G Holdt"],
        "notes": ["H Lapper"],
    }
    heading = page.select_one("#position-not_closed h3").get_text(" ", strip=True)
    assert heading == "Meal date passed, not marked as held (1)"
    card = page.select_one("#position-notes .host-card")
    assert card.select_one(".notes-count").get_text() == "2 notes"
    assert "E-mail" in card.select_one(".last-contact").get_text()
    assert card.select_one(".reminders-sent").get_text(strip=True) == "0"


def contact_form_of(staff, page, name: str):
    """Follow a host's "Record a contact" link; returns (the card, its form) on the new page."""
    card = next(c for c in page.select(".host-card") if c.h4.get_text() == name)
    assert card.select_one("form") is None  # forms come one at a time, when asked for
    link = card.select_one("a.contact-link")
    assert link.get_text(" ", strip=True) == f"Record a contact – {name}"
    opened = html(staff.get(link["href"]))
    card = opened.select_one(f"#{card['id']}")
    assert len(opened.select(".host-card form")) == 1
    return card, card.select_one("details.contact-form[open] form")


def test_a_phone_call_is_recorded_and_shown_with_the_host(staff, seeded, db):
    page = funnel_page(staff, seeded)
    card, form = contact_form_of(staff, page, "B Venter")
    prefix = form.select_one("input[type=radio]")["name"].removesuffix("-method")
    assert form.select_one("legend").get_text() == "How did you reach B Venter?"
    response = staff.post(form["action"], data={
        f"{prefix}-csrf_token": form.select_one(f"input[name={prefix}-csrf_token]")["value"],
        f"{prefix}-method": "phone", f"{prefix}-note": "Ringer tilbake fredag",
    })
    assert response.status_code == 303 and response.headers["Location"].endswith(card["id"])
    page = html(staff.get(response.headers["Location"]))
    assert "The contact with B Venter is saved" in page.select_one(".flashes").get_text()
    card = page.select_one(f"#{card['id']}")
    assert card.select_one("form") is None
    assert "(Phone call)" in card.select_one(".last-contact").get_text()
    assert "Phone call – Ringer tilbake fredag" in card.select_one(".contact-log").get_text()


def test_a_bad_contact_note_is_explained_and_kept(staff, seeded):
    page = funnel_page(staff, seeded)
    card, form = contact_form_of(staff, page, "D Ja")
    prefix = form.select_one("input[type=radio]")["name"].removesuffix("-method")
    response = staff.post(form["action"], data={
        f"{prefix}-csrf_token": form.select_one(f"input[name={prefix}-csrf_token]")["value"],
        f"{prefix}-method": "in_person", f"{prefix}-note": "x" * 501,
    })
    assert response.status_code == 400
    page = html(response)
    card = page.select_one(f"#{card['id']}")
    assert card.select_one("details.contact-form").has_attr("open")
    note = card.select_one(f"input#{prefix}-note")
    assert note["value"] == "x" * 501 and note["aria-invalid"] == "true"
    assert note["aria-describedby"] == f"{prefix}-note-error"
    assert card.select_one(f"#{prefix}-method-1").has_attr("checked")  # in person, as chosen


def test_the_funnel_moves_when_a_host_answers_the_link(app, staff, campaign, db):
    add(campaign, "Kari", "kari@example.no", place="Askim")
    page = html(staff.get(staff_path(campaign, "invitations")))
    form = page.select_one("form[action$='/invitations/send']")
    staff.post(form["action"], data={"csrf_token": csrf_token(staff.get(
        staff_path(campaign, "invitations")))})
    assert totals(funnel_page(staff, campaign))["accepted"] == 0

    path = personal_path(messages("invitation")[0])
    host = app.test_client()
    token = html(host.get(path)).select_one("input[name=csrf_token]")["value"]
    host.post(f"{path}/accept", data={"csrf_token": token})
    page = funnel_page(staff, campaign)
    assert totals(page)["accepted"] == 1
    assert names_at(page, "accepted") == ["Kari"]
