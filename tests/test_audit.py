"""The audit log: who did what and when, listed for admins, never with guests' data."""

from __future__ import annotations

import json

import pytest

from gjestebud.extensions import db
from gjestebud.models import AuditEvent, Campaign, Note
from gjestebud.services import audit
from tests.account_helpers import login, logout
from tests.conftest import csrf_token, html, make_campaign, make_meal, make_org, make_user
from tests.test_staff import form_values

ADMIN = "admin@example.no"


@pytest.fixture
def admin(org):
    user = make_user(org, email=ADMIN, role="admin")
    db.session.commit()
    return user


def events(action=None) -> list[AuditEvent]:
    query = db.select(AuditEvent).order_by(AuditEvent.id)
    if action:
        query = query.where(AuditEvent.action == action)
    return list(db.session.scalars(query))


def audit_rows(response) -> list[list[str]]:
    table = html(response).find("table", class_="audit-table")
    if table is None:
        return []
    return [[td.get_text(" ", strip=True) for td in tr.find_all("td")]
            for tr in table.find("tbody").find_all("tr")]


def test_creating_and_editing_a_campaign_is_recorded_with_who_and_what(client, admin):
    login(client, ADMIN)
    values = form_values(client.get("/staff/campaigns/new"))
    values.update({"title_nb": "Biblioteket", "purpose_nb": "P", "results_use_nb": "R",
                   "places": "Askim"})
    client.post("/staff/campaigns/new", data=values)
    campaign = db.session.scalar(db.select(Campaign))
    edit = f"/staff/campaigns/{campaign.id}/edit"
    client.post(edit, data={**form_values(client.get(edit)), "status": "open"})
    created, updated = events("campaign.created"), events("campaign.updated")
    assert [(e.user_id, e.object_type, e.object_id, e.organisation_id) for e in created] == [
        (admin.id, "campaign", campaign.id, admin.organisation_id)]
    assert updated[0].details == {"status": "open"}


def test_logins_and_failed_logins_are_security_events(client, admin):
    login(client, ADMIN, password="feil passord her")
    login(client, "ukjent@example.no", password="feil passord her")
    login(client, ADMIN)
    assert [(e.action, e.user_id) for e in events()] == [
        ("login.failed", admin.id), ("login.succeeded", admin.id)]
    stored = json.dumps([e.details for e in events()])
    assert "feil passord" not in stored and "ukjent" not in stored


def test_user_administration_is_recorded(client, admin, org):
    colleague = make_user(org, email="koord@example.no", role="coordinator")
    db.session.commit()
    login(client, ADMIN)
    page = client.get(f"/staff/admin/users/{colleague.id}")
    client.post(f"/staff/admin/users/{colleague.id}",
                data={"csrf_token": csrf_token(page), "role": "analyst"})
    client.post(f"/staff/admin/users/{colleague.id}/deactivate",
                data={"csrf_token": csrf_token(page)})
    page = client.get("/staff/admin/users/invite")
    client.post("/staff/admin/users/invite", data={
        "csrf_token": csrf_token(page), "email": "ny@example.no", "name": "Ny",
        "role": "coordinator", "language": "nb"})
    changed, deactivated, invited = (events("user.role_changed"), events("user.deactivated"),
                                     events("user.invited"))
    assert changed[0].details == {"old_role": "coordinator", "new_role": "analyst"}
    assert deactivated[0].object_id == colleague.id
    assert invited[0].details == {"role": "coordinator"}
    # Staff e-mail addresses are found through the user id, not copied into the log.
    assert "ny@example.no" not in json.dumps([e.details for e in events()])


def test_the_audit_page_lists_the_organisations_events_newest_first_with_a_filter(
    client, admin, org
):
    other_org = make_org("Drammen", "drammen")
    audit.record("campaign.created", make_campaign(other_org), user=None)
    for n in range(55):
        audit.record("campaign.updated", None, user=admin, organisation_id=org.id, step=n)
    audit.record("user.invited", admin, user=admin, role="analyst")
    db.session.commit()
    login(client, ADMIN)

    first = client.get("/staff/admin/audit?lang=en")
    rows = audit_rows(first)
    assert len(rows) == 50
    assert rows[0][2] == "login.succeeded"
    assert rows[1][1] == "Kari Koordinator" and rows[1][2] == "user.invited"
    assert "57 events" in html(first).find(id="audit-count").text
    assert all(row[2] != "campaign.created" for row in rows)  # not another organisation's

    older = client.get(html(first).find("a", rel="next")["href"])
    assert len(audit_rows(older)) == 7
    assert audit_rows(older)[-1][4] == "step=0"

    filtered = client.get("/staff/admin/audit?lang=en&action=user.invited")
    assert [row[2] for row in audit_rows(filtered)] == ["user.invited"]
    options = [o["value"] for o in html(filtered).find("select", id="action").find_all("option")]
    assert options == ["", "campaign.updated", "login.succeeded", "user.invited"]
    assert client.get("/staff/admin/audit?action=nonsense&page=abc").status_code == 200


def test_only_admins_see_the_audit_log(client, admin, org):
    make_user(org, email="koord@example.no", role="coordinator")
    db.session.commit()
    login(client, "koord@example.no")
    assert client.get("/staff/admin/audit").status_code == 403
    logout(client)


def test_the_hook_refuses_guest_text_and_contact_data(app, campaign, meal):
    note = Note(meal_id=meal.id, question_id=campaign.questions[0].id,
                text="Vi trenger flere benker", client_key="k1")
    db.session.add(note)
    db.session.flush()
    for details in ({"text": note.text}, {"email": "ola@example.no"}, {"summary": "…"},
                    {"words": ["a", "b"]}, {"comment": "x" * 201}):
        with pytest.raises(audit.AuditDetailError):
            audit.record("note.hidden", note, **details)
    event = audit.record("note.hidden", note, reason="moderation")
    assert event.organisation_id == campaign.organisation_id
    stored = json.dumps([e.details for e in events()])
    assert "benker" not in stored and "ola@example.no" not in stored


def test_events_on_campaign_objects_belong_to_the_campaigns_organisation(app, campaign):
    meal, _token = make_meal(campaign)
    event = audit.record("meal.closed", meal)
    assert event.organisation_id == campaign.organisation_id
    assert (event.object_type, event.object_id, event.user_id) == ("meal", meal.id, None)
