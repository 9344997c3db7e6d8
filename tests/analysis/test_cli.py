"""`python -m analysis themes …` end to end, in a subprocess, as the web app's CLI users run it."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "analysis", "themes", *args], cwd=ROOT,
                          capture_output=True, text=True, timeout=300)


def _main(*args: str) -> int:
    """The same CLI in this process (spaCy is already loaded here, which keeps tests quick)."""
    from analysis.__main__ import main

    return main(["themes", *args])


@pytest.fixture(scope="module")
def input_rows(notes):
    # Extra columns, including a misleading `theme` column, must be ignored.
    header = ["id", "text", "question", "location", "target_group", "language", "theme",
              "created_at"]
    rows = [[n.id, n.text, n.question, n.location, n.target_group, n.language,
             "gaming" if i % 2 else "bøker", "2024-05-01"] for i, n in enumerate(notes)]
    rows[0][1] = "Gamingrom! Ring 98765432 eller skriv til per@example.no"
    return header, rows


def test_cli_writes_json_and_word_clouds(tmp_path, input_rows, notes):
    header, rows = input_rows
    source = _write_csv(tmp_path / "in.csv", header, rows)
    out, clouds = tmp_path / "out.json", tmp_path / "clouds"
    done = _cli(str(source), "--out", str(out), "--wordclouds", str(clouds), "--seed", "3")
    assert done.returncode == 0, done.stderr
    data = json.loads(out.read_text("utf-8"))
    ids = [i for t in data["themes"] for i in t["note_ids"]] + data["unassigned"]
    assert sorted(ids) == sorted(n.id for n in notes)
    assert "98765432" not in out.read_text("utf-8") and "per@" not in out.read_text("utf-8")
    names = {p.name for p in clouds.iterdir()}
    assert {"all.png", "question-q1.png", "question-q2.png", "location-svelvik.png",
            "location-mysen.png"} <= names
    assert {f"theme-{t['id']}.png" for t in data["themes"]} <= names
    assert all((clouds / n).read_bytes().startswith(b"\x89PNG") for n in names)

    # The same input without the extra columns gives byte-identical output: `theme` is unread.
    plain = _write_csv(tmp_path / "plain.csv", header[:6], [r[:6] for r in rows])
    out2 = tmp_path / "out2.json"
    assert _main(str(plain), "--out", str(out2), "--seed", "3") == 0
    assert out2.read_bytes() == out.read_bytes()


def test_cli_uses_example_labels_exactly(tmp_path, input_rows):
    header, rows = input_rows
    source = _write_csv(tmp_path / "in.csv", header, rows)
    examples = _write_csv(tmp_path / "ex.csv", ["id", "text", "theme"], [
        ["x1", "Flere bussavganger om kvelden", "Buss – kveld & helg"],
        ["x2", "Bussen må gå oftere", "Buss – kveld & helg"],
        ["x3", "Gamingrom med konsoller", "Gaming/e-sport (ungdom)"],
        ["x4", "e-sport turnering", "Gaming/e-sport (ungdom)"],
    ])
    out = tmp_path / "out.json"
    assert _main(str(source), "--out", str(out), "--examples", str(examples)) == 0
    themes = json.loads(out.read_text("utf-8"))["themes"]
    assert [t["label"] for t in themes[:2]] == ["Buss – kveld & helg", "Gaming/e-sport (ungdom)"]
    assert "n001" in themes[1]["note_ids"] and "n009" in themes[0]["note_ids"]


def test_cli_reports_a_missing_column(tmp_path, capsys):
    bad = _write_csv(tmp_path / "bad.csv", ["id", "text"], [["a", "hei"]])
    assert _main(str(bad), "--out", str(tmp_path / "o.json")) == 2
    assert "missing column(s): question, location" in capsys.readouterr().err
    assert not (tmp_path / "o.json").exists()


def test_cli_starts_from_a_library_file_only_when_given_one(tmp_path, input_rows):
    header, rows = input_rows
    source = _write_csv(tmp_path / "in.csv", header, rows)
    library = tmp_path / "library.json"
    library.write_text(json.dumps([{
        "label": "Kollektivtrafikk", "description": "Buss og tog",
        "examples": ["Flere bussavganger", "Bussen går sjelden", "Buss til byen"],
        "keywords": ["buss*"]}]), encoding="utf-8")
    labels = {}
    for name, extra in (("plain", []), ("library", ["--library", str(library)]),
                        ("ignored", ["--library", str(library), "--no-library"])):
        assert _main(str(source), "--out", str(tmp_path / f"{name}.json"), *extra) == 0
        data = json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
        labels[name] = {t["label"]: set(t["note_ids"]) for t in data["themes"]}
    assert {"n009", "n010", "n011", "n012"} <= labels["library"]["Kollektivtrafikk"]
    assert "Kollektivtrafikk" not in labels["plain"] and labels["ignored"] == labels["plain"]


@pytest.mark.parametrize("content, message", [
    ("{not json", "library.json"), ('{"label": "x"}', "expected a JSON list"),
    ('[{"description": "no label"}]', "theme 1 has no label"),
    ('[{"label": "x", "examples": "not a list"}]', "must be lists of text"),
])
def test_a_bad_library_file_is_a_clear_error(tmp_path, input_rows, content, message, capsys):
    header, rows = input_rows
    source = _write_csv(tmp_path / "in.csv", header, rows)
    (tmp_path / "library.json").write_text(content, encoding="utf-8")
    code = _main(str(source), "--out", str(tmp_path / "out.json"),
                 "--library", str(tmp_path / "library.json"))
    assert code == 2 and message in capsys.readouterr().err
    assert not (tmp_path / "out.json").exists()
