"""Questions that have notes stay in the campaign: the form says so, and refuses politely."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from gjestebud.extensions import db
from gjestebud.models import Note, Question
from gjestebud.services import campaigns as campaign_service
from tests.conftest import html, make_campaign, make_meal
from tests.test_staff import form_values, login

Q = "questions-{n}-{field}"
TEXT_FIELDS = [f"{kind}_{lang}" for lang in ("nb", "nn", "en") for kind in ("text", "plain")]


def add_notes(campaign, position: int, n: int) -> None:
    meal, _token = make_meal(campaign)
    question = next(q for q in campaign.questions if q.position == position)
    for i in range(n):
        db.session.add(Note(meal_id=meal.id, question_id=question.id, text=f"Svar {i}",
                            client_key=f"q{position}-{i}"))
    db.session.commit()


def edit_url(campaign) -> str:
    return f"/staff/campaigns/{campaign.id}/edit"


def empty_row(values: dict, n: int) -> None:
    for field in TEXT_FIELDS:
        values[Q.format(n=n, field=field)] = ""


def questions(campaign) -> list[tuple[int, str]]:
    db.session.expire_all()
    rows = db.session.scalars(sa.select(Question).where(Question.campaign_id == campaign.id)
                              .order_by(Question.position))
    return [(q.position, q.texts["nb"]) for q in rows]


def test_the_form_shows_which_questions_have_notes(client, campaign, coordinator):
    add_notes(campaign, 3, 4)
    add_notes(campaign, 1, 1)
    login(client, coordinator.email)
    page = html(client.get(edit_url(campaign) + "?lang=en"))
    fieldsets = page.select("fieldset.question")
    locked = [fs.select_one(".question-locked") for fs in fieldsets]
    assert [bool(x) for x in locked] == [True, False, True, False]
    assert locked[0].get_text(" ", strip=True) == (
        "Has 1 note: it cannot be removed, but you can change its wording.")
    assert locked[2].get_text(" ", strip=True) == (
        "Has 4 notes: it cannot be removed, but you can change its wording.")
    assert "cannot be removed, because the notes answer it" in page.find(
        id="questions-hint").get_text()


def test_emptying_a_question_with_notes_is_refused_and_it_comes_back(client, campaign,
                                                                     coordinator):
    add_notes(campaign, 2, 3)
    before = questions(campaign)
    login(client, coordinator.email)
    values = form_values(client.get(edit_url(campaign) + "?lang=en"))
    empty_row(values, 1)
    values["title_nb"] = "Ny tittel som ikke skal forsvinne"
    response = client.post(edit_url(campaign) + "?lang=en", data=values)
    assert response.status_code == 200
    page = html(response)
    summary = page.find(class_="error-summary").get_text(" ", strip=True)
    assert "Question 2" in summary and "already has 3 notes, so it cannot be removed" in summary
    assert page.find(id="questions-1-text_nb")["aria-invalid"] == "true"
    kept = form_values(response)
    assert kept["title_nb"] == "Ny tittel som ikke skal forsvinne"
    assert kept["questions-1-text_nb"] == before[1][1]  # the question is back in its box
    assert questions(campaign) == before
    assert campaign.titles["nb"] != "Ny tittel som ikke skal forsvinne"


def test_a_question_with_notes_can_be_reworded(client, campaign, coordinator):
    add_notes(campaign, 2, 1)
    login(client, coordinator.email)
    values = form_values(client.get(edit_url(campaign)))
    values["questions-1-text_nb"] = "Hva kan biblioteket gjøre for deg?"
    assert client.post(edit_url(campaign), data=values).status_code == 303
    assert questions(campaign)[1] == (2, "Hva kan biblioteket gjøre for deg?")


def test_removing_a_question_before_one_with_notes_keeps_the_notes_on_theirs(client, campaign,
                                                                            coordinator):
    add_notes(campaign, 3, 2)
    q3 = questions(campaign)[2][1]
    login(client, coordinator.email)
    values = form_values(client.get(edit_url(campaign)))
    empty_row(values, 1)  # question 2 has no notes: it may go
    values["questions-3-text_nb"] = "Hva savner du?"
    assert client.post(edit_url(campaign), data=values).status_code == 303
    # Question 3 keeps its number (posters and exports use it) and its notes; the new one is 4.
    assert [p for p, _text in questions(campaign)] == [1, 3, 4]
    assert questions(campaign)[1:] == [(3, q3), (4, "Hva savner du?")]
    texts = db.session.scalars(sa.select(Question.texts).join(Note).distinct()).all()
    assert [t["nb"] for t in texts] == [q3]

    # The next edit shows the kept questions with their notes and saves without surprises.
    values = form_values(client.get(edit_url(campaign)))
    assert values["questions-1-text_nb"] == q3
    assert client.post(edit_url(campaign), data=values).status_code == 303
    assert [p for p, _text in questions(campaign)] == [1, 3, 4]


def test_a_form_without_a_question_that_has_notes_is_refused(client, campaign, coordinator):
    add_notes(campaign, 1, 1)
    login(client, coordinator.email)
    values = form_values(client.get(edit_url(campaign) + "?lang=en"))
    # An old copy of the page, or a tampered one: the question's row is gone altogether.
    for key in [k for k in values if k.startswith("questions-0-")]:
        del values[key]
    response = client.post(edit_url(campaign) + "?lang=en", data=values)
    assert response.status_code == 200
    assert "The questions changed while the form was open" in html(response).find(
        class_="error-summary").get_text()
    assert len(questions(campaign)) == 3


def test_a_row_naming_another_campaigns_question_is_a_new_question(client, campaign, org,
                                                                  coordinator):
    other = make_campaign(org, title="Et annet")
    db.session.commit()
    foreign_id = other.questions[0].id
    login(client, coordinator.email)
    values = form_values(client.get(edit_url(campaign)))
    values["questions-3-text_nb"] = "Hva savner du?"
    values["questions-3-question_id"] = str(foreign_id)
    assert client.post(edit_url(campaign), data=values).status_code == 303
    assert questions(campaign)[-1] == (4, "Hva savner du?")
    assert questions(other)[0][1] != "Hva savner du?"


def test_the_service_refuses_to_remove_a_question_with_notes(campaign):
    add_notes(campaign, 1, 1)
    data = campaign_service.CampaignData(
        titles=dict(campaign.titles), purposes=dict(campaign.purposes),
        results_uses=dict(campaign.results_uses), status=campaign.status,
        places=[p.name for p in campaign.places],
        target_groups=[g.name for g in campaign.target_groups],
        questions=[campaign_service.QuestionData(texts=dict(q.texts), id=q.id)
                   for q in campaign.questions[1:]],
    )
    with pytest.raises(campaign_service.QuestionInUse) as refused:
        campaign_service.update_campaign(campaign, data)
    assert refused.value.question.position == 1
    db.session.rollback()
    assert len(questions(campaign)) == 3
