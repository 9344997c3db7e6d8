"""Automatic reminders: the right people, at the right time, never over the maximum, never twice."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
import time_machine

from gjestebud import reminder_tasks
from gjestebud.extensions import db as _db
from gjestebud.models import Invitation
from gjestebud.services import invitations as inv
from gjestebud.services import meals as meal_service
from tests.conftest import csrf_token, html
from tests.coordination_helpers import (
    add,
    eml_files,
    messages,
    personal_path,
    staff_path,
)

START = datetime(2026, 3, 2, 9, 0)


@pytest.fixture
def clock():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def run_task(app) -> None:
    """Run the daily task the way the queue does."""
    app.extensions[reminder_tasks.EXTENSION].send_reminders()


def reminder_keys() -> list[str]:
    return sorted(m.dedupe_key for m in messages() if m.kind.startswith("reminder_"))


def by_name(campaign) -> dict[str, Invitation]:
    _db.session.expire_all()
    return {i.host.name: i for i in inv.campaign_invitations(campaign)}


def register(invitation, campaign, days: int):
    meal, token = inv.register_from_invitation(invitation, meal_service.MealRegistration(
        host_name=invitation.host.name, email=invitation.host.email,
        place_id=campaign.places[0].id, target_group_id=campaign.target_groups[0].id,
        held_on=START.date() + timedelta(days=days), expected_guests=5,
    ))
    return meal, token


@pytest.fixture
def people(app, campaign, db, clock):
    """Hosts at every step, all invited at START; reminders every 3 days, at most 2 per step."""
    inv.save_reminder_settings(campaign, enabled=True, after_days=3, max_reminders=2)
    names = ["Wenche Venter", "Ola Opt-ut", "Xenia Nei", "Anne Ja", "Rolf Registrert",
             "Hege Holdt"]
    invitations = {name: add(campaign, name, f"{name.split()[0].lower()}@example.no")
                   for name in names}
    invitations["Per Papir"] = add(campaign, "Per Papir", phone="912 34 567")
    for invitation in invitations.values():
        if not inv.send_invitation(invitation):
            inv.mark_letter_given(invitation)
    inv.set_opt_out(invitations["Ola Opt-ut"], True)
    inv.decline(invitations["Xenia Nei"])
    inv.accept(invitations["Anne Ja"])
    register(invitations["Rolf Registrert"], campaign, days=2)
    held, _token = register(invitations["Hege Holdt"], campaign, days=1)
    meal_service.close_meal(held, 6, None)
    db.session.commit()
    ids = {name.split()[0]: invitation.id for name, invitation in invitations.items()}
    return ids


def test_reminders_go_to_the_right_people_at_the_right_time_and_never_twice(
    app, campaign, people, clock
):
    ids = people
    run_task(app)
    assert reminder_keys() == []

    clock.shift(timedelta(days=2, hours=23))
    run_task(app)
    assert reminder_keys() == []

    clock.shift(timedelta(hours=1))  # three days after the invitation
    run_task(app)
    first = [f"reminder:{ids['Anne']}:register:1", f"reminder:{ids['Wenche']}:answer:1"]
    assert reminder_keys() == sorted(first)
    run_task(app)  # a second run the same day sends nothing new
    assert reminder_keys() == sorted(first)

    clock.shift(timedelta(days=3))  # day 6; Rolf's meal (day 2) is three days past
    run_task(app)
    second = first + [f"reminder:{ids['Anne']}:register:2",
                      f"reminder:{ids['Wenche']}:answer:2",
                      f"reminder:{ids['Rolf']}:close:1"]
    assert reminder_keys() == sorted(second)

    for _day in range(10):  # the maximum holds however long it runs
        clock.shift(timedelta(days=1))
        run_task(app)
    assert reminder_keys() == sorted(second + [f"reminder:{ids['Rolf']}:close:2"])
    people_reminded = {key.split(":")[1] for key in reminder_keys()}
    assert people_reminded == {str(ids["Wenche"]), str(ids["Anne"]), str(ids["Rolf"])}

    counts = by_name(campaign)
    assert counts["Wenche Venter"].reminder_count == 2
    assert counts["Ola Opt-ut"].reminder_count == 0  # opted out
    assert counts["Xenia Nei"].reminder_count == 0  # said no
    assert counts["Hege Holdt"].reminder_count == 0  # meal held


def test_a_reminder_carries_the_same_personal_link_as_the_invitation(
    app, campaign, people, clock
):
    clock.shift(timedelta(days=3))
    run_task(app)
    invitation = next(m for m in messages("invitation") if m.recipient == "wenche@example.no")
    reminder = next(m for m in messages("reminder_answer"))
    assert personal_path(reminder) == personal_path(invitation)
    assert reminder.status == "sent" and reminder.recipient == "wenche@example.no"
    assert len(eml_files(app)) == len(messages())
    client = app.test_client()
    assert client.get(personal_path(reminder)).status_code == 200


def test_the_closing_reminder_leads_to_the_meal_page(app, campaign, people, clock):
    clock.shift(timedelta(days=6))
    run_task(app)
    [reminder] = messages("reminder_close")
    assert reminder.recipient == "rolf@example.no"
    meal_path = next(line.strip().removeprefix("http://localhost")
                     for line in reminder.body_text.splitlines() if "/h/" in line)
    page = html(app.test_client().get(meal_path + "?lang=en"))
    assert page.select_one("h1").get_text() == "Your meal"


def test_reminders_are_in_the_hosts_language(app, campaign, db, clock):
    inv.save_reminder_settings(campaign, enabled=True, after_days=2, max_reminders=1)
    nn = add(campaign, "Nils Nynorsk", "nils@example.no", language="nn")
    en = add(campaign, "Emma English", "emma@example.no", language="en")
    inv.send_invitation(nn)
    inv.send_invitation(en)
    db.session.commit()
    clock.shift(timedelta(days=2))
    run_task(app)
    reminders = {m.recipient: m for m in messages("reminder_answer")}
    assert reminders["emma@example.no"].language == "en"
    assert reminders["nils@example.no"].language == "nn"
    assert "Hello, Emma English!" in reminders["emma@example.no"].body_text
    assert "Stop the reminders" in reminders["emma@example.no"].body_text


def test_recorded_contact_postpones_the_next_reminder(app, campaign, people, clock, db):
    clock.shift(timedelta(days=2))
    wenche = _db.session.get(Invitation, people["Wenche"])
    inv.log_contact(wenche, None, "phone", "")
    db.session.commit()
    clock.shift(timedelta(days=1))
    run_task(app)
    assert f"reminder:{people['Wenche']}:answer:1" not in reminder_keys()
    clock.shift(timedelta(days=2))  # three days after the phone call
    run_task(app)
    assert f"reminder:{people['Wenche']}:answer:1" in reminder_keys()


def test_no_reminders_when_they_are_off_or_the_campaign_is_closed(
    app, campaign, people, clock, db
):
    inv.save_reminder_settings(campaign, enabled=False, after_days=3, max_reminders=2)
    db.session.commit()
    clock.shift(timedelta(days=7))
    run_task(app)
    assert reminder_keys() == []
    inv.save_reminder_settings(campaign, enabled=True, after_days=3, max_reminders=2)
    campaign.status = "closed"
    db.session.commit()
    run_task(app)
    assert reminder_keys() == []


def test_a_host_who_stops_reminders_from_the_link_gets_none(app, campaign, people, clock):
    clock.shift(timedelta(days=3))
    run_task(app)
    path = personal_path(next(m for m in messages("reminder_answer")))
    host = app.test_client()
    token = html(host.get(path)).select_one("input[name=csrf_token]")["value"]
    host.post(f"{path}/reminders/stop", data={"csrf_token": token})
    clock.shift(timedelta(days=10))
    run_task(app)
    assert f"reminder:{people['Wenche']}:answer:2" not in reminder_keys()


# --- the settings page -----------------------------------------------------------------------


def test_a_coordinator_sets_the_reminders(staff, campaign, db):
    url = staff_path(campaign, "reminders")
    page = html(staff.get(url))
    assert page.select_one("input#enabled").has_attr("checked")
    assert page.select_one("input#after_days")["value"] == "7"
    response = staff.post(url, data={"csrf_token": csrf_token(staff.get(url)),
                                     "after_days": "4", "max_reminders": "1"})
    assert response.status_code == 303
    settings = inv.settings_for(campaign)
    assert (settings.reminders_enabled, settings.reminder_after_days,
            settings.max_reminders) == (False, 4, 1)
    page = html(staff.get(url))
    assert "The reminder settings are saved" in page.select_one(".flashes").get_text()
    assert not page.select_one("input#enabled").has_attr("checked")


def test_bad_reminder_settings_are_explained_and_kept(staff, campaign):
    url = staff_path(campaign, "reminders")
    response = staff.post(url, data={"csrf_token": csrf_token(staff.get(url)), "enabled": "y",
                                     "after_days": "0", "max_reminders": "9"})
    assert response.status_code == 400
    page = html(response)
    text = page.select_one(".error-summary").get_text(" ", strip=True)
    assert "Enter a number from 1 to 60." in text and "Enter a number from 0 to 5." in text
    assert page.select_one("input#after_days")["value"] == "0"
    assert page.select_one("input#enabled").has_attr("checked")


def test_a_coordinator_sends_a_reminder_now_to_one_host_or_a_whole_list(
    app, campaign, people, clock, staff
):
    page = html(staff.get(staff_path(campaign, "funnel") + "?lang=en"))
    button = page.select_one(f"#host-{people['Wenche']} button[form=remind-form]")
    assert button is not None and "Send a reminder now" in button.get_text()
    form = page.select_one("form#remind-form")
    token = form.select_one("input[name=csrf_token]")["value"]
    response = staff.post(form["action"], data={"csrf_token": token,
                                                "invitation": button["value"]})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"#host-{people['Wenche']}")
    assert reminder_keys() == [f"reminder:{people['Wenche']}:answer:1"]
    (message,) = messages("reminder_answer")
    assert message.recipient == "wenche@example.no"
    flashes = html(staff.get(response.headers["Location"])).select_one(".flashes").get_text()
    assert "1 reminder is on its way." in flashes
    # A second click the same day sends nothing more, and says why.
    response = staff.post(form["action"], data={"csrf_token": token,
                                                "invitation": button["value"]},
                          follow_redirects=True)
    assert "reminded or contacted less than a day ago" in html(response).get_text()
    assert len(reminder_keys()) == 1
    # A whole list: everyone who accepted but has not registered a meal (Anne).
    bulk = next(f for f in page.select("form.remind-all")
                if f.select_one("input[name=position]")["value"] == "accepted")
    assert "1 host in this list" in bulk.get_text()
    staff.post(bulk["action"], data={"csrf_token": token, "position": "accepted"})
    assert f"reminder:{people['Anne']}:register:1" in reminder_keys()
    # Nothing to remind of, or an unknown list: refused without sending anything.
    assert staff.post(form["action"], data={"csrf_token": token,
                                            "position": "held"}).status_code == 400
    assert staff.post(form["action"], data={"position": "accepted"}).status_code in (400, 403)
    clock.shift(timedelta(days=1))
    staff.post(form["action"], data={"csrf_token": token, "invitation": people["Per"]})
    assert not any(k.startswith(f"reminder:{people['Per']}:") for k in reminder_keys())


def test_reminders_sent_now_go_to_who_can_get_one(app, campaign, people, clock):
    from gjestebud.services import reminders

    before = len(eml_files(app))
    with app.test_request_context():
        result = reminders.remind_now(list(by_name(campaign).values()))
    _db.session.commit()
    # Wenche (answer), Anne (register); Ola asked for no e-mail, Per has none, Xenia said no,
    # Rolf's meal is ahead, Hege is done.
    assert sorted(q.kind for q in result.queued) == ["answer", "register"]
    assert result.skipped == {"no_email": 2, "nothing": 3}
    reminded = sorted(m.recipient for m in messages() if m.kind.startswith("reminder_"))
    assert reminded == ["anne@example.no", "wenche@example.no"]
    from gjestebud.services import mailer

    mailer.deliver_due()  # as the worker does every minute
    assert len(eml_files(app)) == before + 2
