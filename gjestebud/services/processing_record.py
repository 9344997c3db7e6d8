"""The record of processing (docs/record-of-processing.yaml): the privacy page's only source."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

RECORD_PATH = Path(__file__).resolve().parents[2] / "docs" / "record-of-processing.yaml"
FIELDS = ("data", "purpose", "legal_basis", "retention", "access")
_PLACEHOLDER = re.compile(r"\{([A-Z_]+)\}")


@dataclass(frozen=True)
class Processing:
    """One processing activity, in one language, with the installation's figures filled in."""

    id: str
    name: str
    data: str
    purpose: str
    legal_basis: str
    retention: str
    access: str


@functools.cache
def load_record(path: Path = RECORD_PATH) -> dict:
    """The parsed record (read once per process; it ships with the code)."""
    with open(path, encoding="utf-8") as handle:
        return yaml.safe_load(handle)


def record_settings(record: dict | None = None) -> dict[str, int]:
    """The retention figures the record states."""
    return dict((record or load_record())["settings"])


def fill(text: str, config) -> str:
    """Replace {SETTING} with the figure this installation uses (unknown names stay as they are)."""
    return _PLACEHOLDER.sub(lambda m: str(config.get(m.group(1), m.group(0))), text)


def _pick(texts: dict, lang: str) -> str:
    return texts.get(lang) or texts.get("nb") or next(iter(texts.values()), "")


def controller_text(lang: str, record: dict | None = None) -> str:
    """Who is responsible for the processing, in a language."""
    return _pick((record or load_record())["controller"], lang)


def processing_activities(lang: str, config, record: dict | None = None) -> list[Processing]:
    """Every processing activity in a language, with the configured figures."""
    record = record or load_record()
    return [
        Processing(
            id=item["id"],
            name=_pick(item["name"], lang),
            **{name: fill(_pick(item[name], lang), config) for name in FIELDS},
        )
        for item in record["processing"]
    ]
