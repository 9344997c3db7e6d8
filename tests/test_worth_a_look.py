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
