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
