"""How long a 100,000-contact CSV import takes, on SQLite and on PostgreSQL.

Generates a CSV of fictional journalists (names, addresses, US phone numbers, tags), then
times the whole import (decode, parse, validate every email and phone, look up duplicates,
bulk insert, commit) into an empty database. Two baselines are timed in the same run: the
csv module parsing the same file, and a raw executemany of the same rows into the same
table with no validation. `generate_csv` and `time_import` are what bench/distribution.py
imports to report the same figure.

    .venv/bin/python bench/contact_import.py [--rows 100000] [--skip-postgres]
"""

from __future__ import annotations

import argparse
import csv
import io
import random
import tempfile
import time
from pathlib import Path

from flask import Flask
from report import Timing, check, figure  # bench/report.py, beside this script
from scratch import scratch_app, scratch_postgres  # bench/scratch.py
from sqlalchemy import delete, func, insert, select

from campaign.contacts.imports.service import import_contacts, prepare
from campaign.contacts.models import Contact
from campaign.extensions import db

FIRST = [
    "Ana",
    "Ben",
    "Chloé",
    "Dev",
    "Eli",
    "Fatima",
    "Goran",
    "Hana",
    "Ivo",
    "Jun",
    "Kai",
    "Lena",
]
LAST = ["Abara", "Brandt", "Costa", "Dahl", "Eze", "Ferreira", "Grün", "Holm", "Ilić", "Joshi"]
OUTLETS = ["The Daily Ledger", "Metro Wire", "Harbor Radio", "Capitol Dispatch", "Valley Times"]
AREAS = [202, 212, 312, 415, 617, 303, 206, 512, 305, 404]
TAGS = ["climate", "health", "justice", "national", "local", "tv", "radio", "policy"]


def generate_csv(rows: int, seed: int = 2026) -> bytes:
    """A UTF-8 CSV of `rows` distinct, valid, fictional contacts (phones in the 555-01xx range)."""
    rng = random.Random(seed)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["Name", "Email", "Outlet", "Beat", "Phone", "City", "Tags"])
    for number in range(rows):
        first, last = rng.choice(FIRST), rng.choice(LAST)
        writer.writerow(
            [
                f"{first} {last}",
                f"{first.lower()}.{number}@news{number % 97}.example",
                rng.choice(OUTLETS),
                "Reporter",
                f"({AREAS[number // 100 % len(AREAS)]}) 555-01{number % 100:02d}",
                "Springfield",
                ", ".join(rng.sample(TAGS, 2)),
            ]
        )
    return buffer.getvalue().encode()


def time_import(app: Flask, data: bytes) -> float:
    """Seconds for a complete import of `data` into the app's database (contacts emptied first)."""
    with app.app_context():
        _empty_contacts()
        started = time.perf_counter()
        import_contacts(data, filename="bench.csv")
        elapsed = time.perf_counter() - started
        stored = db.session.scalar(select(func.count()).select_from(Contact))
        rows = data.rstrip(b"\n").count(b"\n")  # lines after the header
        check(stored == rows, f"all {rows:,} contacts stored")
        _empty_contacts()
    return elapsed


def time_check(app: Flask, data: bytes) -> float:
    """Seconds to decode and validate every line (the preview step), writing nothing."""
    with app.app_context():
        started = time.perf_counter()
        prepare(data, None, None)
        return time.perf_counter() - started


def time_parse(data: bytes) -> float:
    """Baseline: the csv module alone decoding and splitting the same file."""
    started = time.perf_counter()
    for _ in csv.reader(io.StringIO(data.decode("utf-8"), newline="")):
        pass
    return time.perf_counter() - started


def time_raw_insert(app: Flask, data: bytes) -> float:
    """Baseline: parse, then one executemany of the rows as they are (no validation)."""
    with app.app_context():
        _empty_contacts()
        started = time.perf_counter()
        reader = csv.reader(io.StringIO(data.decode("utf-8"), newline=""))
        next(reader)
        rows = [
            {"name": r[0], "email": r[1], "email_key": r[1], "outlet": r[2], "beat": r[3],
             "phone": r[4], "city": r[5], "tags_text": r[6], "notes": "", "do_not_contact": False}
            for r in reader
        ]  # fmt: skip
        db.session.execute(insert(Contact.__table__), rows)
        db.session.commit()
        elapsed = time.perf_counter() - started
        _empty_contacts()
    return elapsed


def _empty_contacts() -> None:
    db.session.execute(delete(Contact))
    db.session.commit()


def report(label: str, app: Flask, data: bytes, parse: float, rows: int) -> None:
    raw = time_raw_insert(app, data)
    preview = time_check(app, data)
    full = time_import(app, data)
    base = ("csv.reader parse alone", parse)
    figure("contact_import", f"raw executemany, {label}", Timing(raw, raw, raw), "s", *base)
    figure(
        "contact_import", f"import preview, {label}", Timing(preview, preview, preview), "s", *base
    )
    figure(
        "contact_import",
        f"{rows:,}-contact import, {label}",
        Timing(full, full, full),
        "s",
        *base,
        "< 30 s",
        met=full < 30,
    )
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--skip-postgres", action="store_true")
    args = parser.parse_args()
    data = generate_csv(args.rows)
    parse = time_parse(data)
    print(f"{args.rows:,} rows, {len(data) / 1e6:.1f} MB")
    print(f"baseline, csv.reader parse alone:   {parse:6.2f} s")
    with tempfile.TemporaryDirectory() as scratch:
        app = scratch_app(f"sqlite:///{Path(scratch) / 'bench.db'}")
        report("SQLite", app, data, parse, args.rows)
    if not args.skip_postgres:
        with scratch_postgres() as url:
            report("PostgreSQL", scratch_app(url), data, parse, args.rows)


if __name__ == "__main__":
    main()
