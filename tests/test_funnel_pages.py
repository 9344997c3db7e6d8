"""The follow-up page with many hosts: 50 a list page, and a contact form only when asked for."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from gjestebud.services import invitations as inv
from tests.conftest import html
from tests.coordination_helpers import staff_path


def add_hosts(db, campaign, n: int, *, invited: int) -> list:
    """n hosts (newest first on the page), the first `invited` of them invited by letter."""
    invitations = inv.add_hosts(campaign, [
        inv.HostData(name=f"Vert {k:03d}", email=f"vert{k}@example.no", phone="912 34 567",
                     place_id=campaign.places[k % 3].id)
        for k in range(n)
    ])
    for invitation in invitations[:invited]:
        inv.mark_letter_given(invitation)
    db.session.commit()
    return invitations


def names(page, position: str) -> list[str]:
    return [h.get_text(strip=True) for h in page.select(f"#position-{position} .host-card h4")]


def pager_links(page, position: str) -> dict[str, str]:
    nav = page.select_one(f"#position-{position} nav.pager")
    return {a.get_text(" ", strip=True): a["href"] for a in nav.select("a")}


def query(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


def test_a_long_list_comes_50_hosts_a_page(staff, campaign, db):
    add_hosts(db, campaign, 123, invited=120)  # 120 waiting for an answer, 3 not sent
    page = html(staff.get(staff_path(campaign, "funnel") + "?lang=en"))
    waiting = names(page, "waiting")
    assert len(waiting) == 50 and waiting[0] == "Vert 119" and waiting[-1] == "Vert 070"
    heading = page.select_one("#position-waiting h3").get_text(" ", strip=True)
    assert heading == "Invited, no answer yet (120)"
    assert page.select_one("#position-waiting .list-range").get_text() == "Hosts 1–50 of 120"
    nav = page.select_one("#position-waiting nav.pager")
    assert nav["aria-label"] == "Pages of the list “Invited, no answer yet”"
    assert nav.select_one("[aria-current=page]").get_text() == "Page 1"
    links = pager_links(page, "waiting")
    assert set(links) == {"Page 1", "Page 2", "Page 3", "Next hosts"}
    # A short list has no pager.
    assert names(page, "not_sent") == ["Vert 122", "Vert 121", "Vert 120"]
    assert page.select_one("#position-not_sent nav.pager") is None

    page = html(staff.get(links["Next hosts"]))
    assert names(page, "waiting")[0] == "Vert 069"
    assert page.select_one("#position-waiting .list-range").get_text() == "Hosts 51–100 of 120"
    page = html(staff.get(pager_links(page, "waiting")["Page 3"]))
    assert names(page, "waiting") == [f"Vert {k:03d}" for k in range(19, -1, -1)]
    assert set(pager_links(page, "waiting")) == {"Previous hosts", "Page 1", "Page 2", "Page 3"}
    assert pager_links(page, "waiting")["Page 3"].endswith("#position-waiting")


def test_paging_one_list_keeps_the_page_of_another(staff, campaign, db):
    add_hosts(db, campaign, 180, invited=120)  # 120 waiting, 60 not sent
    url = staff_path(campaign, "funnel") + "?lang=en&page-not_sent=2"
    page = html(staff.get(url))
    assert len(names(page, "not_sent")) == 10
    href = pager_links(page, "waiting")["Page 2"]
    assert query(href)["page-not_sent"] == ["2"] and query(href)["page-waiting"] == ["2"]
    page = html(staff.get(href))
    assert len(names(page, "not_sent")) == 10 and names(page, "waiting")[0] == "Vert 069"


def test_odd_page_numbers_give_the_nearest_page(staff, campaign, db):
    add_hosts(db, campaign, 60, invited=60)
    base = staff_path(campaign, "funnel") + "?lang=en"
    last = html(staff.get(base + "&page-waiting=99"))
    assert len(names(last, "waiting")) == 10
    for odd in ("0", "-3", "abc", "1.5"):
        response = staff.get(base + f"&page-waiting={odd}")
        assert response.status_code == 200
        assert names(html(response), "waiting")[0] == "Vert 059"


def test_500_hosts_make_a_small_page_with_no_contact_forms(staff, campaign, db):
    add_hosts(db, campaign, 500, invited=400)
    response = staff.get(staff_path(campaign, "funnel") + "?lang=en")
    body = response.get_data()
    assert len(body) < 150_000  # a contact form for every host made it over 1 MB
    page = html(response)
    assert len(page.select(".host-card")) == 100
    assert page.select(".host-card form") == []
    assert len(page.select("a.contact-link")) == 100
    # one reminder button per host waiting for an answer, all in one form outside the cards
    assert len(page.select(".host-card button[form=remind-form]")) == 50


def test_the_contact_form_opens_on_the_hosts_page_and_returns_there(staff, campaign, db):
    invitations = add_hosts(db, campaign, 120, invited=120)
    host = invitations[30]  # "Vert 030": on page 2 of the waiting list (newest first)
    page = html(staff.get(staff_path(campaign, "funnel") + "?lang=en&page-waiting=2"))
    link = page.select_one(f"#host-{host.id} a.contact-link")
    assert query(link["href"]) == {"page-waiting": ["2"], "contact": [str(host.id)]}
    assert link["href"].endswith(f"#host-{host.id}")

    opened = html(staff.get(link["href"]))
    form = opened.select_one(f"#host-{host.id} details.contact-form[open] form")
    assert len(opened.select(".host-card form")) == 1
    assert query(form["action"]) == {"page-waiting": ["2"]}
    cancel = form.find("a", string="Cancel")
    assert "contact" not in query(cancel["href"])

    prefix = f"c{host.id}"
    token = form.select_one(f"input[name={prefix}-csrf_token]")["value"]
    bad = staff.post(form["action"], data={
        f"{prefix}-csrf_token": token, f"{prefix}-method": "phone", f"{prefix}-note": "x" * 501})
    assert bad.status_code == 400
    again = html(bad)
    assert again.select_one(f"#host-{host.id} input#{prefix}-note")["value"] == "x" * 501
    assert names(again, "waiting")[0] == "Vert 069"  # still page 2

    saved = staff.post(form["action"], data={f"{prefix}-csrf_token": token,
                                             f"{prefix}-method": "phone", f"{prefix}-note": "Ok"})
    assert saved.status_code == 303
    page = html(staff.get(saved.headers["Location"]))
    card = page.select_one(f"#host-{host.id}")
    assert card is not None and card.select_one("form") is None
    assert "Phone call – Ok" in card.select_one(".contact-log").get_text()


def test_a_contact_link_for_a_host_on_another_page_opens_that_page(staff, campaign, db):
    invitations = add_hosts(db, campaign, 120, invited=120)
    host = invitations[5]  # page 3 of the waiting list
    url = staff_path(campaign, "funnel") + f"?lang=en&contact={host.id}"
    page = html(staff.get(url))
    assert page.select_one(f"#host-{host.id} details.contact-form[open] form") is not None
    assert page.select_one("#position-waiting .list-range").get_text() == "Hosts 101–120 of 120"
    # An unknown id opens nothing and breaks nothing.
    page = html(staff.get(staff_path(campaign, "funnel") + "?contact=999999"))
    assert page.select(".host-card form") == []
