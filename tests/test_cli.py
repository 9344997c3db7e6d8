"""The `gjestebud` command line: staff accounts, the demo and the notes export."""

from __future__ import annotations

import csv
import io
import re
from datetime import date
from urllib.parse import urlsplit

from gjestebud.extensions import db
from gjestebud.models import Campaign, Meal, Note, Organisation, User
from gjestebud.services.meals import meal_by_host_token, meal_by_public_token
from tests.conftest import csrf_token, html

STRONG = "korrekt hest batteri"


def run_demo(runner):
    result = runner.invoke(args=["demo"])
    assert result.exit_code == 0, result.output
    return result.output


def printed_password(output: str) -> str:
    return re.search(r"Password:\s+(\S+)", output).group(1)


def printed_urls(output: str, label: str) -> list[str]:
    return re.findall(rf"{label}:\s+(\S+)", output)


def export_rows(runner, *args) -> list[dict]:
    result = runner.invoke(args=["export", "notes", "demo", "--format", "csv", *args])
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


# --- users -----------------------------------------------------------------------------------

def test_users_create_stores_an_argon2_hash_and_creates_the_organisation(runner):
    result = runner.invoke(
        args=["users", "create", "Kari@Example.no", "--org", "indre-ostfold",
              "--org-name", "Indre Østfold kommune", "--name", "Kari", "--role", "admin",
              "--password-stdin"],
        input=STRONG + "\n",
    )
    assert result.exit_code == 0, result.output
    user = db.session.scalar(db.select(User))
    assert user.email == "kari@example.no"
    assert user.role == "admin"
    assert user.password_hash.startswith("$argon2id$")
    assert STRONG not in user.password_hash and STRONG not in result.output
    assert db.session.scalar(db.select(Organisation)).name == "Indre Østfold kommune"


def test_users_create_asks_for_the_password_twice(runner, org):
    result = runner.invoke(
        args=["users", "create", "ola@example.no", "--org", org.slug],
        input=f"{STRONG}\n{STRONG}\n",
    )
    assert result.exit_code == 0, result.output
    assert "Password" in result.output and "Repeat for confirmation" in result.output
    assert STRONG not in result.output  # typed hidden
    assert db.session.scalar(db.select(User)).role == "coordinator"


def test_users_create_refuses_a_short_password(runner, org):
    result = runner.invoke(
        args=["users", "create", "ola@example.no", "--org", org.slug, "--password-stdin"],
        input="kort123\n",
    )
    assert result.exit_code == 1
    assert "at least 12 characters" in result.output
    assert db.session.scalar(db.select(User)) is None


def test_users_create_needs_an_existing_organisation_or_a_name(runner):
    result = runner.invoke(
        args=["users", "create", "ola@example.no", "--org", "finnes-ikke", "--password-stdin"],
        input=STRONG + "\n",
    )
    assert result.exit_code == 1
    assert "--org-name" in result.output
    assert db.session.scalar(db.select(Organisation)) is None


def test_users_create_refuses_a_duplicate_email(runner, org):
    args = ["users", "create", "ola@example.no", "--org", org.slug, "--password-stdin"]
    assert runner.invoke(args=args, input=STRONG + "\n").exit_code == 0
    again = runner.invoke(args=args, input=STRONG + "\n")
    assert again.exit_code == 1
    assert "already exists" in again.output


# --- demo ------------------------------------------------------------------------------------

def test_demo_seeds_an_open_campaign_with_meals_and_notes(runner):
    run_demo(runner)
    campaign = db.session.scalar(db.select(Campaign).where(Campaign.slug == "demo"))
    assert campaign.status == "open"
    assert campaign.organisation.slug == "demo-kommune"
    assert [q.code for q in campaign.questions] == ["q1", "q2", "q3"]
    meals = db.session.scalars(db.select(Meal).where(Meal.campaign_id == campaign.id)).all()
    assert len(meals) >= 5
    assert len({(m.place_id, m.target_group_id) for m in meals}) == len(meals)
    held = [m for m in meals if m.status == "held"]
    assert len(held) == 1 and held[0].guest_count and held[0].summary
    notes = db.session.scalars(db.select(Note)).all()
    assert 40 <= len(notes) <= 60
    assert {"nb", "nn", "en"} <= {n.language for n in notes}
    # Notes only from meals that have taken place; one meal is still to come.
    past = {m.id for m in meals if m.held_on <= date.today()}
    assert {n.meal_id for n in notes} == past and len(past) < len(meals)


def test_demo_password_logs_in(runner, client):
    output = run_demo(runner)
    login_url = re.search(r"URL:\s+(\S+)", output).group(1)
    assert urlsplit(login_url).path == "/staff/login"
    page = client.get("/staff/login")
    response = client.post("/staff/login", data={
        "csrf_token": csrf_token(page), "email": "demo@gjestebud.example",
        "password": printed_password(output),
    })
    assert response.status_code == 303
    listing = html(client.get("/staff/?lang=en"))
    assert listing.find("a", string="Gjestebud: our neighbourhood") is not None


def test_demo_prints_guest_and_host_links_that_work(runner, client):
    output = run_demo(runner)
    guest_urls = printed_urls(output, "Guests")
    host_urls = printed_urls(output, "Host")
    assert len(guest_urls) == len(host_urls) >= 5
    for url in guest_urls:
        parts = urlsplit(url)
        assert parts.scheme == "http" and parts.path.startswith("/m/")
        assert meal_by_public_token(parts.path.removeprefix("/m/")) is not None
        assert client.get(parts.path).status_code == 200
    for url in host_urls:
        path = urlsplit(url).path
        assert meal_by_host_token(path.removeprefix("/h/")) is not None


def test_demo_twice_does_not_duplicate_and_renews_secrets(runner, client):
    first = run_demo(runner)
    counts = [db.session.scalar(db.select(db.func.count()).select_from(model))
              for model in (Campaign, Meal, Note, User, Organisation)]
    second = run_demo(runner)
    assert [db.session.scalar(db.select(db.func.count()).select_from(model))
            for model in (Campaign, Meal, Note, User, Organisation)] == counts
    assert printed_password(first) != printed_password(second)
    assert printed_urls(first, "Guests") == printed_urls(second, "Guests")
    # The old host links stop working; the new ones work.
    old_host, new_host = printed_urls(first, "Host")[0], printed_urls(second, "Host")[0]
    assert old_host != new_host
    assert meal_by_host_token(urlsplit(old_host).path.removeprefix("/h/")) is None
    assert meal_by_host_token(urlsplit(new_host).path.removeprefix("/h/")) is not None
    # The first password no longer logs in.
    page = client.get("/staff/login")
    response = client.post("/staff/login", data={
        "csrf_token": csrf_token(page), "email": "demo@gjestebud.example",
        "password": printed_password(first),
    })
    assert response.status_code == 200


# --- export ----------------------------------------------------------------------------------

def test_export_notes_writes_the_analysis_csv(runner):
    run_demo(runner)
    result = runner.invoke(args=["export", "notes", "demo", "--format", "csv"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "id,text,question,location,target_group,language"
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    notes = {f"n{n.id}": n for n in db.session.scalars(db.select(Note))}
    assert sorted(row["id"] for row in rows) == sorted(notes)
    assert len({row["id"] for row in rows}) == len(rows)
    assert {row["question"] for row in rows} == {"q1", "q2", "q3"}
    for row in rows:
        note = notes[row["id"]]
        assert row["text"] == note.text
        assert row["question"] == note.question.code
        assert row["location"] == note.meal.place.name
        assert row["target_group"] == note.meal.target_group.name
        assert row["language"] == note.language
    svelvik = [r for r in rows if r["location"] == "Svelvik"]
    assert svelvik and {r["target_group"] for r in svelvik} == {"barn og unge"}


def test_export_notes_to_a_file(runner, tmp_path):
    run_demo(runner)
    out = tmp_path / "notes.csv"
    result = runner.invoke(args=["export", "notes", "demo", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0
    assert result.stdout == ""
    with out.open(encoding="utf-8", newline="") as stream:
        from_file = list(csv.DictReader(stream))
    assert from_file == export_rows(runner)
    assert len(from_file) == db.session.scalar(db.select(db.func.count(Note.id)))


def test_export_of_an_unknown_campaign_fails_clearly(runner):
    result = runner.invoke(args=["export", "notes", "finnes-ikke", "--format", "csv"])
    assert result.exit_code == 1
    assert "No campaign with the slug 'finnes-ikke'" in result.output
