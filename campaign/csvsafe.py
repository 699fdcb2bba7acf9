"""CSV export that spreadsheets cannot turn into formulas (CSV/formula injection).

A cell starting with =, +, -, @, tab or carriage return is prefixed with an apostrophe, as
OWASP recommends; spreadsheets then show it as text. Every CSV download is a `csv_response`
(security_headers marks text/csv `no-store`, as it holds personal data).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from flask import Response

DANGEROUS_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralize(value: Any) -> str:
    """One cell, made inert if a spreadsheet would evaluate it."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(DANGEROUS_PREFIXES) else text


def csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """A whole CSV document with every cell neutralized."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow([neutralize(cell) for cell in header])
    writer.writerows([neutralize(cell) for cell in row] for row in rows)
    return buffer.getvalue()


def csv_response(body: str | bytes, filename: str) -> Response:
    """A CSV document (made by `csv_text`) as a download named `filename`."""
    disposition = f'attachment; filename="{filename}"'
    return Response(body, mimetype="text/csv", headers={"Content-Disposition": disposition})


def read_rows(
    content: bytes, columns: Sequence[str], required: str, max_rows: int, error: type[Exception]
) -> list[tuple[int, dict[str, str]]]:
    """(line number, {column: stripped text}) for each non-blank row of an uploaded CSV.

    UTF-8 with or without a byte-order mark; header names are matched case-insensitively
    and unknown columns ignored. A file that cannot be read as a whole raises `error`.
    """
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        raise error(f"The file is not UTF-8 text (byte {problem.start}).") from problem
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip().lower() for name in reader.fieldnames or []]
    if required not in header:
        raise error(f"The first line must name the columns, including “{required}”.")
    reader.fieldnames = header
    rows: list[tuple[int, dict[str, str]]] = []
    for row in reader:
        if len(rows) >= max_rows:
            raise error(f"The file has more than {max_rows:,} rows.")
        values = {k: (v or "").strip() for k, v in row.items() if k in columns}
        if any(values.values()):
            rows.append((reader.line_num, values))
    return rows
