"""A list of hosts from CSV: parsed into rows with their problems, then imported in one go.

Nothing is imported until staff have seen the preview; rows with problems are never imported
and are handed back so they can be fixed and checked again.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email

from ..models import Campaign
from . import invitations
from .invitations import HostData

MAX_BYTES = 100_000
MAX_ROWS = 1000
COLUMNS = ("name", "email", "phone", "language", "place", "target_group")

# Spreadsheets made in Norway often have Norwegian headers; accept both.
_ALIASES = {
    "name": "name", "navn": "name", "namn": "name",
    "email": "email", "e-mail": "email", "e-post": "email", "epost": "email",
    "phone": "phone", "telefon": "phone", "mobil": "phone", "tlf": "phone",
    "language": "language", "språk": "language", "sprak": "language",
    "place": "place", "sted": "place", "stad": "place",
    "target_group": "target_group", "target group": "target_group", "målgruppe": "target_group",
    "malgruppe": "target_group", "gruppe": "target_group",
}
_LANGUAGES = {
    "nb": "nb", "bokmål": "nb", "bokmal": "nb", "norsk": "nb", "no": "nb",
    "nn": "nn", "nynorsk": "nn", "en": "en", "english": "en", "engelsk": "en",
}
_PHONE = re.compile(r"^\+?[0-9][0-9 ().-]{4,}$")


class ImportFileError(ValueError):
    """The upload is not a CSV text file we can read (code: too_large, not_text, empty)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass
class RowProblem:
    code: str  # no_name | bad_email | bad_phone | no_contact | bad_language | unknown_place …
    value: str = ""


@dataclass
class ParsedRow:
    line: int
    values: dict[str, str]
    data: HostData | None = None
    problems: list[RowProblem] = field(default_factory=list)
    duplicate: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems and not self.duplicate


@dataclass
class ParsedList:
    rows: list[ParsedRow] = field(default_factory=list)
    missing_name_column: bool = False
    too_many_rows: bool = False

    @property
    def good(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.ok]

    @property
    def bad(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.problems]

    @property
    def duplicates(self) -> list[ParsedRow]:
        return [row for row in self.rows if row.duplicate and not row.problems]


def decode_upload(raw: bytes) -> str:
    """The text of an uploaded CSV file (UTF-8, with or without BOM, or Windows-1252)."""
    if len(raw) > MAX_BYTES:
        raise ImportFileError("too_large")
    if b"\x00" in raw:
        raise ImportFileError("not_text")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    if not text.strip():
        raise ImportFileError("empty")
    return text


def _delimiter(header_line: str) -> str:
    counts = {d: header_line.count(d) for d in (",", ";", "\t")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def parse(text: str, campaign: Campaign) -> ParsedList:
    """Read a CSV list of hosts and check every row against the campaign."""
    result = ParsedList()
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    first = next((line for line in lines if line.strip()), "")
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(first))
    header: list[str | None] | None = None
    places = {p.name.casefold(): p for p in campaign.places}
    groups = {g.name.casefold(): g for g in campaign.target_groups}
    emails, phones = invitations.existing_contacts(campaign)
    for cells in reader:
        if not any(cell.strip() for cell in cells):
            continue
        if header is None:
            header = [_ALIASES.get(cell.strip().casefold()) for cell in cells]
            if "name" not in header:
                result.missing_name_column = True
                return result
            continue
        if len(result.rows) >= MAX_ROWS:
            result.too_many_rows = True
            break
        values = {col: "" for col in COLUMNS}
        for name, cell in zip(header, cells, strict=False):
            if name:
                values[name] = " ".join(cell.split())
        row = _check(ParsedRow(line=reader.line_num, values=values), places, groups,
                     campaign.main_language)
        if row.data is not None and not row.problems:
            row.duplicate = invitations.is_duplicate(row.data, emails, phones)
            # Later rows with the same address count as duplicates of this one.
            if invitations.normalise_email(row.data.email):
                emails.add(invitations.normalise_email(row.data.email))
            elif invitations.normalise_phone(row.data.phone):
                phones.add(invitations.normalise_phone(row.data.phone))
        result.rows.append(row)
    return result


def _check(row: ParsedRow, places: dict, groups: dict, default_language: str) -> ParsedRow:
    v = row.values
    problems = row.problems
    if not v["name"]:
        problems.append(RowProblem("no_name"))
    elif len(v["name"]) > 200:
        problems.append(RowProblem("too_long", v["name"][:40]))
    email = v["email"]
    if email:
        try:
            email = validate_email(email, check_deliverability=False).normalized
        except EmailNotValidError:
            problems.append(RowProblem("bad_email", email))
    if v["phone"] and not _PHONE.match(v["phone"]):
        problems.append(RowProblem("bad_phone", v["phone"]))
    if not v["email"] and not v["phone"]:
        problems.append(RowProblem("no_contact"))
    language = _LANGUAGES.get(v["language"].casefold(), None) if v["language"] else default_language
    if language is None:
        problems.append(RowProblem("bad_language", v["language"]))
    place = places.get(v["place"].casefold()) if v["place"] else None
    if v["place"] and place is None:
        problems.append(RowProblem("unknown_place", v["place"]))
    group = groups.get(v["target_group"].casefold()) if v["target_group"] else None
    if v["target_group"] and group is None:
        problems.append(RowProblem("unknown_group", v["target_group"]))
    if not problems:
        row.data = HostData(
            name=v["name"], email=email or None, phone=v["phone"] or None,
            language=language, place_id=place.id if place else None,
            target_group_id=group.id if group else None,
        )
    return row


@dataclass
class ImportResult:
    added: int
    duplicates: int
    bad: list[ParsedRow]


def import_rows(campaign: Campaign, parsed: ParsedList) -> ImportResult:
    """Add every good row as an invitation; skip duplicates; leave rows with problems out."""
    added = invitations.add_hosts(campaign, [row.data for row in parsed.good])
    return ImportResult(added=len(added), duplicates=len(parsed.duplicates), bad=parsed.bad)


def rows_as_csv(rows: list[ParsedRow]) -> str:
    """Rows written back as CSV with a header, so the ones with problems can be fixed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([row.values[col] for col in COLUMNS])
    return buffer.getvalue()
