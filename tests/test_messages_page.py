"""Staff see the e-mail outbox: what was sent, what failed and why, and the messages themselves."""

from __future__ import annotations

from datetime import timedelta

import pytest

from gjestebud.extensions import db
from gjestebud.models import Message, utcnow
from gjestebud.services import outbox
from tests.account_helpers import login
from tests.conftest import csrf_token, html, make_org, make_user

ERROR = "550 5.1.1 Mailbox unavailable"


def queue(org, recipient: str, language: str = "nb") -> Message:
    """A test message of the organisation, delivered at once to the tmp mail folder (sent)."""
    message = outbox.queue_test_message(recipient, language)
    message.organisation_id = org.id
    db.session.commit()
    return message


def fail(message: Message, error: str = ERROR) -> None:
    message.status = "failed"
    message.attempts = 6
    message.last_error = error
    message.next_attempt_at = None
    db.session.commit()


@pytest.fixture
def outboxes(app):
    """Two organisations with messages: three of mine (one failed), one of theirs (failed)."""
    mine = make_org()
    theirs = make_org("Drammen kommune", "drammen")
    for role in ("admin", "coordinator", "analyst"):
        make_user(mine, email=f"{role}@example.no", role=role)
    db.session.commit()
    sent = [queue(mine, "ola@example.no"), queue(mine, "kari@example.no", "en")]
    failed = queue(mine, "borte@example.no", "nn")
    fail(failed)
    theirs_failed = queue(theirs, "drammen.vert@example.no")
    fail(theirs_failed, "421 Drammen server busy")
    return {"sent": sent, "failed": failed, "theirs": theirs_failed}


def rows(page):
    return page.select("table.message-table tbody tr")


def test_counts_and_list_show_only_the_own_organisations_messages(client, outboxes):
    login(client, "coordinator@example.no")
    page = html(client.get("/staff/messages/?lang=en"))

    assert page.h1.get_text(strip=True) == "E-mails"
    counts = {key: page.select_one(f"#count-{key} .count").get_text(strip=True)
              for key in ("pending", "sending", "sent", "failed")}
    assert counts == {"pending": "0", "sending": "0", "sent": "2", "failed": "1"}
    assert len(rows(page)) == 3
    recipients = [cell.get_text(strip=True) for cell in page.select("td.recipient")]
    # Newest first: the failed one was queued last.
    assert recipients == ["borte@example.no", "kari@example.no", "ola@example.no"]
    text = page.get_text()
    assert "drammen.vert@example.no" not in text and "Drammen server busy" not in text
    assert page.select_one("#message-count").get_text(strip=True) == "3 messages"


def test_a_failed_message_is_marked_in_words_with_its_error_and_can_be_tried_again(
    client, outboxes
):
    failed = outboxes["failed"]
    login(client, "admin@example.no")
    page = html(client.get("/staff/messages/?lang=en"))
    row = page.select_one(f"#message-{failed.id}")
    assert "message-failed" in row["class"]
    assert row.select_one(".message-status-failed").get_text(strip=True) == "Failed"
    assert ERROR in row.select_one(".last-error").get_text()
    button = row.select_one("form button")
    assert button.get_text(strip=True) == "Try again"
    # Only the failed one has a button.
    assert len(page.select("form.retry-form")) == 1

    form = row.select_one("form")
    response = client.post(form["action"], data={
        "csrf_token": form.select_one("input[name=csrf_token]")["value"], "back": "list",
    })
    assert response.status_code == 303
    assert response.headers["Location"].endswith("/staff/messages/")
    db.session.expire_all()
    # In tests the queue runs at once and writes to the tmp folder: delivered, not failed.
    assert db.session.get(Message, failed.id).status in ("pending", "sending", "sent")
    page = html(client.get("/staff/messages/?lang=en"))
    assert "borte@example.no is queued again" in page.select_one(".flashes").get_text()
    assert page.select_one("#count-failed .count").get_text(strip=True) == "0"
    assert page.select("tr.message-failed") == []


def test_try_again_without_a_valid_token_changes_nothing(client, outboxes):
    failed = outboxes["failed"]
    login(client, "admin@example.no")
    response = client.post(f"/staff/messages/{failed.id}/retry", data={"csrf_token": "forged"})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(Message, failed.id).status == "failed"


def test_try_again_on_a_message_that_did_not_fail_says_so(client, outboxes):
    sent = outboxes["sent"][0]
    login(client, "admin@example.no")
    token = csrf_token(client.get("/staff/messages/?lang=en"))
    response = client.post(f"/staff/messages/{sent.id}/retry",
                           data={"csrf_token": token, "back": "message"})
    assert response.headers["Location"].endswith(f"/staff/messages/{sent.id}")
    page = html(client.get(response.headers["Location"]))
    assert "has not failed" in page.select_one(".flashes").get_text()
    db.session.expire_all()
    assert db.session.get(Message, sent.id).attempts == 1


def test_the_list_can_be_filtered_by_status_without_javascript(client, outboxes):
    login(client, "admin@example.no")
    page = html(client.get("/staff/messages/?lang=en"))
    form = page.select_one("form.message-filter")
    assert form["method"] == "get"
    options = {o["value"]: o.get_text(strip=True) for o in form.select("select#status option")}
    assert options["failed"] == "Failed (1)" and options[""] == "All statuses"

    page = html(client.get("/staff/messages/?lang=en&status=failed"))
    assert [r["id"] for r in rows(page)] == [f"message-{outboxes['failed'].id}"]
    assert page.select_one("select#status option[selected]")["value"] == "failed"
    page = html(client.get("/staff/messages/?lang=en&status=sent"))
    assert len(rows(page)) == 2
    # Nonsense in the query string shows everything rather than an error.
    response = client.get("/staff/messages/?lang=en&status=nonsense&page=abc")
    assert response.status_code == 200 and len(rows(html(response))) == 3


def test_the_list_is_paged_fifty_at_a_time(client, outboxes):
    org_id = outboxes["failed"].organisation_id
    start = utcnow() - timedelta(days=1)
    for n in range(50):
        db.session.add(Message(
            organisation_id=org_id, recipient=f"vert{n}@example.no", language="nb", kind="test",
            subject="Gammel", body_text="x", body_html="<p>x</p>", status="sent", attempts=1,
            dedupe_key=f"old:{n}", message_id_header=f"<old{n}@example.no>",
            created_at=start + timedelta(minutes=n),
        ))
    db.session.commit()
    login(client, "admin@example.no")
    first = html(client.get("/staff/messages/?lang=en"))
    assert len(rows(first)) == 50
    assert "page 1 of 2" in first.select_one("#message-count").get_text()
    older = first.select_one("a[rel=next]")["href"]
    second = html(client.get(older))
    assert [c.get_text(strip=True) for c in second.select("td.recipient")] == [
        "vert2@example.no", "vert1@example.no", "vert0@example.no",
    ]


def test_another_organisations_message_is_not_found(client, outboxes):
    theirs = outboxes["theirs"]
    login(client, "admin@example.no")
    assert client.get(f"/staff/messages/{theirs.id}").status_code == 404
    token = csrf_token(client.get("/staff/messages/"))
    response = client.post(f"/staff/messages/{theirs.id}/retry", data={"csrf_token": token})
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.get(Message, theirs.id).status == "failed"


def test_an_analyst_is_refused_and_sees_no_link(client, outboxes):
    login(client, "analyst@example.no")
    assert client.get("/staff/messages/").status_code == 403
    assert client.get(f"/staff/messages/{outboxes['failed'].id}").status_code == 403
    nav = html(client.get("/staff/?lang=en")).find("nav", attrs={"aria-label": "Staff menu"})
    assert "E-mails" not in nav.get_text()


def test_coordinators_find_the_page_in_the_staff_menu(client, outboxes):
    login(client, "coordinator@example.no")
    nav = html(client.get("/staff/?lang=en")).find("nav", attrs={"aria-label": "Staff menu"})
    link = nav.find("a", string="E-mails")
    assert link["href"] == "/staff/messages/"
    page = html(client.get(link["href"]))
    assert page.find("nav", attrs={"aria-label": "Staff menu"}).select_one(
        "a[aria-current=page]")["href"] == "/staff/messages/"


def test_the_message_page_shows_headers_and_the_text_body_escaped(client, outboxes):
    failed = outboxes["failed"]
    failed.subject = "Hei <script>alert('emne')</script>"
    failed.body_text = "Velkommen!\n<script>alert('tekst')</script>\nhttp://localhost/lenke/abc\n"
    failed.body_html = "<p>Velkommen</p><script>alert('html')</script>"
    db.session.commit()
    login(client, "admin@example.no")
    response = client.get(f"/staff/messages/{failed.id}?lang=en")
    assert response.status_code == 200
    page = html(response)
    assert page.find_all("script") == []
    assert "alert('html')" not in response.get_data(as_text=True)
    assert page.h1.get_text() == "Hei <script>alert('emne')</script>"
    body = page.select_one("pre#message-body")
    assert body.get_text() == failed.body_text
    headers = {dt.get_text(strip=True): dt.find_next_sibling("dd").get_text(strip=True)
               for dt in page.select("dl.message-headers dt")}
    assert headers["To"] == "borte@example.no"
    assert headers["Status"] == "Failed"
    assert headers["Attempts"] == "6"
    assert headers["Last error"] == ERROR
    assert headers["Language"] == "Nynorsk"
    assert page.select_one("main form button").get_text(strip=True) == "Try again"


def test_without_an_smtp_server_the_pages_say_the_emails_are_kept_here(app, client, outboxes):
    login(client, "admin@example.no")
    page = html(client.get("/staff/messages/?lang=en"))
    assert "E-mails are not sent" in page.select_one("#development-mode").get_text()
    sent = outboxes["sent"][0]
    message_page = html(client.get(f"/staff/messages/{sent.id}?lang=en"))
    assert "not sent, only kept here" in message_page.select_one("#development-mode").get_text()
    # What the message says (a password link, an invitation) can be read in the app.
    db.session.expire_all()
    kept = db.session.get(Message, sent.id)
    assert message_page.h1.get_text() == kept.subject
    assert message_page.select_one("#message-body").get_text() == kept.body_text != ""

    app.config["SMTP_HOST"] = "smtp.example.no"
    page = html(client.get("/staff/messages/?lang=en"))
    assert page.select_one("#development-mode") is None
