"""CSV and XLSX files for spreadsheet programs: safe cells, UTF-8 that Excel reads, shares."""

from __future__ import annotations

import csv
import io

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A spreadsheet treats these first characters as the start of a formula (OWASP's list, with
# the full-width forms that some spreadsheet programs also accept).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def safe_cell(value):
    """Text that a spreadsheet shows as text, never runs as a formula: a leading apostrophe."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def safe_row(row) -> list:
    """Every cell of a row made safe."""
    return [safe_cell(v) for v in row]


def percent(part: int, whole: int) -> float:
    """`part` as a percentage of `whole`, one decimal; 0 when there is no whole."""
    return round(100.0 * part / whole, 1) if whole else 0.0


def csv_text(header, rows, *, excel: bool = False) -> str:
    """A CSV file of safe cells: plain (commas, UTF-8) for other programs, or for Excel as
    Norwegian Excel opens it with a double click: semicolons, and a byte order mark so that it
    reads the file as UTF-8 (æ, ø, å)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";" if excel else ",", lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" if excel else "") + out.getvalue()


def wants_excel(args) -> bool:
    """A download asked for as "CSV for Excel" (?for=excel)."""
    return args.get("for") == "excel"


def workbook():
    """A new write-only workbook (fast, and small in memory for big tables)."""
    from openpyxl import Workbook

    return Workbook(write_only=True)


def add_sheet(book, name: str, header, rows) -> None:
    """A sheet of safe cells under a header row."""
    sheet = book.create_sheet(name)
    sheet.append(safe_row(header))
    for row in rows:
        sheet.append(safe_row(row))


def xlsx_bytes(book) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
