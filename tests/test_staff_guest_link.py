"""Staff replace a meal's guest link when a poster went astray: asked first, logged, notes kept."""

from __future__ import annotations

import sqlalchemy as sa

from gjestebud.models import AuditEvent, Meal, Note
from gjestebud.services.meals import revoke_public_token
from tests.account_helpers import login, logout
from tests.conftest import csrf_token, html, make_campaign, make_meal, make_org, make_user


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def setup_meal(db, campaign) -> tuple[Meal, str]:
    meal, _host_token = make_meal(campaign)
    db.session.add(Note(meal_id=meal.id, question_id=campaign.questions[0].id,
                        text="Fint her", client_key="k1"))
    db.session.commit()
    return meal, meal.public_token


def link_url(campaign, meal) -> str:
    return f"/staff/campaigns/{campaign.id}/meals/{meal.id}/guest-link"


def test_a_coordinator_replaces_a_guest_link_after_confirming(client, db, org, campaign):
    user = make_user(org, email="koordinator@example.no", role="coordinator")
    db.session.commit()
    meal, old = setup_meal(db, campaign)
    login(client, user.email)

    page = html(client.get(f"/staff/campaigns/{campaign.id}?lang=en"))
    row = page.find(id=f"meal-{meal.id}")
    link = row.select_one("a.guest-link-replace")
    assert link["href"] == link_url(campaign, meal)
    assert "Askim" in text(link)  # tells a screen reader user which meal

    confirm = client.get(link["href"] + "?lang=en")
    assert confirm.status_code == 200
    soup = html(confirm)
    assert text(soup.find("h1")) == "A new guest link"
    assert "Notes already sent are kept." in text(soup)
    form = soup.select_one(f"form[action='{link_url(campaign, meal)}']")
    assert form.find("button").get_text(strip=True) == "Yes, make a new guest link"
    # Only looking changes nothing.
    db.session.expire_all()
    assert db.session.get(Meal, meal.id).public_token == old

    response = client.post(link_url(campaign, meal), data={"csrf_token": csrf_token(confirm)})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/staff/campaigns/{campaign.id}#meal-{meal.id}")
    flashed = text(html(client.get(response.headers["Location"])).select_one(".flashes"))
    assert "has a new guest link" in flashed and "Askim" in flashed

    db.session.expire_all()
    new = db.session.get(Meal, meal.id).public_token
    assert new != old and len(new) >= 26
    assert client.get(f"/m/{old}").status_code == 404
    assert client.get(f"/m/{new}").status_code == 200
    assert db.session.scalar(sa.select(sa.func.count(Note.id)).where(Note.meal_id == meal.id)) == 1

    [event] = db.session.scalars(sa.select(AuditEvent).where(
        AuditEvent.action == "meal.guest_link_replaced")).all()
    assert (event.user_id, event.object_type, event.object_id) == (user.id, "meal", meal.id)
    assert event.organisation_id == org.id
    assert old not in str(event.details) and new not in str(event.details)


def test_a_stopped_link_can_be_replaced_too(client, db, org, campaign):
    make_user(org, email="admin@example.no", role="admin")
    meal, _old = setup_meal(db, campaign)
    revoke_public_token(meal)
    db.session.commit()
    login(client, "admin@example.no")
    confirm = client.get(link_url(campaign, meal) + "?lang=en")
    assert "Stopped" in text(html(confirm).find("dl"))
    client.post(link_url(campaign, meal), data={"csrf_token": csrf_token(confirm)})
    db.session.expire_all()
    meal = db.session.get(Meal, meal.id)
    assert meal.token_revoked_at is None
    assert client.get(f"/m/{meal.public_token}").status_code == 200
    event = db.session.scalar(sa.select(AuditEvent).where(
        AuditEvent.action == "meal.guest_link_replaced"))
    assert event.details == {"was_stopped": True}


def test_an_old_form_changes_nothing_and_says_so(client, db, org, campaign):
    make_user(org, email="koordinator@example.no", role="coordinator")
    meal, old = setup_meal(db, campaign)
    login(client, "koordinator@example.no")
    response = client.post(link_url(campaign, meal), data={"csrf_token": "stale"})
    assert response.status_code == 303
    page = html(client.get(response.headers["Location"] + "?lang=en"))
    assert "nothing was changed" in text(page.select_one(".flashes"))
    db.session.expire_all()
    assert db.session.get(Meal, meal.id).public_token == old
    assert db.session.scalar(sa.select(sa.func.count(AuditEvent.id)).where(
        AuditEvent.action == "meal.guest_link_replaced")) == 0


def test_analysts_cannot_and_do_not_see_the_button(client, db, org, campaign):
    make_user(org, email="analytiker@example.no", role="analyst")
    meal, old = setup_meal(db, campaign)
    login(client, "analytiker@example.no")
    page = client.get(f"/staff/campaigns/{campaign.id}?lang=en")
    assert html(page).select_one("a.guest-link-replace") is None
    assert client.get(link_url(campaign, meal)).status_code == 403
    token = csrf_token(page)
    assert client.post(link_url(campaign, meal), data={"csrf_token": token}).status_code == 403
    db.session.expire_all()
    assert db.session.get(Meal, meal.id).public_token == old


def test_other_campaigns_and_organisations_meals_are_404(client, db, org, campaign):
    make_user(org, email="koordinator@example.no", role="coordinator")
    other_campaign = make_campaign(org, title="Et annet")
    other_org = make_org("Drammen kommune", "drammen")
    foreign_campaign = make_campaign(other_org, title="Drammen")
    db.session.commit()
    meal, _old = setup_meal(db, campaign)
    foreign_meal, foreign_old = setup_meal(db, foreign_campaign)
    login(client, "koordinator@example.no")
    token = csrf_token(client.get(f"/staff/campaigns/{campaign.id}"))
    for url in (link_url(other_campaign, meal), link_url(campaign, foreign_meal),
                link_url(foreign_campaign, foreign_meal),
                f"/staff/campaigns/{campaign.id}/meals/99999/guest-link"):
        assert client.get(url).status_code == 404, url
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url
    db.session.expire_all()
    assert db.session.get(Meal, foreign_meal.id).public_token == foreign_old
    logout(client)
