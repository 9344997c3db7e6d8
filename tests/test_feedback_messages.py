"""Staff e-mail the results to hosts and guests, and later updates: write, preview, confirm, send.

Everything goes through the outbox, once per address; guests' e-mails carry one-click
unsubscribe; an update is also shown on the guest links.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
import sqlalchemy as sa
import time_machine

from gjestebud.extensions import db as _db
from gjestebud.models import (
    CampaignFeedback,
    FeedbackContact,
    FeedbackMessage,
    Meal,
    Message,
    Role,
)
from gjestebud.services import consent as consent_service
from gjestebud.services import feedback_content, funnel, mailer, outbox, reports, retention
from gjestebud.services import feedback_messages as service
from gjestebud.services import invitations as inv
from gjestebud.services import meals as meal_service
from tests.conftest import csrf_token, html, make_campaign, make_org, make_user
from tests.coordination_helpers import add, login
from tests.report_data import seed_report_campaign, theme_id
from tests.test_mail_delivery import Inbox, free_port, race, smtp_server

OLA = "ola@example.no"  # hosts all three meals of the report campaign (three registrations)
PER = "per@example.org"  # hosts one meal, in English
GUEST_NB = "kari.nordmann@example.no"
GUEST_EN = "jane@example.org"
GONE = "borte@example.no"  # asked for the results, then unsubscribed


# --- set-up -------------------------------------------------------------------------------------

def register(campaign, place: str, *, email: str | None, language: str = "nb", name="Vert"):
    place_id = next(p.id for p in campaign.places if p.name == place)
    group_id = campaign.target_groups[0].id
    meal, _token = meal_service.register_meal(campaign, meal_service.MealRegistration(
        host_name=name, email=email, place_id=place_id, target_group_id=group_id,
        held_on=date.today() - timedelta(days=3), language=language,
    ))
    return meal


def meal_at(campaign, place: str) -> Meal:
    return next(m for m in campaign.meals if m.place.name == place and m.host.email == OLA)


@pytest.fixture
def analysed(campaign, db):
    """The report campaign: Ola hosted three meals; Per one in English; one host has no e-mail;
    two guests asked for the results (bokmål, English) and one asked and then unsubscribed."""
    seed_report_campaign(campaign)
    register(campaign, "Askim", email=PER, language="en", name="Per")
    register(campaign, "Mysen", email=None, name="Uten E-post")
    askim = meal_at(campaign, "Askim")
    consent_service.give_consent(askim, GUEST_NB, "nb")
    consent_service.give_consent(meal_at(campaign, "Svelvik"), GUEST_EN, "en")
    gone = consent_service.give_consent(askim, GONE, "nb")
    consent_service.unsubscribe(gone)
    feedback_content.update_feedback(campaign, feedback_content.FeedbackData(
        next_steps={"nb": "Biblioteket i Svelvik får et spillrom.",
                    "en": "Svelvik library gets a games room."},
    ))
    db.session.commit()
    return campaign


def base(campaign) -> str:
    return f"/staff/campaigns/{campaign.id}/feedback/messages"


def form_values(response) -> dict:
    """The fields of the compose form as a browser would send them."""
    form = html(response).find("form", class_="feedback-compose")
    values = {}
    for field in form.find_all(["input", "textarea"]):
        name = field.get("name")
        if not name:
            continue
        if field.name == "textarea":
            values[name] = field.get_text().removeprefix("\r\n").removeprefix("\n")
        elif field.get("type") == "checkbox":
            if field.has_attr("checked"):
                values.setdefault(name, []).append(field["value"])
        else:
            values[name] = field.get("value", "")
    return values


TEXTS = {
    "subject_nb": "Resultatene fra gjestebudene", "body_nb": "Mange ønsker seg gaming.",
    "subject_nn": "", "body_nn": "",
    "subject_en": "The results of the gjestebuds", "body_en": "Many of you want gaming.",
}


def compose(client, campaign, kind: str = "results", **texts):
    page = client.get(f"{base(campaign)}/new/{kind}")
    assert page.status_code == 200
    data = {**form_values(page), **TEXTS, **texts}
    response = client.post(f"{base(campaign)}/new/{kind}", data=data)
    assert response.status_code == 303, html(response).find(class_="error-summary")
    return int(response.headers["Location"].rsplit("/", 1)[1])


def send(client, campaign, message_id: int, *, more_to_come: bool = False):
    url = f"{base(campaign)}/{message_id}/send"
    # The token of the page staff had open (the confirm page, or any other staff page).
    data = {"csrf_token": csrf_token(client.get(base(campaign)))}
    if more_to_come:
        data["more_to_come"] = "y"
    return client.post(url, data=data)


def flash_text(response) -> str:
    return " ".join(html(response).find(class_="flashes").get_text(" ").split())


def outbox_rows(kind_prefix: str = "feedback_") -> list[Message]:
    _db.session.expire_all()
    return list(_db.session.scalars(
        sa.select(Message).where(Message.kind.startswith(kind_prefix)).order_by(Message.id)))


# --- writing and previewing -----------------------------------------------------------------------

def test_the_results_are_filled_in_from_the_report_and_can_be_changed(staff, analysed):
    page = staff.get(f"{base(analysed)}/new/results")
    values = form_values(page)
    # The summary of the analysis, per question, in each language's words.
    assert "Gaming og e-sport: 4" in values["body_nb"]
    assert "Bøker: 3" in values["body_en"]
    assert values["subject_en"] == "The results from Neighbourhood 2026"
    assert "report is not published yet" in html(page).find(id="report-not-published").get_text()

    message_id = compose(staff, analysed)
    message = _db.session.get(FeedbackMessage, message_id)
    assert message.bodies == {"nb": "Mange ønsker seg gaming.", "en": "Many of you want gaming."}
    assert message.sent_at is None and outbox_rows() == []


@pytest.mark.parametrize("language", ["nb", "nn", "en"])
def test_the_preview_shows_the_real_email_per_language_and_recipient(staff, analysed, language):
    message_id = compose(staff, analysed)
    host = html(staff.get(f"{base(analysed)}/{message_id}", query_string={
        "language": language, "to": "host"}))
    guest = html(staff.get(f"{base(analysed)}/{message_id}", query_string={
        "language": language, "to": "guest"}))

    host_text = host.find(id="preview-text").get_text()
    guest_text = guest.find(id="preview-text").get_text()
    assert host.find(id="preview-text")["lang"] == language
    # Staff wrote no nynorsk: nynorsk readers get the bokmål text.
    key = "en" if language == "en" else "nb"
    body, subject = TEXTS[f"body_{key}"], TEXTS[f"subject_{key}"]
    for page, text in ((host, host_text), (guest, guest_text)):
        assert page.find(id="preview-subject").get_text() == subject
        assert body in text
        assert page.find("a", attrs={"aria-current": "true"}, lang=language)
    # A host of that language as the sample: Per hosted in Askim; Ola in three places.
    places = "Askim!" if language == "en" else "Svelvik, Askim og Mysen!"
    assert places in host_text.splitlines()[0]
    assert "/u/" not in host_text  # hosts get no guest unsubscribe link
    assert "/u/" in guest_text
    if language == "en":
        assert guest_text.startswith("Thank you for taking part in Neighbourhood 2026!")
        assert "Svelvik library gets a games room." in guest_text
    else:
        assert guest_text.startswith("Takk for at du var med i Nærmiljø 2026!")
        assert "Biblioteket i Svelvik får et spillrom." in guest_text

    email_html = staff.get(f"{base(analysed)}/{message_id}/email.html", query_string={
        "language": language, "to": "guest"})
    assert email_html.status_code == 200
    page = html(email_html)
    assert page.html["lang"] == language
    if language == "nn":  # the fallback text is marked as bokmål for screen readers
        assert page.find("p", string="Mange ønsker seg gaming.").parent["lang"] == "nb"


def test_recipients_are_counted_by_language_before_sending(staff, analysed):
    message_id = compose(staff, analysed)
    page = html(staff.get(f"{base(analysed)}/{message_id}/send"))
    rows = {
        row["data-language"]: [td.get_text() for td in row.find_all("td")]
        for row in page.find(id="recipients").find_all("tr", attrs={"data-language": True})
    }
    # Ola hosted three meals: one e-mail. The host without an address and the guest who
    # unsubscribed are not counted.
    assert rows == {"nb": ["1", "1"], "en": ["1", "1"], "total": ["2", "2"]}
    assert "1 host has no e-mail address" in page.get_text()
    assert page.select_one("main form button").get_text(strip=True) == "Send to 4 people"
    assert outbox_rows() == []


def test_a_guest_who_also_hosted_gets_one_email_as_host(analysed, db):
    consent_service.give_consent(meal_at(analysed, "Mysen"), PER.upper(), "en")
    db.session.commit()
    audience = service.audience(analysed)
    assert sorted((r.kind, r.email.lower()) for r in audience.recipients) == [
        ("guest", GUEST_EN), ("guest", GUEST_NB), ("host", OLA), ("host", PER)]
    assert audience.guests_also_hosts == 1


# --- sending, for real, over SMTP -----------------------------------------------------------------

@pytest.fixture
def smtp(app):
    port = free_port()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMTP_STARTTLS=False,
                      SMTP_SSL=False, SMTP_TIMEOUT=5,
                      SMTP_FROM="Indre Østfold kommune <gjestebud@indre-ostfold.example.no>")
    with smtp_server(port, Inbox()) as inbox:
        yield inbox


def by_recipient(inbox) -> dict:
    return {mail["To"].addresses[0].addr_spec.lower(): mail for mail in inbox.received}


def test_hosts_and_guests_get_it_once_in_their_language_and_guests_can_unsubscribe(
    staff, analysed, smtp, client
):
    message_id = compose(staff, analysed)
    response = send(staff, analysed, message_id)
    assert response.status_code == 303
    shown = staff.get(response.headers["Location"])
    assert "Sent to 2 hosts and 2 guests" in flash_text(shown)

    mails = by_recipient(smtp)
    assert sorted(mails) == [GUEST_EN, GUEST_NB, OLA, PER]
    assert [m["Content-Language"] for m in (mails[OLA], mails[GUEST_NB])] == ["nb", "nb"]
    assert [m["Content-Language"] for m in (mails[PER], mails[GUEST_EN])] == ["en", "en"]
    assert mails[OLA]["Subject"] == mails[GUEST_NB]["Subject"] == "Resultatene fra gjestebudene"
    assert mails[PER]["Subject"] == "The results of the gjestebuds"
    ola = mails[OLA].get_body(("plain",)).get_content()
    assert "Mange ønsker seg gaming." in ola and "Svelvik" in ola and "Askim" in ola
    assert "Many of you want gaming." in mails[GUEST_EN].get_body(("plain",)).get_content()

    # Hosts have no guest address to remove; each guest has their own one-click link.
    assert mails[OLA]["List-Unsubscribe"] is None and mails[PER]["List-Unsubscribe"] is None
    header = mails[GUEST_NB]["List-Unsubscribe"]
    assert header.startswith("<http://localhost/u/") and header.endswith(">")
    assert mails[GUEST_NB]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert header[1:-1] in mails[GUEST_NB].get_body(("plain",)).get_content()
    assert mails[GUEST_EN]["List-Unsubscribe"] != header

    # The delivery status staff see.
    page = html(shown)
    counts = [li.find(class_="count").get_text() for li in page.find(id="delivery").find_all("li")]
    assert counts == ["0", "4", "0"]  # waiting, sent, failed
    assert page.find("a", string="See the e-mails in the outbox")["href"] == "/staff/messages/"
    assert page.find("a", string="Change the text") is None

    # Every meal whose host got it counts as "feedback sent"; the host without an address not.
    _db.session.expire_all()
    sent = {(m.host.email, m.place.name): m.feedback_sent_at is not None for m in analysed.meals}
    assert sent == {(OLA, "Svelvik"): True, (OLA, "Askim"): True, (OLA, "Mysen"): True,
                    (PER, "Askim"): True, (None, "Mysen"): False}
    feedback = _db.session.scalar(sa.select(CampaignFeedback))
    assert feedback.last_feedback_sent_at is not None

    # A second click sends nothing more.
    again = send(staff, analysed, message_id)
    assert "already sent. Nothing more was sent" in flash_text(staff.get(again.headers["Location"]))
    assert len(smtp.received) == 4 and len(outbox_rows()) == 4

    # A mail program's one-click unsubscribe (RFC 8058): a POST with no cookie and no form.
    path = header[1:-1].removeprefix("http://localhost")
    one_click = client.application.test_client().post(
        path, data={"List-Unsubscribe": "One-Click"})
    assert one_click.status_code == 200
    _db.session.expire_all()
    assert [c.email for c in _db.session.scalars(sa.select(FeedbackContact))] == [GUEST_EN]


def test_a_message_cannot_be_changed_after_sending(staff, analysed):
    message_id = compose(staff, analysed)
    send(staff, analysed, message_id)
    edit = f"{base(analysed)}/{message_id}/edit"
    response = staff.get(edit)
    assert response.status_code == 303
    assert "cannot be changed" in flash_text(staff.get(response.headers["Location"]))
    staff.post(edit, data={**TEXTS, "body_nb": "Endret", "csrf_token": csrf_token(
        staff.get(f"{base(analysed)}/new/results"))})
    _db.session.expire_all()
    assert _db.session.get(FeedbackMessage, message_id).bodies["nb"] == "Mange ønsker seg gaming."


def test_a_draft_can_be_changed_before_sending(staff, analysed):
    message_id = compose(staff, analysed)
    edit = f"{base(analysed)}/{message_id}/edit"
    values = form_values(staff.get(edit))
    assert values["body_nb"] == "Mange ønsker seg gaming."
    response = staff.post(edit, data={**values, "body_nb": "Mange ønsker seg et spillrom."})
    assert response.status_code == 303
    _db.session.expire_all()
    assert _db.session.get(FeedbackMessage, message_id).bodies["nb"] == \
        "Mange ønsker seg et spillrom."


def test_an_expired_send_button_sends_nothing(staff, analysed):
    message_id = compose(staff, analysed)
    response = staff.post(f"{base(analysed)}/{message_id}/send", data={"csrf_token": "old"})
    assert response.status_code == 400
    assert "Nothing was sent" in html(response).find(attrs={"role": "alert"}).get_text()
    assert outbox_rows() == []


# --- later updates --------------------------------------------------------------------------------

def test_an_update_is_published_and_sent_once_to_those_who_asked(staff, analysed, smtp, client):
    gaming = theme_id("gaming")
    page = staff.get(f"{base(analysed)}/new/update")
    labels = [label.get_text() for label in html(page).select("#themes label")]
    assert labels == ["bøker", "gaming og e-sport", "natur og turstier"]
    message_id = compose(staff, analysed, "update", themes=[str(gaming)],
                         subject_nb="Nytt spillrom",
                         body_nb="Vi har kjøpt inn gamingutstyr til Svelvik bibliotek.",
                         subject_en="A new games room",
                         body_en="We have bought gaming equipment for Svelvik library.")
    preview = html(staff.get(f"{base(analysed)}/{message_id}", query_string={"to": "guest"}))
    assert "gaming og e-sport" in preview.find(id="preview-text").get_text()

    response = send(staff, analysed, message_id)
    assert "Sent to 2 hosts and 2 guests" in flash_text(staff.get(response.headers["Location"]))
    again = send(staff, analysed, message_id)
    assert "Nothing more was sent" in flash_text(staff.get(again.headers["Location"]))
    assert len(smtp.received) == 4
    mails = by_recipient(smtp)
    assert sorted(mails) == [GUEST_EN, GUEST_NB, OLA, PER]  # not the one who unsubscribed
    assert mails[GUEST_NB]["Subject"] == "Nytt spillrom"
    assert mails[GUEST_NB]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "We have bought gaming equipment" in mails[PER].get_body(("plain",)).get_content()

    message = _db.session.get(FeedbackMessage, message_id)
    assert message.published_at is not None and message.theme_ids == [gaming]
    [update] = reports.updates(analysed, "en")
    assert (update.subject.text, update.themes) == ("A new games room", ["gaming og e-sport"])

    # Every guest link of the reported campaign shows it.
    analysed.status = "reported"
    _db.session.commit()
    guest_page = html(client.get(f"/m/{meal_at(analysed, 'Askim').public_token}",
                                 query_string={"lang": "nb"}))
    news = guest_page.find(class_="updates")
    assert news.find("h3").get_text() == "Nytt spillrom"
    assert "gaming og e-sport" in news.get_text()
    assert "Vi har kjøpt inn gamingutstyr til Svelvik bibliotek." in news.get_text()


def test_guest_addresses_are_kept_for_an_update_only_when_staff_say_more_will_follow(
        staff, analysed, smtp):
    def guests_left(days_later: int) -> int:
        with time_machine.travel(datetime.now() + timedelta(days=days_later), tick=False):
            retention.purge()
            _db.session.commit()
            return _db.session.scalar(sa.select(sa.func.count(FeedbackContact.id)))

    results = compose(staff, analysed)
    confirm = html(staff.get(f"{base(analysed)}/{results}/send"))
    assert "deleted 14 days after it" in confirm.find(id="more_to_come-hint").get_text()
    send(staff, analysed, results, more_to_come=True)
    assert guests_left(19) == 2  # kept for the update, past the 14-day grace period

    update = compose(staff, analysed, "update", subject_nb="Nytt spillrom", body_nb="Vi har et.")
    send(staff, analysed, update)  # the last one: the grace period starts now
    assert GUEST_NB in {m["To"] for m in smtp.received if m["Subject"] == "Nytt spillrom"}
    assert guests_left(13) == 2
    assert guests_left(15) == 0


def test_unpublished_updates_are_not_shown_to_guests(staff, analysed, client):
    compose(staff, analysed, "update")  # saved, not sent
    analysed.status = "reported"
    _db.session.commit()
    page = html(client.get(f"/m/{meal_at(analysed, 'Askim').public_token}"))
    assert page.find(class_="updates") is None
    assert reports.updates(analysed, "nb") == []


# --- the funnel -----------------------------------------------------------------------------------

def test_the_funnel_counts_the_hosts_who_were_sent_the_results(staff, campaign, db):
    from tests.test_funnel import register as register_invited

    askim = add(campaign, "Anne", "anne@example.no", place="Askim", group="pensjonister")
    mysen = add(campaign, "Bjørn", "bjorn@example.no", place="Mysen", group="pensjonister")
    for invitation in (askim, mysen):
        inv.send_invitation(invitation)
    meal = register_invited(askim, campaign, "Askim", "pensjonister")
    meal_service.close_meal(meal, 6, None)
    not_held = register_invited(mysen, campaign, "Mysen", "pensjonister")
    db.session.commit()
    assert funnel.build(campaign).total.feedback == 0

    send(staff, campaign, compose(staff, campaign))
    _db.session.expire_all()
    assert _db.session.get(Meal, not_held.id).feedback_sent_at is not None  # Bjørn got it too
    built = funnel.build(campaign)
    assert (built.total.registered, built.total.held, built.total.feedback) == (2, 1, 1)
    assert {row.name: row.counts.feedback for row in built.by_place} == {"Askim": 1, "Mysen": 0}
    page = html(staff.get(f"/staff/campaigns/{campaign.id}/funnel"))
    step = page.find(id="funnel-total").find(attrs={"data-stage": "feedback"})
    assert step.find(class_="funnel-count").get_text() == "1"


# --- who may, and bad input -----------------------------------------------------------------------

def test_another_organisations_campaign_or_message_is_not_found(staff, analysed, db):
    message_id = compose(staff, analysed)
    other = make_campaign(make_org("Drammen kommune", "drammen"))
    sibling = make_campaign(analysed.organisation, title="Annen kampanje")
    db.session.commit()
    for url in (f"{base(other)}", f"{base(other)}/new/results", f"{base(other)}/{message_id}",
                f"{base(other)}/{message_id}/send", f"{base(sibling)}/{message_id}",
                f"{base(sibling)}/{message_id}/send", f"{base(analysed)}/new/other"):
        assert staff.get(url).status_code == 404, url
    url = f"{base(sibling)}/{message_id}/send"
    assert staff.post(url, data={"csrf_token": csrf_token(staff.get(base(analysed)))}) \
        .status_code == 404
    assert outbox_rows() == []


def test_analysts_are_refused(client, analysed, db):
    make_user(analysed.organisation, email="analytiker@example.no", role=Role.ANALYST.value)
    db.session.commit()
    login(client, "analytiker@example.no")
    for url in (base(analysed), f"{base(analysed)}/new/results"):
        assert client.get(url).status_code == 403


def test_bad_input_gets_a_clear_message_and_keeps_what_was_typed(staff, analysed):
    url = f"{base(analysed)}/new/update"
    values = form_values(staff.get(url))
    response = staff.post(url, data={
        **values, "subject_nb": "", "body_nb": "Vi har kjøpt inn gamingutstyr.",
        "subject_en": "News\r\nBcc: everyone@example.org", "body_en": "x" * 10001,
        "themes": ["999999"],
    })
    assert response.status_code == 400
    page = html(response)
    summary = page.find(class_="error-summary").get_text(" ")
    assert "Write this in the campaign's main language." in summary
    assert "The subject must be on one line." in summary
    assert "10000" in summary
    assert page.find(id="body_nb").get_text().strip() == "Vi har kjøpt inn gamingutstyr."
    assert page.find(id="subject_en")["value"].startswith("News")
    assert page.find("details", class_="more-languages").has_attr("open")
    assert _db.session.scalars(sa.select(FeedbackMessage)).all() == []


def test_index_lists_the_messages_with_their_state(staff, analysed, smtp):
    draft = compose(staff, analysed, "update")
    sent = compose(staff, analysed)
    send(staff, analysed, sent)
    page = html(staff.get(base(analysed)))
    assert "Not sent yet" in page.find(id=f"feedback-message-{draft}").get_text()
    assert "Sent on" in page.find(id=f"feedback-message-{sent}").get_text()
    assert page.find(id=f"delivery-{sent}").find(class_="delivery-sent").find(
        class_="count").get_text() == "4"
    campaign_page = html(staff.get(f"/staff/campaigns/{analysed.id}"))
    assert campaign_page.find("a", string="E-mails to participants")["href"] == base(analysed)
    texts_page = html(staff.get(f"/staff/campaigns/{analysed.id}/feedback"))
    assert texts_page.find("a", href=base(analysed)) is not None


# --- List-Unsubscribe in the outbox and the mailer -----------------------------------------------

def test_the_unsubscribe_header_stays_one_unbroken_link(app, db):
    link = "https://gjestebud.indre-ostfold.kommune.no/u/" + "a" * 32
    message = outbox.queue_message(kind="test", recipient="kari@example.no", language="nb",
                                   dedupe_key="t:1", context={"queued_on": date.today()},
                                   list_unsubscribe=link)
    raw = mailer.build_email(message, "gjestebud@example.no").as_bytes().decode()
    assert f"List-Unsubscribe: <{link}>\n" in raw  # not folded, not encoded
    assert "List-Unsubscribe-Post: List-Unsubscribe=One-Click\n" in raw
    for bad in ("javascript:alert(1)", "https://x.example/u/a b", "https://x.example/\r\nBcc: y"):
        with pytest.raises(outbox.InvalidMessage):
            outbox.queue_message(kind="test", recipient="kari@example.no", language="nb",
                                 dedupe_key=f"t:{bad}", context={"queued_on": date.today()},
                                 list_unsubscribe=bad)


def test_the_emails_link_to_the_published_report_in_the_readers_language(staff, analysed):
    reports.publish(analysed, None, draw=lambda *_args: b"\x89PNG")
    _db.session.commit()
    page = staff.get(f"{base(analysed)}/new/results")
    assert html(page).find(id="report-not-published") is None
    message_id = compose(staff, analysed)
    for language in ("nb", "en"):
        text = html(staff.get(f"{base(analysed)}/{message_id}", query_string={
            "language": language, "to": "guest"})).find(id="preview-text").get_text()
        assert f"http://localhost/reports/{analysed.slug}?lang={language}" in text


def check_two_clicks_at_once_send_once(app) -> None:
    campaign = make_campaign(make_org())
    _db.session.commit()
    register(campaign, "Askim", email=OLA)
    consent_service.give_consent(campaign.meals[0], GUEST_NB, "nb")
    message = service.create_message(campaign, "results", service.Draft(
        subjects={"nb": "Resultatene"}, bodies={"nb": "Takk!"}))
    _db.session.commit()
    message_id = message.id

    def click():
        result = service.send(_db.session.get(FeedbackMessage, message_id))
        _db.session.commit()
        return result

    results = race(app, click)
    assert sorted(r.already_sent for r in results) == [False, True]
    assert len(outbox_rows()) == 2


def test_two_clicks_at_the_same_moment_send_once(app, db):
    check_two_clicks_at_once_send_once(app)


@pytest.mark.postgres
def test_two_clicks_at_the_same_moment_send_once_on_postgresql(pg_app):
    check_two_clicks_at_once_send_once(pg_app)
