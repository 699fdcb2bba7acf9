"""`flask import-contacts FILE` through the CLI runner: all or nothing, line-numbered errors."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask
from sqlalchemy import select

from campaign.contacts.models import Contact
from campaign.extensions import db


def write_csv(tmp_path: Path, text: str, encoding: str = "utf-8") -> str:
    path = tmp_path / "contacts.csv"
    path.write_bytes(text.encode(encoding))
    return str(path)


def contacts(app: Flask) -> list[tuple[str, str, str]]:
    with app.app_context():
        rows = db.session.execute(
            select(Contact.email, Contact.name, Contact.outlet).order_by(Contact.email)
        )
        return [tuple(row) for row in rows]


def test_errors_are_listed_by_line_and_nothing_is_written(
    app: Flask, runner: Any, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path,
        "name,email,phone\nAna,ana@metro.example,\nBen,ben@,\nCy,cy@harbor.example,999\n",
    )
    result = runner.invoke(args=["import-contacts", path])
    assert result.exit_code == 1
    assert "line 3: invalid email “ben@”" in result.output
    assert "line 4: invalid phone" in result.output
    assert "2 lines have errors; nothing was imported." in result.output
    assert contacts(app) == []
    result = runner.invoke(args=["import-contacts", path, "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert "1 contact created" in result.output
    assert contacts(app) == [("ana@metro.example", "Ana", "")]


def test_on_duplicate_skip_and_merge(app: Flask, runner: Any, tmp_path: Path) -> None:
    runner.invoke(
        args=["import-contacts", write_csv(tmp_path, "name,email\nAna,ana@metro.example\n")]
    )
    update = write_csv(tmp_path, "name,email,outlet\nAna B,ANA@metro.example,Metro Wire\n")
    result = runner.invoke(args=["import-contacts", update, "--on-duplicate", "skip"])
    assert "1 existing skipped" in result.output
    assert contacts(app) == [("ana@metro.example", "Ana", "")]
    result = runner.invoke(args=["import-contacts", update, "--on-duplicate", "merge"])
    assert "1 merged" in result.output
    assert contacts(app) == [("ana@metro.example", "Ana B", "Metro Wire")]


def test_encoding_mapping_and_file_problems(app: Flask, runner: Any, tmp_path: Path) -> None:
    latin = write_csv(tmp_path, "Who,Address\nJosé,jose@diario.example\n", "iso-8859-1")
    result = runner.invoke(args=["import-contacts", latin])
    assert result.exit_code == 1
    assert "not valid UTF-8: byte 0xe9 on line 2" in result.output
    utf16 = tmp_path / "utf16.csv"
    utf16.write_bytes("name,email\nAna,ana@metro.example\n".encode("utf-16-le"))
    result = runner.invoke(args=["import-contacts", str(utf16)])
    assert "Line 1 contains NUL characters" in result.output
    result = runner.invoke(args=["import-contacts", str(utf16), "--encoding", "utf-16"])
    assert "1 contact created" in result.output, "little-endian is the default without a BOM"
    result = runner.invoke(args=["import-contacts", latin, "--encoding", "iso-8859-1"])
    assert "No column is chosen for Name and Email" in result.output
    assert "the file's columns are: Who, Address" in result.output
    result = runner.invoke(
        args=["import-contacts", latin, "--encoding", "iso-8859-1", "--map", "name=Who",
              "--map", "email=Address"]
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert [row[1] for row in contacts(app)] == ["Ana", "José"]
    result = runner.invoke(
        args=["import-contacts", latin, "--encoding", "iso-8859-1", "--map", "email=Nope"]
    )
    assert result.exit_code == 1
    assert "The file has no column “Nope”" in result.output
