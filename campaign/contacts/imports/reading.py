"""Turning uploaded bytes into numbered CSV records, or into a clear reason why not.

Decoding is strict: a file that is not valid in the chosen encoding is refused with the line
of the first bad byte, rather than imported as mojibake. Records carry the physical line on
which they start, so errors point at the line a spreadsheet or editor shows.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass

ENCODINGS = {
    "utf-8": "UTF-8 (also with a byte-order mark)",
    "windows-1252": "Windows-1252 (Excel on Windows, Western Europe)",
    "iso-8859-1": "ISO-8859-1 (Latin-1)",
    "mac_roman": "Mac Roman (old Excel on macOS)",
    "utf-16": "UTF-16 (Excel “Unicode text”)",
}
MAX_RECORD_CHARS = 32_768


class FileProblem(ValueError):
    """The file as a whole cannot be read; nothing from it is imported."""


@dataclass(frozen=True, slots=True)
class Record:
    line: int
    cells: list[str]
    error: str = ""


def decode(data: bytes, encoding: str | None = None) -> str:
    """The file's text; raises FileProblem naming the line of the first undecodable byte."""
    if encoding is None:
        is_utf16 = data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
        encoding = "utf-16" if is_utf16 else "utf-8"
    if encoding not in ENCODINGS:
        raise FileProblem(f"Unknown encoding “{encoding}”.")
    codec = "utf-8-sig" if encoding == "utf-8" else encoding
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FileProblem(
            f"The file is not valid {encoding.upper()}: byte 0x{data[error.start]:02x} on line "
            f"{line} cannot be read. Save it from your spreadsheet as “CSV UTF-8”, or choose the "
            "encoding it was saved in."
        ) from error
    if "\x00" in text:
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise FileProblem(
            f"Line {line} contains NUL characters: the file is not {encoding.upper()} text. "
            "If it was saved as “Unicode text” choose UTF-16; otherwise it is not a CSV file."
        )
    return text


def sniff_delimiter(text: str) -> str:
    """Comma, semicolon (European Excel) or tab, whichever the header line uses most."""
    first = text.split("\n", 1)[0]
    return max(",;\t", key=first.count) if any(c in first for c in ",;\t") else ","


def records(text: str) -> Iterator[Record]:
    """Every non-blank record with its starting line; unreadable lines come with an error.

    The csv module refuses a field over `csv.field_size_limit()` characters (a 1 MB line, a
    binary file); such a line becomes an error record and reading goes on with the next line.
    """
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sniff_delimiter(text))
    previous_end = 0
    while True:
        start = previous_end + 1
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            yield Record(start, [], _describe_csv_error(error))
            previous_end = reader.line_num
            continue
        previous_end = reader.line_num
        if not any(cell.strip() for cell in cells):
            continue
        if sum(map(len, cells)) > MAX_RECORD_CHARS:
            yield Record(start, [], f"line is longer than {MAX_RECORD_CHARS:,} characters")
            continue
        yield Record(start, cells)


def _describe_csv_error(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field is longer than {csv.field_size_limit():,} characters"
    return f"cannot be read as CSV ({error})"


def header_and_rows(text: str) -> tuple[list[str], Iterator[Record]]:
    """The header record's column names and an iterator over the records after it."""
    rows = records(text)
    first = next(rows, None)
    if first is None:
        raise FileProblem("The file is empty: there is no header line.")
    if first.error:
        raise FileProblem(f"The header on line {first.line} cannot be read: {first.error}.")
    names = [cell.strip() or f"Column {i}" for i, cell in enumerate(first.cells, start=1)]
    return names, rows
