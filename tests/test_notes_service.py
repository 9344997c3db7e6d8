"""The note service: one note per client key, nothing half-stored, text cleaned."""

from __future__ import annotations

import threading

import pytest
import sqlalchemy as sa

from gjestebud.extensions import db as _db
from gjestebud.models import Meal, Note, Question
from gjestebud.services.notes import NoteError, add_note, clean_text, count_notes, notes_for_keys
from tests.conftest import make_campaign, make_meal, make_org

MAX = 280


def all_notes() -> list[Note]:
    return list(_db.session.scalars(sa.select(Note).order_by(Note.id)))


@pytest.mark.parametrize(
    ("raw", "cleaned"),
    [
        ("  Biblioteket er fint  ", "Biblioteket er fint"),
        ("Linje en\r\nLinje to", "Linje en\nLinje to"),
        ("En\n\n\n\nTo", "En\n\nTo"),
        ("\n\nFørst tomme linjer", "Først tomme linjer"),
        ("Skjult\x00tegn\x07 her", "Skjulttegn her"),
        ("Tab\tbeholdes", "Tab\tbeholdes"),
        ("   \n\t  ", ""),
        ("Emoji 🌳 og æøå", "Emoji 🌳 og æøå"),
    ],
)
def test_clean_text(raw, cleaned):
    assert clean_text(raw) == cleaned


def test_same_client_key_twice_stores_one_note(meal):
    question = meal.campaign.questions[0]
    key = "key-aaaaaaaaaaaaaaaa"
    first, created_first = add_note(meal, question, "Parken", key, max_length=MAX)
    _db.session.commit()
    second, created_second = add_note(
        meal, question, "Parken", "key-aaaaaaaaaaaaaaaa", max_length=MAX
    )
    _db.session.commit()
    assert (created_first, created_second) == (True, False)
    assert first.id == second.id
    assert [n.text for n in all_notes()] == ["Parken"]


def test_different_keys_store_different_notes_and_are_counted(meal):
    q1, q2 = meal.campaign.questions[:2]
    add_note(meal, q1, "Parken", "key-1111111111111111", max_length=MAX, language="nb")
    add_note(meal, q1, "Skogen", "key-2222222222222222", max_length=MAX, language="nb")
    add_note(meal, q2, "Lesesal", "key-3333333333333333", max_length=MAX, language="en")
    _db.session.commit()
    assert count_notes(meal) == {q1.id: 2, q2.id: 1}
    mine = notes_for_keys(meal, ["key-3333333333333333", "key-1111111111111111"])
    assert [n.text for n in mine] == ["Parken", "Lesesal"]
    assert notes_for_keys(meal, []) == []


def test_client_key_is_per_meal(campaign):
    meal_a, _ = make_meal(campaign, "Askim")
    meal_b, _ = make_meal(campaign, "Mysen")
    question = campaign.questions[0]
    add_note(meal_a, question, "Torget", "shared-key-000000000", max_length=MAX)
    add_note(meal_b, question, "Torget", "shared-key-000000000", max_length=MAX)
    _db.session.commit()
    assert len(all_notes()) == 2
    assert notes_for_keys(meal_b, ["shared-key-000000000"])[0].meal_id == meal_b.id


@pytest.mark.parametrize(
    ("text", "key", "code"),
    [
        ("   ", "key-aaaaaaaaaaaaaaaa", "empty"),
        ("x" * (MAX + 1), "key-aaaaaaaaaaaaaaaa", "too_long"),
        ("Fint", "   ", "client_key"),
    ],
)
def test_refused_notes_store_nothing(meal, text, key, code):
    with pytest.raises(NoteError) as refused:
        add_note(meal, meal.campaign.questions[0], text, key, max_length=MAX)
    assert refused.value.code == code
    _db.session.commit()
    assert all_notes() == []


def test_exactly_the_limit_is_accepted_after_trimming(meal):
    text = "  " + "x" * MAX + "\n\n"
    note, created = add_note(meal, meal.campaign.questions[0], text, "key-limit-000000000",
                             max_length=MAX)
    assert created and note.text == "x" * MAX


def test_question_from_another_campaign_is_refused(meal, org):
    other = make_campaign(org, title="Annen kampanje")
    with pytest.raises(NoteError) as refused:
        add_note(meal, other.questions[0], "Fint", "key-aaaaaaaaaaaaaaaa", max_length=MAX)
    assert refused.value.code == "question"


def test_all_or_nothing_a_refused_note_leaves_the_rest_of_the_transaction_alone(meal):
    question = meal.campaign.questions[0]
    add_note(meal, question, "Første", "key-first-000000000", max_length=MAX)
    with pytest.raises(NoteError):
        add_note(meal, question, "x" * 1000, "key-second-00000000", max_length=MAX)
    _db.session.commit()
    assert [n.text for n in all_notes()] == ["Første"]


def test_all_or_nothing_an_uncommitted_note_is_gone_and_can_be_sent_again(meal):
    question = meal.campaign.questions[0]
    add_note(meal, question, "Kanskje", "key-retry-000000000", max_length=MAX)
    _db.session.rollback()  # the request died before its commit: nothing was acknowledged
    assert all_notes() == []
    _note, created = add_note(meal, question, "Kanskje", "key-retry-000000000", max_length=MAX)
    _db.session.commit()
    assert created
    assert [n.text for n in all_notes()] == ["Kanskje"]


def race_same_key(app, meal_id: int, question_id: int) -> list[tuple[int, bool]]:
    """Two requests with the same key pass the existence check together, then both insert."""
    # The hook only synchronises the two threads; the database decides who wins.
    barrier = threading.Barrier(2, timeout=15)

    def wait_for_each_other(_conn, _cursor, statement, *_args):
        if statement.lstrip().upper().startswith("INSERT INTO NOTE"):
            barrier.wait()

    results: list[tuple[int, bool]] = []
    failures: list[BaseException] = []

    def guest(text: str) -> None:
        try:
            with app.app_context():
                meal = _db.session.get(Meal, meal_id)
                question = _db.session.get(Question, question_id)
                note, created = add_note(meal, question, text, "same-key-0123", max_length=MAX)
                _db.session.commit()
                results.append((note.id, created))
                _db.session.remove()
        except BaseException as error:  # reported by the assertion below
            failures.append(error)

    with app.app_context():
        engine = _db.engine
    sa.event.listen(engine, "before_cursor_execute", wait_for_each_other)
    try:
        threads = [threading.Thread(target=guest, args=(t,)) for t in ("Parken", "Parken")]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        sa.event.remove(engine, "before_cursor_execute", wait_for_each_other)
    assert failures == []
    return results


def test_two_simultaneous_requests_with_the_same_key_store_one_note_sqlite(app, meal):
    question_id = meal.campaign.questions[0].id
    results = race_same_key(app, meal.id, question_id)
    assert sorted(created for _id, created in results) == [False, True]
    assert len({note_id for note_id, _created in results}) == 1
    _db.session.expire_all()
    assert len(all_notes()) == 1


@pytest.mark.postgres
def test_two_simultaneous_requests_with_the_same_key_store_one_note_postgres(pg_app):
    org = make_org()
    campaign = make_campaign(org)
    meal, _token = make_meal(campaign)
    results = race_same_key(pg_app, meal.id, campaign.questions[0].id)
    assert sorted(created for _id, created in results) == [False, True]
    assert len({note_id for note_id, _created in results}) == 1
    _db.session.expire_all()
    assert len(all_notes()) == 1
