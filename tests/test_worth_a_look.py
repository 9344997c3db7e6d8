"""What the analyst is told to look at by hand: the second tier of findings ("worth a look"),
shown apart from what stands out and never claimed by the report, and notes in languages the
analysis cannot read word by word."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm.attributes import flag_modified

from gjestebud.extensions import db
from gjestebud.models import AnalysisRun
from tests.conftest import html
from tests.report_data import seed_report_campaign, theme_id
from tests.test_analyst import login, text


def _hint_for_mysen_books(campaign) -> None:
    run = db.session.scalar(sa.select(AnalysisRun).where(AnalysisRun.campaign_id == campaign.id))
    cell = run.breakdown["by_location"]["Mysen"][0]
    cell.update({"theme": theme_id("books"), "count": 4, "lift": 2.4, "p_value": 0.31,
                 "distinctive": False, "hint": True})
    flag_modified(run, "breakdown")
    db.session.commit()


def test_a_hint_is_worded_as_one_and_kept_apart_from_what_stands_out(client, analyst, campaign):
    seed_report_campaign(campaign)
    _hint_for_mysen_books(campaign)
    login(client, analyst.email)
    page = html(client.get(f"/analyst/campaigns/{campaign.id}?lang=en"))
    hints = page.select_one("ul.findings-hint")
    assert text(hints) == "Bøker: perhaps more common in Mysen (2.4×, 4 notes)"
    assert "may be chance" in text(page.find(id="hints-explained"))
    clear = page.select("ul.findings:not(.findings-hint) li")
    assert clear and not any("Mysen" in text(li) for li in clear)
    assert "(worth a look)" in text(page.select_one("table.heatmap"))


def test_the_report_does_not_claim_a_hint(client, analyst, campaign):
    seed_report_campaign(campaign)
    _hint_for_mysen_books(campaign)
    login(client, analyst.email)
    url = f"/analyst/campaigns/{campaign.id}/report/preview?language=en&lang=en"
    preview = text(html(client.get(url)))
    assert "more common in Svelvik" in preview
    assert "more common in Mysen" not in preview
    assert "perhaps" not in preview


def test_notes_in_languages_the_analysis_cannot_read_are_listed_last_with_their_language(
    client, analyst, campaign
):
    from gjestebud.models import Meal, NoteTheme
    from gjestebud.services.notes import add_note

    seed_report_campaign(campaign)
    meal = db.session.scalar(sa.select(Meal).where(Meal.campaign_id == campaign.id))
    question = campaign.questions[0]
    for n, (written, lang) in enumerate([("أحب أن المكتبة قريبة من بيتي", "ar"),
                                      ("Люди тут привітні", "uk"),
                                      ("Курси норвезької для дорослих", "uk")]):
        note, _ = add_note(meal, question, written, f"x{n}", max_length=280, language="nb")
        db.session.add(NoteTheme(note_id=note.id, theme_id=None, detected_language=lang))
    db.session.commit()
    login(client, analyst.email)
    page = html(client.get(f"/analyst/campaigns/{campaign.id}/unassigned?lang=en"))
    notice = text(page.find(id="other-languages"))
    assert notice.startswith("3 of these notes are in languages")
    assert "(uk: 2, ar: 1)" in notice
    notes = page.select("ul.note-list .note-text")
    assert [n.get("lang") for n in notes][-3:] == ["ar", "uk", "uk"]
    assert notes[0].get("lang") in ("nb", None)


def test_an_analyst_adds_a_norwegian_rendering_that_the_next_run_reads(
    client, analyst, campaign
):
    from gjestebud.models import Meal, Note, NoteTheme
    from gjestebud.services import analysis_runs
    from gjestebud.services.notes import add_note
    from tests.test_analyst import post_form

    seed_report_campaign(campaign)
    meal = db.session.scalar(sa.select(Meal).where(Meal.campaign_id == campaign.id))
    note, _ = add_note(meal, campaign.questions[0], "Люди тут привітні", "x0", max_length=280,
                       language="nb")
    db.session.add(NoteTheme(note_id=note.id, theme_id=None, detected_language="uk"))
    db.session.commit()
    note_id = note.id
    login(client, analyst.email)
    page = client.get(f"/analyst/campaigns/{campaign.id}/unassigned?lang=en")
    link = next(a for a in html(page).select("ul.note-list a")
                if text(a).startswith("Add a Norwegian rendering"))
    form_page = client.get(link["href"])
    assert html(form_page).select_one("blockquote")["lang"] == "uk"
    # Too long: a clear message, and what was typed is still there.
    typed = "Folk her er vennlige. " * 40
    response = post_form(client, form_page, "form.card", {"rendering": typed})
    assert response.status_code == 400
    assert "at most 560 characters" in text(html(response).find(class_="error-summary"))
    assert html(response).find("textarea").get_text().strip() == typed.strip()
    response = post_form(client, form_page, "form.card",
                         {"rendering": "  Folk her er\nvennlige  "})
    assert response.status_code == 303
    page = html(client.get(response.headers["Location"]))
    assert "Run the analysis again to use it" in text(page)
    shown = next(li for li in page.select("ul.note-list li") if "Люди" in text(li))
    assert text(shown.select_one(".note-rendering")) == "Norwegian rendering: Folk her er vennlige"
    assert "Change the Norwegian rendering" in text(shown)
    # The analysis reads the rendering; the note keeps its own text.
    db.session.expire_all()
    run, _ = analysis_runs.start_run(campaign, None)
    notes = {n["id"]: n for n in analysis_runs.pipeline_input(campaign, run).notes}
    assert notes[f"n{note_id}"]["rendering"] == "Folk her er vennlige"
    assert notes[f"n{note_id}"]["text"] == "Люди тут привітні"
    assert db.session.get(Note, note_id).text == "Люди тут привітні"
    # Empty removes it.
    form_page = client.get(link["href"])
    post_form(client, form_page, "form.card", {"rendering": ""})
    db.session.expire_all()
    assert db.session.get(Note, note_id).rendering is None
    # Another campaign's note is not found.
    assert client.get(f"/analyst/campaigns/{campaign.id}/notes/999999/rendering").status_code == 404


def test_notes_the_analysis_was_not_sure_of_show_its_best_guess(client, analyst, campaign):
    from gjestebud.models import NoteTheme, Theme
    from gjestebud.services.themes import live_themes
    from tests.test_analyst import post_form

    ids = seed_report_campaign(campaign)
    bus = db.session.get(Theme, theme_id("nature"))
    note_id = next(iter(ids.values()))
    row = db.session.scalar(sa.select(NoteTheme).where(NoteTheme.note_id == note_id))
    row.theme_id, row.set_by_analyst, row.guess_theme_id = None, False, bus.id
    db.session.commit()
    login(client, analyst.email)
    page = client.get(f"/analyst/campaigns/{campaign.id}/unassigned?lang=en")
    soup = html(page)
    assert "not sure where these notes belong" in text(soup.find(id="guesses-explained"))
    item = next(li for li in soup.select("ul.note-list li") if li.select_one(".note-guess"))
    assert text(item.select_one(".note-guess a")) == bus.label
    response = post_form(client, page, "form#guess-form", {"note_id": note_id})
    assert response.status_code == 303
    db.session.expire_all()
    row = db.session.scalar(sa.select(NoteTheme).where(NoteTheme.note_id == note_id))
    assert row.theme_id == bus.id and row.set_by_analyst
    assert bus.id in {t.id for t in live_themes(campaign)}
    # Twice, or a stale page: nothing moves, and the analyst is told.
    response = post_form(client, page, "form#guess-form", {"note_id": note_id},
                         follow_redirects=True)
    assert "no longer waiting for a theme" in text(html(response))
