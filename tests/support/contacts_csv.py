"""Helpers to drive the contact CSV import through the test client."""

from __future__ import annotations

import io
import re

from flask.testing import FlaskClient
from werkzeug.test import TestResponse


def upload(client: FlaskClient, data: bytes, filename: str = "contacts.csv") -> str:
    """Upload `data`; returns the columns page URL (the import token is in it)."""
    response = client.post(
        "/contacts/import",
        data={"file": (io.BytesIO(data), filename)},
        content_type="multipart/form-data",
    )
    assert response.status_code == 302, response.get_data(as_text=True)
    return response.headers["Location"]


def preselected(page: str) -> dict[str, str]:
    """The column chosen in each select of the columns page ("" when none is)."""
    chosen = {}
    for name, options in re.findall(
        r'<select[^>]*name="column_(\w+)"[^>]*>(.*?)</select>', page, re.S
    ):
        found = re.search(r'<option selected value="(\d*)"', options)
        chosen[name] = found.group(1) if found else ""
    return chosen


def choose_columns(
    client: FlaskClient,
    columns_url: str,
    on_duplicate: str = "merge",
    encoding: str = "utf-8",
    **fields: int,
) -> TestResponse:
    """Post the mapping form: the page's own guesses, overridden by `fields`."""
    form = preselected(client.get(columns_url).get_data(as_text=True))
    form = {f"column_{name}": value for name, value in form.items()}
    form.update({f"column_{name}": str(index) for name, index in fields.items()})
    form.update(encoding=encoding, on_duplicate=on_duplicate)
    return client.post(columns_url, data=form)
