"""A guest at the table: notes are sent, survive a lost connection; the page is light."""

from __future__ import annotations

import time

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from gjestebud.extensions import db as _db
from gjestebud.models import Note
from tests.browser.conftest import assert_no_axe_violations
from tests.conftest import make_campaign, make_meal, make_org

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def guest_url(live_app, live_server) -> str:
    with live_app.app_context():
        campaign = make_campaign(make_org())
        meal, _host_token = make_meal(campaign)
        token = meal.public_token
    return f"{live_server.url}/m/{token}"


def stored_texts(live_app) -> list[str]:
    with live_app.app_context():
        return list(_db.session.scalars(sa.select(Note.text).order_by(Note.id)))


def wait_for_stored(live_app, count: int, timeout: float = 10.0) -> list[str]:
    deadline = time.monotonic() + timeout
    while True:
        texts = stored_texts(live_app)
        if len(texts) >= count or time.monotonic() > deadline:
            return texts
        time.sleep(0.1)


def drafts_in_storage(page) -> list[str]:
    return page.evaluate(
        "() => Object.keys(localStorage).map(k => localStorage.getItem(k))"
    )


def write_note(pad, text: str) -> None:
    pad.get_by_label("Your note", exact=True).fill(text)
    pad.get_by_role("button", name="Send note").click()


def test_notes_survive_a_lost_connection_and_leave_nothing_on_the_phone(live_app, guest_url, phone):
    page = phone.new_page()
    page.goto(guest_url + "?lang=en")
    pad = page.locator("#question-1")
    area = pad.get_by_label("Your note", exact=True)
    area.fill("Hei")
    expect(pad.locator(".counter")).to_have_text("277 characters left")

    for text in ("Parken ved elva", "Biblioteket på lørdager", "Badeplassen"):
        write_note(pad, text)
        expect(pad.locator("li", has_text=text).locator(".note-status")).to_have_text("Sent")
    assert stored_texts(live_app) == ["Parken ved elva", "Biblioteket på lørdager", "Badeplassen"]
    expect(area).to_have_value("")

    phone.set_offline(True)
    write_note(pad, "Benker langs turstien")
    queued = pad.locator("li.queued", has_text="Benker langs turstien")
    expect(queued.locator(".note-status")).to_have_text(
        "Waiting for connection – will be sent automatically"
    )
    status = pad.locator(".pad-status")
    assert status.get_attribute("role") == "status"
    expect(status).to_contain_text("will be sent automatically")
    assert any("Benker langs turstien" in d for d in drafts_in_storage(page))
    assert len(stored_texts(live_app)) == 3

    phone.set_offline(False)
    fourth = pad.locator("li", has_text="Benker langs turstien").locator(".note-status")
    expect(fourth).to_have_text("Sent", timeout=20_000)
    texts = wait_for_stored(live_app, 4)
    assert sorted(texts) == sorted(
        ["Parken ved elva", "Biblioteket på lørdager", "Badeplassen", "Benker langs turstien"]
    )
    assert drafts_in_storage(page) == []

    # The page lists the four notes as sent after a reload, from the server alone.
    page.reload()
    expect(pad.locator("li .note-status")).to_have_count(4)
    expect(pad.locator("li.queued")).to_have_count(0)


def test_a_draft_written_offline_is_sent_when_the_page_is_opened_again(
    live_app, guest_url, phone
):
    page = phone.new_page()
    page.goto(guest_url + "?lang=en&q=2")
    phone.set_offline(True)
    write_note(page.locator("#question-2"), "Leksehjelp i biblioteket")
    expect(page.locator("li.queued")).to_have_count(1)
    page.close()  # the phone goes back in the pocket before the connection returns
    assert stored_texts(live_app) == []

    phone.set_offline(False)
    page = phone.new_page()
    page.goto(guest_url + "?lang=en")
    expect(page.locator("#question-2 li .note-status")).to_have_text("Sent", timeout=20_000)
    assert wait_for_stored(live_app, 1) == ["Leksehjelp i biblioteket"]
    assert drafts_in_storage(page) == []


def test_page_works_without_javascript(live_app, guest_url, browser):
    context = browser.new_context(java_script_enabled=False, viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(guest_url + "?lang=en")
        pad = page.locator("#question-3")
        write_note(pad, "En møteplass for ungdom")
        page.wait_for_url("**#question-3")
        expect(pad.locator("li")).to_have_text("Sent" + "En møteplass for ungdom")
        expect(pad.locator("[role=status]")).to_contain_text("Sent. Thank you!")
        assert stored_texts(live_app) == ["En møteplass for ungdom"]

        write_note(pad, "")
        expect(pad.locator(".error-message")).to_have_text(
            "Write something on the note before you send it."
        )
        assert stored_texts(live_app) == ["En møteplass for ungdom"]
    finally:
        context.close()


@pytest.mark.parametrize("device", ["phone", "desktop"])
def test_guest_page_passes_axe_with_a_sent_note_and_with_an_error(
    live_app, guest_url, request, device
):
    context = request.getfixturevalue(device)
    page = context.new_page()
    page.goto(guest_url)
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_no_axe_violations(page)

    pad = page.locator("#question-1")
    pad.locator("textarea").fill("Kafeen på torget")
    pad.locator("button[type=submit]").click()
    expect(pad.locator("li:not(.queued)")).to_have_count(1)
    assert_no_axe_violations(page)

    # Post the form the way a browser without JavaScript does: the server shows its message.
    pad.locator("textarea").fill("x" * 10)
    page.locator("#question-2 form").evaluate("form => form.submit()")
    page.wait_for_load_state()
    expect(page.locator("#note-2-error")).to_be_visible()
    assert_no_axe_violations(page)


def test_first_load_fits_the_budget(guest_url, live_server, phone):
    page = phone.new_page()
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    page.goto(guest_url, wait_until="networkidle")

    network = [r for r in finished if not r.url.startswith("data:")]
    sizes = [(r.url, r.sizes()) for r in network]
    total = sum(s["responseBodySize"] + s["responseHeadersSize"] for _url, s in sizes)
    print(f"\nguest page first load: {len(network)} requests, {total} B ({total / 1024:.1f} KB)")
    for url, s in sizes:
        print(f"  {s['responseBodySize'] + s['responseHeadersSize']:>6} B  {url}")
    assert len(network) <= 6
    assert total <= 30 * 1024
    assert all(r.url.startswith(live_server.url + "/") for r in network)
    # Readable at 360 px: nothing wider than the screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_a_note_stored_but_not_acknowledged_is_listed_once(live_app, guest_url, phone):
    """The server stored the note, but the phone never heard back (the answer was lost): the
    draft is still on the phone when the page is opened again. It is listed once, as sent."""
    page = phone.new_page()
    page.goto(guest_url + "?lang=en")
    pad = page.locator("#question-1")
    write_note(pad, "Lekeplassen i parken")
    expect(pad.locator("li .note-status")).to_have_text("Sent")
    key = pad.locator("li").get_attribute("data-key")
    page.reload()
    assert pad.locator("li").get_attribute("data-key") == key  # the server's item has the key
    # Put the draft back, as if the answer had never arrived.
    page.evaluate("""([key, q]) => {
        const k = Object.keys(localStorage).find(n => n.startsWith('gjestebud-drafts-'))
            || 'gjestebud-drafts-' + document.getElementById('guest').dataset.meal;
        localStorage.setItem(k, JSON.stringify([{key, q, text: 'Lekeplassen i parken'}]));
    }""", [key, pad.locator("input[name=question_id]").get_attribute("value")])
    page.reload()
    expect(pad.locator("li .note-status")).to_have_text("Sent", timeout=20_000)
    expect(pad.locator("li")).to_have_count(1)
    assert stored_texts(live_app) == ["Lekeplassen i parken"]
    assert drafts_in_storage(page) == []


def test_a_note_written_offline_says_it_waits_not_that_it_is_sending(guest_url, phone):
    page = phone.new_page()
    page.goto(guest_url + "?lang=en")
    phone.set_offline(True)
    # Every text the note's status shows, however briefly.
    page.evaluate("""() => {
        window.seen = [];
        new MutationObserver(() => document.querySelectorAll('.note-status')
            .forEach(s => window.seen.push(s.textContent)))
            .observe(document.getElementById('guest'),
                     {subtree: true, childList: true, characterData: true});
    }""")
    pad = page.locator("#question-1")
    write_note(pad, "Flere benker")
    status = pad.locator("li.queued .note-status")
    expect(status).to_have_text("Waiting for connection – will be sent automatically")
    page.wait_for_timeout(500)
    assert not [s for s in page.evaluate("window.seen") if s.startswith("Sending")]
    phone.set_offline(False)
