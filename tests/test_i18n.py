"""Translations: every text exists in bokmål and nynorsk; the compiled catalogues are current."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.mofile import read_mo
from babel.messages.pofile import read_po

TRANSLATIONS = Path(__file__).resolve().parent.parent / "translations"


def _catalog(lang: str):
    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.po", "rb") as handle:
        return read_po(handle, locale=lang)


def _template_ids() -> set[str]:
    with open(TRANSLATIONS / "messages.pot", "rb") as handle:
        return {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(handle) if m.id}


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_every_text_is_translated(lang):
    catalog = _catalog(lang)
    missing = [
        m.id for m in catalog
        if m.id and (m.fuzzy or not (m.string if isinstance(m.string, str) else all(m.string)))
    ]
    assert missing == [], f"{lang}: {len(missing)} untranslated, e.g. {missing[:5]}"


@pytest.mark.parametrize("lang", ["nb", "nn", "en"])
def test_catalogue_covers_every_text_in_the_code(lang):
    ids = {m.id if isinstance(m.id, str) else m.id[0] for m in _catalog(lang) if m.id}
    assert _template_ids() - ids == set(), "run `make translations`"


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_placeholders_survive_translation(lang):
    import re

    pattern = re.compile(r"%\(\w+\)[sd]")
    for message in _catalog(lang):
        if not message.id or not isinstance(message.id, str) or not message.string:
            continue
        assert sorted(pattern.findall(message.id)) == sorted(pattern.findall(message.string)), \
            message.id


@pytest.mark.parametrize("lang", ["nb", "nn"])
def test_compiled_catalogue_matches_the_po_file(lang):
    def as_key(value):
        return tuple(value) if isinstance(value, (list, tuple)) else value

    with open(TRANSLATIONS / lang / "LC_MESSAGES" / "messages.mo", "rb") as handle:
        compiled = {as_key(m.id): as_key(m.string) for m in read_mo(handle) if m.id}
    source = {as_key(m.id): as_key(m.string) for m in _catalog(lang) if m.id and not m.fuzzy}
    assert compiled == source, "run `make translations` to compile the catalogues"


@pytest.mark.parametrize("lang, one, many", [
    ("nb", "1 lapp", "3 lapper"), ("nn", "1 lapp", "3 lappar"), ("en", "1 note", "3 notes")])
def test_counts_are_said_with_the_right_grammar(app, lang, one, many):
    from flask_babel import force_locale

    from gjestebud.services.report_texts import theme_line

    with app.test_request_context(), force_locale(lang):
        assert theme_line("buss", 1, 0.5).startswith(f"Buss: {one} (")
        assert theme_line("buss", 3, 0.5).startswith(f"Buss: {many} (")


def test_no_text_counts_with_a_bracketed_plural():
    """"1 lapp(er)" is never right: counts go through ngettext."""
    import re
    from pathlib import Path

    from babel.messages.pofile import read_po

    for lang in ("nb", "nn"):
        path = Path(__file__).resolve().parent.parent / "translations" / lang / "LC_MESSAGES"
        with open(path / "messages.po", encoding="utf-8") as fh:
            catalog = read_po(fh)
        for message in catalog:
            strings = message.string if isinstance(message.string, tuple) else (message.string,)
            for text in strings:
                assert not re.search(r"\w\((er|ar|r|s|e)\)", text or ""), (lang, text)
