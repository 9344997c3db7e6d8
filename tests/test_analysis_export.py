"""Exports of the analysed notes (CSV, XLSX) and the theme summary, as an analyst downloads them."""
# ruff: noqa: F811 - the fixtures shared with test_analyst are imported and then requested

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import load_workbook

from gjestebud.extensions import db
from gjestebud.services import analysis_export, spreadsheets
from gjestebud.services import themes as svc
from tests.test_analyst import analysed, logged_in, notes  # noqa: F401


def read_csv(response) -> list[dict]:
    """A plain CSV download: commas, UTF-8 without a byte order mark, one charset."""
    body = response.get_data(as_text=True)
    assert not body.startswith("\ufeff")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(body)))


def test_csv_for_excel_has_semicolons_and_a_byte_order_mark(analysed, campaign):
    for path in ("notes", "themes"):
        url = f"/analyst/campaigns/{campaign.id}/export/{path}.csv"
        excel = analysed.get(url + "?for=excel")
        body = excel.get_data(as_text=True)
        assert body.startswith("\ufeff") and body.split("\r\n")[0].count(";") >= 3
        assert excel.headers["Content-Disposition"].endswith('-excel.csv"')
        rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff")), delimiter=";"))
        plain = list(csv.reader(io.StringIO(analysed.get(url).get_data(as_text=True))))
        assert rows == plain  # the same cells, only the separator differs


@pytest.fixture
def hidden_note(analysed, campaign, notes):
    svc.hide_notes(campaign, [notes["Mer gaming for ungdom"]])
    db.session.commit()
    return notes["Mer gaming for ungdom"]


def test_notes_csv_has_every_visible_note_with_its_theme_and_masked_text(analysed, campaign,
                                                                          notes, hidden_note):
    response = analysed.get(f"/analyst/campaigns/{campaign.id}/export/notes.csv")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    rows = read_csv(response)
    assert list(rows[0]) == list(analysis_export.NOTES_HEADER)
    assert len(rows) == len(notes) - 1
    assert f"n{hidden_note}" not in {r["id"] for r in rows}
    by_id = {r["id"]: r for r in rows}
    gaming = by_id[f"n{notes['Gaming kveld med venner']}"]
    assert "gaming" in gaming["theme"].casefold()
    assert (gaming["place"], gaming["target_group"], gaming["question"]) == (
        "Svelvik", "barn og unge", "q3")
    phone = by_id[f"n{notes['Ring meg på 912 34 567 om bussen']}"]
    assert "912" not in phone["text"] and "[telefon]" in phone["text"]
    mail = by_id[f"n{notes['Skriv til meg: ola@example.no om leserom']}"]
    assert "ola@example.no" not in mail["text"] and "[e-post]" in mail["text"]
    assert "ola@example.no" not in response.get_data(as_text=True)  # nor the host's address


def test_notes_xlsx_opens_with_the_same_rows_and_a_theme_sheet(analysed, campaign, notes,
                                                               hidden_note):
    response = analysed.get(f"/analyst/campaigns/{campaign.id}/export/notes.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.data), read_only=True)
    assert book.sheetnames == ["notes", "themes"]
    rows = list(book["notes"].values)
    assert rows[0] == analysis_export.NOTES_HEADER
    assert len(rows) == len(notes)  # header + every note but the hidden one
    texts = [r[-1] for r in rows[1:]]
    assert "Gaming kveld med venner" in texts
    assert not any("912 34 567" in t for t in texts)
    themes = list(book["themes"].values)
    assert themes[0][:3] == ("theme", "size", "share_percent")


def test_theme_summary_csv_gives_size_keywords_and_share_per_place(analysed, campaign, notes):
    rows = read_csv(analysed.get(f"/analyst/campaigns/{campaign.id}/export/themes.csv"))
    assert {"share_percent Askim", "share_percent Mysen", "share_percent Svelvik"} <= set(rows[0])
    gaming = next(r for r in rows if "gaming" in r["theme"].casefold())
    assert int(gaming["size"]) >= 10 and gaming["keywords"]
    assert float(gaming["share_percent Svelvik"]) > 50.0
    assert float(gaming["share_percent Askim"]) == 0.0
    assert sum(int(r["size"]) for r in rows) <= len(notes)


def test_spreadsheet_formulas_in_notes_are_defused():
    assert spreadsheets.safe_cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
    assert spreadsheets.safe_cell("+47 sier hei") == "'+47 sier hei"
    assert spreadsheets.safe_cell("- mer buss") == "'- mer buss"
    assert spreadsheets.safe_cell(12) == 12
