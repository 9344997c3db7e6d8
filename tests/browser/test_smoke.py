"""The browser harness itself: Chromium loads a page from the app and axe runs on it."""

from tests.browser.conftest import assert_no_axe_violations


def test_error_page_loads_in_chromium_and_passes_axe(live_server, phone):
    page = phone.new_page()
    response = page.goto(live_server.url + "/finnes-ikke")
    assert response.status == 404
    assert page.locator("html").get_attribute("lang") == "nb"
    assert_no_axe_violations(page)
