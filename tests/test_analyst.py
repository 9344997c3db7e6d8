"""The analyst workspace in the browser's place: run, read, filter, edit, undo, isolation."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from gjestebud.extensions import db
from gjestebud.models import Campaign, Note, NoteTheme, Theme
from gjestebud.services import theme_library
from tests.analyst_data import seed_notes
from tests.conftest import TEST_PASSWORD, csrf_token, html, make_campaign, make_org, make_user

EN = {"Accept-Language": "en"}


def login(client, email):
    page = client.get("/staff/login?lang=en")
    response = client.post("/staff/login?lang=en", data={
        "csrf_token": csrf_token(page), "email": email, "password": TEST_PASSWORD})
    assert response.status_code == 303


def text(node) -> str:
    return " ".join(node.get_text(" ").split())


def post_form(client, page, form_selector: str, extra: dict | None = None, **kwargs):
    """Submit a form of a rendered page the way a browser would (hidden fields included)."""
    form = html(page).select_one(form_selector)
    assert form is not None, f"no form {form_selector}"
    data = {i["name"]: i.get("value", "") for i in form.find_all("input")
            if i.get("name") and i.get("type") not in ("checkbox", "submit")}
    data.update(extra or {})
    data = {k: v for k, v in data.items() if v is not None}  # None: a field left out
    return client.post(form["action"], data=data, **kwargs)


@pytest.fixture
def notes(campaign):
    return seed_notes(campaign)


@pytest.fixture
def logged_in(client, analyst):
    login(client, analyst.email)
    return client


@pytest.fixture
def analysed(logged_in, campaign, notes):
    page = logged_in.get(f"/analyst/campaigns/{campaign.id}?lang=en")
    response = post_form(logged_in, page, f"form[action$='/campaigns/{campaign.id}/runs']")
    assert response.status_code == 303
    status = logged_in.get(response.headers["Location"])
    assert "The analysis is done" in text(html(status).find(id="run-announce"))
    return logged_in


def workspace(client, campaign, query=""):
    response = client.get(f"/analyst/campaigns/{campaign.id}{query}")
    assert response.status_code == 200
    return response


def theme_links(page) -> dict[str, str]:
    return {text(a): a["href"] for a in html(page).select(".theme-card h3 a")}


def theme_id_of(note_id: int) -> int | None:
    return db.session.scalar(sa.select(NoteTheme.theme_id).where(NoteTheme.note_id == note_id))


# --- access --------------------------------------------------------------------------------

def test_only_analysts_and_admins_reach_the_workspace(client, org, campaign):
    assert client.get(f"/analyst/campaigns/{campaign.id}").status_code == 302
    make_user(org, email="koord@example.no", role="coordinator")
    make_user(org, email="admin@example.no", role="admin")
    db.session.commit()
    login(client, "koord@example.no")
    assert client.get(f"/analyst/campaigns/{campaign.id}").status_code == 403
    client.post("/staff/logout", data={"csrf_token": csrf_token(client.get("/staff/"))})
    login(client, "admin@example.no")
    assert client.get(f"/analyst/campaigns/{campaign.id}").status_code == 200
    staff_page = html(client.get(f"/staff/campaigns/{campaign.id}?lang=en"))
    assert staff_page.find("a", href=f"/analyst/campaigns/{campaign.id}")


def test_another_organisations_ids_are_404_everywhere(analysed, campaign, notes):
    other_org = make_org("Drammen kommune", "drammen")
    other = make_campaign(other_org)
    db.session.commit()
    theme_id = theme_id_of(notes["Gaming kveld med venner"])
    note_id = notes["Gaming kveld med venner"]
    for url in (f"/analyst/campaigns/{other.id}", f"/analyst/campaigns/{other.id}/unassigned",
                f"/analyst/campaigns/{other.id}/themes/{theme_id}",
                f"/analyst/campaigns/{other.id}/runs/1",
                f"/analyst/campaigns/{other.id}/runs/1/status.json",
                f"/analyst/campaigns/{other.id}/wordclouds/all.png",
                f"/analyst/campaigns/{other.id}/export/notes.csv",
                f"/analyst/campaigns/{other.id}/export/notes.xlsx",
                f"/analyst/campaigns/{other.id}/export/themes.csv"):
        assert analysed.get(url).status_code == 404, url
    token = csrf_token(analysed.get(f"/analyst/campaigns/{campaign.id}"))
    for url, data in ((f"/analyst/campaigns/{other.id}/themes/{theme_id}/rename",
                       {"rename-label": "x"}),
                      (f"/analyst/campaigns/{other.id}/undo", {}),
                      (f"/analyst/campaigns/{other.id}/themes/0/notes", {"note_ids": note_id})):
        assert analysed.post(url, data={"csrf_token": token, **data}).status_code == 404, url
    # Another organisation's analyst sees none of ours.
    make_user(other_org, email="drammen@example.no", role="analyst")
    db.session.commit()
    analysed.post("/staff/logout", data={"csrf_token": token})
    login(analysed, "drammen@example.no")
    assert analysed.get(f"/analyst/campaigns/{campaign.id}").status_code == 404
    assert analysed.get(f"/analyst/campaigns/{campaign.id}/themes/{theme_id}").status_code == 404
    assert analysed.get(f"/analyst/library/from-campaign/{campaign.id}/themes/{theme_id}")\
        .status_code in (404, 405)


# --- runs ----------------------------------------------------------------------------------

def test_running_an_analysis_shows_progress_and_done(logged_in, campaign, notes):
    page = workspace(logged_in, campaign, "?lang=en")
    assert "have not been analysed yet" in text(html(page).find(id="run-heading").parent)
    response = post_form(logged_in, page, f"form[action$='/campaigns/{campaign.id}/runs']")
    status_page = logged_in.get(response.headers["Location"])
    soup = html(status_page)
    assert soup.find("progress")["value"] == "100"
    assert soup.find(id="run-announce")["aria-live"] == "polite"
    assert soup.find(id="run-done-link").get("hidden") is None
    status = logged_in.get(response.headers["Location"] + "/status.json").get_json()
    assert status["done"] and status["progress"] == 100


# --- the workspace -------------------------------------------------------------------------

def test_workspace_lists_themes_with_quotes_heatmap_and_findings(analysed, campaign):
    soup = html(workspace(analysed, campaign, "?lang=en"))
    labels = [text(a).casefold() for a in soup.select(".theme-card h3 a")]
    assert any("gaming" in label for label in labels)
    card = next(c for c in soup.select(".theme-card") if "gaming" in text(c.h3).casefold())
    assert re.search(r"\d+ notes", text(card.h3))
    assert card.select(".quote")  # quotes from the theme
    table = soup.find("table", class_="heatmap")
    assert table.caption and "more common" in text(table.caption)
    headers = [text(th) for th in table.thead.find_all("th")]
    assert headers[1:] == ["Askim", "Mysen", "Svelvik"]
    gaming_row = next(tr for tr in table.tbody.find_all("tr") if "gaming" in text(tr.th).casefold())
    svelvik = gaming_row.find_all("td")[2]
    assert re.match(r"\d+\.\d×", text(svelvik))  # the number itself, not just a colour
    assert "lift-" in " ".join(svelvik["class"]) and "distinctive" in svelvik["class"]
    findings = [text(li) for li in soup.select(".findings li")]
    assert any(re.fullmatch(r"Gaming og e-sport: \d\.\d× more common in Svelvik than elsewhere", f)
               for f in findings), findings


def test_findings_use_the_languages_decimal_comma(analysed, campaign):

    soup = html(workspace(analysed, campaign, "?lang=nb"))
    assert soup.html["lang"] == "nb"
    assert any(re.search(r"\d,\d×", text(li)) for li in soup.select(".findings li"))


def test_filters_narrow_the_themes(analysed, campaign):
    everything = html(workspace(analysed, campaign, "?lang=en"))
    askim_id = next(o["value"] for o in everything.select("select[name=place] option")
                    if text(o) == "Askim")
    askim = html(workspace(analysed, campaign, f"?lang=en&place={askim_id}"))
    labels = [text(a).casefold() for a in askim.select(".theme-card h3 a")]
    assert labels and not any("gaming" in label for label in labels)
    assert askim.select_one("select[name=place] option[selected]")["value"] == askim_id
    count = int(re.search(r"(\d+) notes shown", text(askim.find(id="theme-count"))).group(1))
    assert count == 13  # Askim's notes in the test data
    # A nonsense filter value does not break the page.
    assert analysed.get(f"/analyst/campaigns/{campaign.id}?place=abc").status_code == 200


def test_theme_page_shows_notes_in_context_with_personal_data_masked(analysed, campaign, notes):
    theme_id = theme_id_of(notes["Ring meg på 912 34 567 om bussen"])
    page = analysed.get(f"/analyst/campaigns/{campaign.id}/themes/{theme_id}?lang=en")
    soup = html(page)
    assert "912 34 567" not in page.get_data(as_text=True)
    item = next(li for li in soup.select(".note-list li") if "Ring meg" in text(li))
    assert "[telefon]" in text(item)
    context = text(item.select_one(".note-context"))
    assert "Askim" in context and "pensjonister" in context
    assert "q3:" in context  # the question, with its text
    assert soup.find("img", alt=re.compile("Word cloud"))
    assert soup.select(".top-words li")


def test_rename_merge_move_split_hide_pin_and_undo_through_the_pages(analysed, campaign, notes):
    gaming_id = theme_id_of(notes["Gaming kveld med venner"])
    base = f"/analyst/campaigns/{campaign.id}"
    page = analysed.get(f"{base}/themes/{gaming_id}?lang=en")
    response = post_form(analysed, page, "form[action$='/rename']", {"rename-label": "Dataspill"})
    assert response.status_code == 303
    soup = html(analysed.get(response.headers["Location"]))
    assert text(soup.h1) == "Dataspill"
    assert "Dataspill" in theme_links(workspace(analysed, campaign))

    # Merge the bus theme into the walking theme.
    bus_id = theme_id_of(notes["Bussen går for sjelden"])
    walk_id = theme_id_of(notes["Turstiene i skogen"])
    page = analysed.get(f"{base}/themes/{bus_id}")
    response = post_form(analysed, page, "form[action$='/merge']", {"target": walk_id})
    assert response.headers["Location"].endswith(f"/themes/{walk_id}")
    assert theme_id_of(notes["Bussen går for sjelden"]) == walk_id
    assert analysed.get(f"{base}/themes/{bus_id}").status_code == 404

    # Move one note into the gaming theme.
    note_id = notes["Turstiene i skogen"]
    page = analysed.get(f"{base}/themes/{theme_id_of(note_id)}")
    response = post_form(analysed, page, "form.notes-form",
                         {"note_ids": note_id, "target": gaming_id, "action": "move"})
    assert response.status_code == 303 and theme_id_of(note_id) == gaming_id

    # Split two notes into a new theme.
    split_ids = [notes["LAN-party med gaming i helgene"], notes["Gaming på fredager"]]
    page = analysed.get(f"{base}/themes/{gaming_id}")
    post_form(analysed, page, "form.notes-form",
              {"note_ids": split_ids, "new_label": "Spillkvelder", "action": "split"})
    new_theme = db.session.scalar(sa.select(Theme).where(Theme.label == "Spillkvelder"))
    assert {theme_id_of(i) for i in split_ids} == {new_theme.id}

    # Pin a quote: it is listed first on the workspace.
    page = analysed.get(f"{base}/themes/{gaming_id}")
    pin = html(page).select_one(f"button[name=note_id][value='{note_id}']")
    response = analysed.post(pin["formaction"], data={"csrf_token": csrf_token(page),
                                                      "note_id": note_id})
    assert response.status_code == 303
    card = next(c for c in html(workspace(analysed, campaign)).select(".theme-card")
                if "Dataspill" in text(c.h3))
    assert "Turstiene i skogen" in text(card.select_one(".quote"))

    # Hide a note: it leaves the workspace.
    hidden = notes["Mer gaming for ungdom"]
    post_form(analysed, page, "form.notes-form", {"note_ids": hidden, "action": "hide"})
    assert db.session.get(Note, hidden).hidden
    assert "Mer gaming for ungdom" not in analysed.get(f"{base}/themes/{gaming_id}")\
        .get_data(as_text=True)

    # Undo, newest first: the hide, then the pin.
    ws = workspace(analysed, campaign, "?lang=en")
    assert "Undo: hid 1 note" in text(html(ws).select_one("form[action$='/undo'] button"))
    post_form(analysed, ws, "form[action$='/undo']")
    db.session.expire_all()
    assert not db.session.get(Note, hidden).hidden
    ws = workspace(analysed, campaign, "?lang=en")
    assert "pinned a quote" in text(html(ws).select_one("form[action$='/undo'] button"))


def test_bad_edits_show_a_message_and_keep_the_typed_text(analysed, campaign, notes):
    gaming_id = theme_id_of(notes["Gaming kveld med venner"])
    walk_label = db.session.get(Theme, theme_id_of(notes["Turstiene i skogen"])).label
    page = analysed.get(f"/analyst/campaigns/{campaign.id}/themes/{gaming_id}?lang=en")
    response = post_form(analysed, page, "form[action$='/rename']",
                         {"rename-label": walk_label.upper()})
    assert response.status_code == 400
    soup = html(response)
    assert "already has this name" in text(soup.find(class_="error-summary"))
    assert soup.find("input", attrs={"name": "rename-label"})["value"] == walk_label.upper()
    response = post_form(analysed, page, "form.notes-form", {"action": "move", "target": 0})
    assert response.status_code == 400
    assert "Select at least one note" in text(html(response).find(class_="error-summary"))


def test_create_a_theme_and_file_notes_from_no_theme(analysed, campaign, notes):
    ws = workspace(analysed, campaign, "?lang=en")
    response = post_form(analysed, ws, "form[action$='/themes']", {"create-label": "Annet"})
    assert response.status_code == 303
    created = db.session.scalar(sa.select(Theme).where(Theme.label == "Annet"))
    unassigned = analysed.get(f"/analyst/campaigns/{campaign.id}/unassigned")
    note_id = notes["vet ikke"]
    assert html(unassigned).find("input", attrs={"value": str(note_id)})
    post_form(analysed, unassigned, "form.notes-form",
              {"note_ids": note_id, "target": created.id, "action": "move"})
    assert theme_id_of(note_id) == created.id


def test_word_clouds_are_pngs_with_word_lists(analysed, campaign):
    page = html(analysed.get(f"/analyst/campaigns/{campaign.id}/wordclouds?lang=en"))
    figures = page.select("figure.wordcloud")
    assert len(figures) >= 1 + 3 + 3  # all, per question, per place
    for figure in figures:
        assert figure.img["alt"].startswith("Word cloud. The most used words:")
        assert figure.select(".top-words li")
    src = figures[0].img["src"]
    first = analysed.get(src)
    assert first.status_code == 200 and first.mimetype == "image/png"
    assert first.data.startswith(b"\x89PNG")
    assert analysed.get(src).data == first.data  # cached
    assert analysed.get(f"/analyst/campaigns/{campaign.id}/wordclouds/nope.png").status_code == 404


def test_re_running_keeps_edits_made_on_the_pages(analysed, campaign, notes):
    gaming_id = theme_id_of(notes["Gaming kveld med venner"])
    page = analysed.get(f"/analyst/campaigns/{campaign.id}/themes/{gaming_id}")
    post_form(analysed, page, "form[action$='/rename']", {"rename-label": "Dataspill"})
    ws = workspace(analysed, campaign)
    post_form(analysed, ws, f"form[action$='/campaigns/{campaign.id}/runs']")
    db.session.expire_all()
    assert db.session.get(Theme, gaming_id).label == "Dataspill"
    assert theme_id_of(notes["Gaming kveld med venner"]) == gaming_id


# --- the theme library ---------------------------------------------------------------------

def test_library_add_rename_delete_and_save_from_workspace(analysed, campaign, notes):
    page = analysed.get("/analyst/library/?lang=en")
    assert not html(page).select(".library h2")  # nothing is put there for the organisation
    assert "The library is empty" in text(html(page).main)
    # With an empty library the workspace offers no choice.
    assert not html(workspace(analysed, campaign)).find("input", attrs={"name": "use_library"})
    response = post_form(analysed, page, "form[action$='/analyst/library/']",
                         {"new-label": "Hundeliv", "new-description": "Hunder og hundeparker",
                          "new-examples": "Hundepark\nFlere hundeposer"})
    assert response.status_code == 303
    page = analysed.get("/analyst/library/?lang=en")
    assert "Hundeliv" in [text(h) for h in html(page).select(".library h2")]
    edit_url = next(a["href"] for a in html(page).select(".library a")
                    if "Hundeliv" in text(a))
    edit = analysed.get(edit_url)
    assert html(edit).find("textarea", attrs={"name": "examples"}).get_text().strip().startswith(
        "Hundepark")
    post_form(analysed, edit, "form.card", {"label": "Hunder", "description": "",
                                            "examples": "Hundepark"})
    page = analysed.get("/analyst/library/?lang=en")
    labels = [text(h) for h in html(page).select(".library h2")]
    assert "Hunder" in labels and "Hundeliv" not in labels
    delete = next(f for f in html(page).select(".library form")
                  if "Hunder" in text(f))
    analysed.post(delete["action"], data={"csrf_token": csrf_token(page)})
    page = analysed.get("/analyst/library/?lang=en")
    assert "Hunder" not in [text(h) for h in html(page).select(".library h2")]

    gaming_id = theme_id_of(notes["Gaming kveld med venner"])
    theme_page = analysed.get(f"/analyst/campaigns/{campaign.id}/themes/{gaming_id}")
    gaming_label = db.session.get(Theme, gaming_id).label
    post_form(analysed, theme_page, "form[action*='/analyst/library/from-campaign/']")
    post_form(analysed, theme_page, "form[action*='/analyst/library/from-campaign/']")
    page = analysed.get("/analyst/library/?lang=en")
    assert [text(h) for h in html(page).select(".library h2")] == [gaming_label]


def test_the_workspace_offers_the_library_and_remembers_the_choice(analysed, campaign, org):
    theme_library.add_theme(org.id, "Kollektivtrafikk", "Buss og tog",
                            ["Flere bussavganger", "Bussen går sjelden", "Buss til sentrum"])
    db.session.commit()
    ws = workspace(analysed, campaign, "?lang=en")
    box = html(ws).find("input", attrs={"name": "use_library"})
    assert box is not None and not box.has_attr("checked")
    assert "The library has 1 theme." in text(html(ws).find(id="library-hint"))
    post_form(analysed, ws, f"form[action$='/campaigns/{campaign.id}/runs']",
              {"use_library": "y"})
    db.session.expire_all()
    assert db.session.get(Campaign, campaign.id).use_theme_library
    assert "Kollektivtrafikk" in theme_links(workspace(analysed, campaign))
    ws = workspace(analysed, campaign, "?lang=en")
    assert html(ws).find("input", attrs={"name": "use_library"}).has_attr("checked")
    # Unticked (a browser then sends no value), the next run goes without it.
    post_form(analysed, ws, f"form[action$='/campaigns/{campaign.id}/runs']",
              {"use_library": None})
    db.session.expire_all()
    assert not db.session.get(Campaign, campaign.id).use_theme_library
    assert "Kollektivtrafikk" not in theme_links(workspace(analysed, campaign))
