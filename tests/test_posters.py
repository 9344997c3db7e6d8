"""QR codes and posters: every code encodes exactly its guest link, and the posters say so."""

from __future__ import annotations

import re

import pytest
from bs4 import BeautifulSoup

from gjestebud.services.posters import qr_matrix, qr_svg
from tests.conftest import html, make_meal

MODULE = re.compile(r"M(\d+),(\d+)H")


def dark_modules(svg) -> set[tuple[int, int]]:
    """Read the dark squares back out of the SVG path (one 1x1 square per dark module)."""
    return {(int(x), int(y)) for x, y in MODULE.findall(svg.find("path")["d"])}


def expected_modules(url: str) -> set[tuple[int, int]]:
    return {
        (x, y)
        for y, row in enumerate(qr_matrix(url))
        for x, dark in enumerate(row)
        if dark
    }


def parse_svg(markup) -> BeautifulSoup:
    return BeautifulSoup(str(markup), "html.parser").find("svg")


def test_svg_draws_exactly_the_qr_code_of_its_url():
    url = "http://localhost/m/abcdefghijklmnopqrstuvwxyz?q=2"
    svg = parse_svg(qr_svg(url, "QR"))
    assert dark_modules(svg) == expected_modules(url)
    assert dark_modules(svg) != expected_modules(url.replace("q=2", "q=3"))
    size = len(qr_matrix(url))
    assert svg["viewbox"] == f"0 0 {size} {size}"


def test_svg_is_accessible_and_allowed_by_the_csp():
    svg = parse_svg(qr_svg("http://localhost/m/x", 'Code "one" <for> question 1'))
    assert svg["role"] == "img"
    assert svg["aria-label"] == 'Code "one" <for> question 1'
    assert svg.find("title").get_text() == 'Code "one" <for> question 1'
    # No style attributes (CSP style-src 'self') and no ids (several codes share a page).
    assert not [tag for tag in [svg, *svg.find_all(True)] if tag.has_attr("style")]
    assert not [tag for tag in [svg, *svg.find_all(True)] if tag.has_attr("id")]
    assert "<script" not in str(svg)


@pytest.fixture
def english_meal(campaign, db):
    meal, token = make_meal(campaign)
    meal.language = "en"
    campaign.questions[1].colour = "blue"
    db.session.commit()
    return meal, token


def test_each_poster_shows_its_question_colour_code_and_typed_url(client, campaign,
                                                                  english_meal):
    meal, token = english_meal
    # The host reads the site in bokmål; the posters speak the meal's language.
    page = html(client.get(f"/h/{token}/posters?lang=nb"))
    posters = page.select("section.poster")
    assert len(posters) == len(campaign.questions) + 1

    guest = f"http://localhost/m/{meal.public_token}"
    for question, poster in zip(campaign.questions, posters, strict=False):
        url = f"{guest}?q={question.position}"
        assert poster["lang"] == "en"
        assert poster.h2.get_text() == question.text("en")
        assert poster.select_one(".poster-plain").get_text() == question.plain_text("en")
        assert f"colour-{question.colour}" in poster["class"]
        assert poster.select_one(".poster-url").get_text() == url
        assert dark_modules(poster.find("svg")) == expected_modules(url)
        assert "Scan the code" in poster.get_text()
    assert "colour-blue" in posters[1]["class"]

    card = posters[-1]
    assert card.select_one(".poster-url").get_text() == guest
    assert dark_modules(card.find("svg")) == expected_modules(guest)
    assert [li.get_text() for li in card.select(".poster-list li")] == [
        q.text("en") for q in campaign.questions
    ]


def test_poster_page_has_a_print_button_and_instructions_without_javascript(client,
                                                                            english_meal):
    _meal, token = english_meal
    page = html(client.get(f"/h/{token}/posters?lang=en"))
    button = page.select_one("button[data-print]")
    assert button is not None and button.has_attr("hidden")
    assert "Print command" in page.select_one("#print-help").get_text()
    assert page.find("link", href="/static/css/print.css") is not None
    assert page.find("script", src="/static/js/host.js") is not None
    assert not page.select("[style]")
    assert all(not script.string for script in page.find_all("script"))


def test_unknown_colour_falls_back_to_yellow(client, campaign, db, english_meal):
    _meal, token = english_meal
    campaign.questions[0].colour = "url(evil)"
    db.session.commit()
    poster = html(client.get(f"/h/{token}/posters")).select("section.poster")[0]
    assert "colour-yellow" in poster["class"]
