"""A host in Chromium: registers a meal on a phone, uses the host pages and prints the posters."""

from __future__ import annotations

import io
import re
import unicodedata
from datetime import date, timedelta

import pytest

from gjestebud.extensions import db
from tests.browser.conftest import assert_no_axe_violations
from tests.conftest import make_campaign, make_meal, make_org


@pytest.fixture
def seeded(live_app):
    """An open campaign and one registered meal: (campaign slug, host token, question texts)."""
    with live_app.app_context():
        campaign = make_campaign(make_org())
        db.session.commit()
        _meal, token = make_meal(campaign)
        questions = [q.text("nb") for q in campaign.questions]
        return campaign.slug, token, questions


def watch_console(page) -> list[str]:
    """Collect console errors, where Chromium reports anything the CSP blocked."""
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text)
            if message.type == "error" else None)
    return errors


def test_host_registers_a_meal_on_a_phone(live_server, phone, seeded):
    slug, _token, _questions = seeded
    page = phone.new_page()
    errors = watch_console(page)
    page.goto(f"{live_server.url}/c/{slug}/register?lang=en")
    assert_no_axe_violations(page)

    # A first try without any contact details: the error is shown and the name kept.
    page.fill("#host_name", "Aisha Vertinne")
    page.click("button[type=submit], input[type=submit]")
    page.wait_for_selector(".error-summary")
    assert "Enter an e-mail address or a phone number" in page.inner_text(".error-summary")
    assert page.input_value("#host_name") == "Aisha Vertinne"
    assert page.get_attribute("#email", "aria-invalid") == "true"
    assert_no_axe_violations(page)

    page.fill("#email", "aisha@example.no")
    page.select_option("#place", label="Mysen")
    page.select_option("#target_group", label="språkkafé")
    page.fill("#held_on", (date.today() + timedelta(days=3)).isoformat())
    page.fill("#expected_guests", "8")
    page.select_option("#language", "en")
    page.click("input[type=submit]")
    page.wait_for_url(re.compile(r"/h/[a-z0-9]+$"))

    assert page.inner_text("h1") == "Your meal"
    assert page.input_value("#private-link") == page.url
    assert page.locator(".qr-grid svg").count() == 4
    # The copy button is an enhancement that appears once the script has run.
    assert page.locator("[data-copy-target]").is_visible()
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 360, f"the host page scrolls sideways at 360 px ({width} px)"
    assert_no_axe_violations(page)
    assert errors == []


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_host_pages_pass_axe(request, live_server, seeded, context_name):
    slug, token, _questions = seeded
    page = request.getfixturevalue(context_name).new_page()
    errors = watch_console(page)
    for path in [
        f"/c/{slug}/register",
        f"/h/{token}",
        f"/h/{token}/close",
        f"/h/{token}/notes",
        f"/h/{token}/posters",
    ]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert_no_axe_violations(page)
    assert page.locator("button[data-print]").is_visible()
    assert errors == [], errors


@pytest.mark.parametrize("context_name", ["phone", "desktop"])
def test_host_forms_with_errors_pass_axe(request, live_server, seeded, context_name):
    slug, token, _questions = seeded
    page = request.getfixturevalue(context_name).new_page()

    page.goto(f"{live_server.url}/c/{slug}/register?lang=en")
    page.fill("#expected_guests", "500")
    page.click("input[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/h/{token}/close")
    page.fill("#guest_count", "999")
    page.click("input[type=submit]")
    page.wait_for_selector(".error-summary")
    assert_no_axe_violations(page)

    page.goto(f"{live_server.url}/h/{token}/notes")
    page.fill("#text", "Et lapp uten spørsmål")
    page.click("input[type=submit]")
    page.wait_for_selector(".error-summary")
    assert page.input_value("#text") == "Et lapp uten spørsmål"
    assert_no_axe_violations(page)


def test_paper_notes_typed_in_the_browser_are_counted_on_the_host_page(live_server, desktop,
                                                                        seeded):
    _slug, token, questions = seeded
    page = desktop.new_page()
    page.goto(f"{live_server.url}/h/{token}/notes?lang=en")
    page.select_option("#question", index=3)
    page.fill("#text", "Et bibliotek på Mysen\n\nMer lys i parken")
    page.click("input[type=submit]")
    page.wait_for_selector(".flash-success")
    assert "2 notes saved for question 3" in page.inner_text(".flashes")
    page.goto(f"{live_server.url}/h/{token}")
    assert page.inner_text("td[data-question='3']") == "2"


def test_posters_print_one_clean_a4_page_each(live_server, desktop, seeded):
    from pypdf import PdfReader

    _slug, token, questions = seeded
    page = desktop.new_page()
    page.goto(f"{live_server.url}/h/{token}/posters")
    pdf = page.pdf(format="A4", print_background=True)

    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == len(questions) + 1
    # NFKC undoes the "fi" ligature the PDF text layer may use.
    texts = [" ".join(unicodedata.normalize("NFKC", p.extract_text()).split())
             for p in reader.pages]
    for question, text in zip(questions, texts, strict=False):
        assert question in text
        assert "/m/" in text and "Gjestebud" not in text  # no site header or footer
    assert all(question in texts[-1] for question in questions)
    for pdf_page in reader.pages:
        width, height = float(pdf_page.mediabox.width), float(pdf_page.mediabox.height)
        # A4 is 210 x 297 mm = 595 x 842 points (Chromium rounds to 8.27 x 11.7 inches).
        assert abs(width - 595) < 2 and abs(height - 842) < 2
