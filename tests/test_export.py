"""The notes export: exact CSV, nothing hidden, nothing from another organisation."""

from __future__ import annotations

import csv
import io

from gjestebud.extensions import db
from gjestebud.services import export as export_service
from gjestebud.services.notes import add_note
from tests.conftest import (
    TEST_PASSWORD,
    csrf_token,
    make_campaign,
    make_meal,
    make_org,
    make_user,
)

TRICKY = 'Bibliotek, kafé og "stille rom"\nog en linje til; med semikolon'


def note(meal, position: int, text: str, key: str, language: str = "nb"):
    question = meal.campaign.questions[position - 1]
    stored, _created = add_note(meal, question, text, key, max_length=1000, language=language)
    db.session.commit()
    return stored


def exported(campaign) -> tuple[str, list[dict]]:
    out = io.StringIO()
    export_service.write_notes_csv(campaign, out)
    return out.getvalue(), list(csv.DictReader(io.StringIO(out.getvalue())))


def login(client, email):
    page = client.get("/staff/login")
    response = client.post("/staff/login", data={
        "csrf_token": csrf_token(page), "email": email, "password": TEST_PASSWORD,
    })
    assert response.status_code == 303


def test_commas_quotes_and_newlines_survive_the_round_trip(campaign, meal):
    written = note(meal, 2, TRICKY, "k1")
    raw, rows = exported(campaign)
    assert rows == [{
        "id": f"n{written.id}", "text": TRICKY, "question": "q2", "location": "Askim",
        "target_group": "pensjonister", "language": "nb",
    }]
    # Quoted once, with doubled inner quotes, as RFC 4180 readers expect.
    assert '"Bibliotek, kafé og ""stille rom""\nog en linje til; med semikolon"' in raw


def test_text_is_exported_as_written_without_masking(campaign, meal):
    text = "Ring meg på 912 34 567 eller skriv til ola@example.no"
    note(meal, 1, text, "k1")
    assert exported(campaign)[1][0]["text"] == text


def test_hidden_notes_are_left_out(campaign, meal):
    kept = note(meal, 1, "Skogen", "k1")
    hidden = note(meal, 1, "Noe støtende", "k2")
    hidden.hidden = True
    db.session.commit()
    _raw, rows = exported(campaign)
    assert [row["id"] for row in rows] == [f"n{kept.id}"]


def test_only_the_campaigns_own_notes_are_exported(org, campaign, meal):
    other_campaign = make_campaign(org, title="En annen kampanje")
    other_meal, _token = make_meal(other_campaign, "Mysen", "språkkafé")
    mine = note(meal, 1, "Min lapp", "k1")
    note(other_meal, 1, "Ikke min lapp", "k2")
    assert [row["id"] for row in exported(campaign)[1]] == [f"n{mine.id}"]


def test_streamed_chunks_make_the_same_file(campaign, meal):
    for n in range(7):
        note(meal, n % 3 + 1, f"Lapp nummer {n}, med komma", f"k{n}")
    raw, _rows = exported(campaign)
    assert "".join(export_service.notes_csv_chunks(campaign, rows_per_chunk=3)) == raw
    assert len(list(export_service.notes_csv_chunks(campaign, rows_per_chunk=3))) == 3


def test_download_gives_staff_their_own_campaign(client, org, campaign, meal):
    make_user(org, email="koordinator@example.no")
    db.session.commit()
    note(meal, 3, TRICKY, "k1")
    login(client, "koordinator@example.no")
    response = client.get(f"/staff/campaigns/{campaign.id}/notes.csv")
    assert response.status_code == 200
    assert response.headers["Content-Disposition"] == (
        f'attachment; filename="notes-{campaign.slug}.csv"'
    )
    assert response.headers["Cache-Control"] == "no-store"
    assert response.get_data(as_text=True) == exported(campaign)[0]


def test_download_of_another_organisations_campaign_is_not_found(client, campaign, meal):
    note(meal, 1, "Hemmelig for andre kommuner", "k1")
    other = make_org("Drammen kommune", "drammen")
    make_user(other, email="drammen@example.no")
    db.session.commit()
    login(client, "drammen@example.no")
    response = client.get(f"/staff/campaigns/{campaign.id}/notes.csv")
    assert response.status_code == 404
    assert "Hemmelig" not in response.get_data(as_text=True)


def test_download_needs_a_login(client, campaign):
    response = client.get(f"/staff/campaigns/{campaign.id}/notes.csv")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/staff/login")
