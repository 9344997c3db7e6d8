"""The e-mail outbox in a real browser, on a phone and a desktop: axe on the list and a message,
and "Try again" on a failed message works by clicking."""

from __future__ import annotations

import pytest

from gjestebud.extensions import db
from gjestebud.services import outbox
from tests.browser.conftest import assert_no_axe_violations, staff_log_in
from tests.conftest import make_org, make_user

COORDINATOR = "koordinator@example.no"


@pytest.fixture
def failed_id(live_app):
    """An organisation with a coordinator, two delivered messages and one that failed."""
    with live_app.app_context():
        org = make_org()
        make_user(org, email=COORDINATOR, role="coordinator")
        db.session.commit()
        ids = []
        for recipient in ("ola@example.no", "kari.nordmann.med.langt.navn@example.no",
                          "borte@example.no"):
            message = outbox.queue_test_message(recipient, "nb")
            message.organisation_id = org.id
            db.session.commit()
            ids.append(message.id)
        failed = db.session.get(type(message), ids[-1])
        failed.status, failed.attempts, failed.next_attempt_at = "failed", 6, None
        failed.last_error = "550 5.1.1 Mailbox unavailable: <address>"
        db.session.commit()
        return failed.id


def log_in(page, base_url):
    staff_log_in(page, base_url, COORDINATOR)


@pytest.mark.parametrize("context_name", ["desktop", "phone"])
def test_the_outbox_list_and_a_message_pass_axe_and_try_again_works(
    live_server, failed_id, request, context_name
):
    page = request.getfixturevalue(context_name).new_page()
    log_in(page, live_server.url)
    page.goto(live_server.url + "/staff/messages/")
    assert page.locator("#count-failed .count").inner_text() == "1"
    row = page.locator(f"#message-{failed_id}")
    assert row.locator(".message-status-failed").is_visible()
    assert_no_axe_violations(page)
    # The page itself does not scroll sideways on a phone: only the table's own region does.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"]

    row.locator("a").click()
    page.wait_for_url(f"**/staff/messages/{failed_id}")
    assert page.locator("#message-body").is_visible()
    assert_no_axe_violations(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    page.locator("main form.retry-form button").click()
    page.wait_for_url(f"**/staff/messages/{failed_id}")
    assert page.locator(".flashes .flash-success").is_visible()
    assert page.locator("#message-status .message-status-failed").count() == 0
    assert_no_axe_violations(page)
