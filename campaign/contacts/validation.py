"""Cleaning one contact's fields: the same rules for the form, the CSV import and the CLI."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from email_validator import EmailNotValidError, validate_email

from campaign.contacts.tags import parse_tags
from campaign.courier.headers import one_line
from campaign.emailkey import email_key
from campaign.phones import PhoneError, normalize_phone

MAX_LENGTHS = {"name": 200, "outlet": 200, "beat": 200, "city": 120, "notes": 10_000}
TRUE_WORDS = frozenset({"1", "true", "yes", "y", "x", "on"})
FALSE_WORDS = frozenset({"", "0", "false", "no", "n", "off"})


class ContactInvalid(ValueError):
    """Reasons (field, message) why the given values cannot make a contact."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(message for _, message in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class CleanEmail:
    address: str
    key: str


def clean_email(text: str) -> CleanEmail:
    """The normalized address and its lower-case uniqueness key; raises ValueError."""
    text = text.strip()
    if not text:
        raise ValueError("email is missing")
    try:
        address = validate_email(text, check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise ValueError(f"invalid email “{text[:80]}”: {error}") from error
    return CleanEmail(address, email_key(address))


def clean_flag(text: str) -> bool:
    """A yes/no cell from a spreadsheet ("yes", "x", "1", "true" or empty)."""
    word = text.strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ValueError(f"“{text[:20]}” is not yes or no")


def clean_contact(raw: Mapping[str, str], region: str) -> dict[str, Any]:
    """Column values for a Contact from text fields; raises ContactInvalid listing every problem.

    Keys absent from `raw` are absent from the result, so a merge can tell "not given" from
    "given empty".
    """
    problems: list[tuple[str, str]] = []
    values: dict[str, Any] = {}
    for field, limit in MAX_LENGTHS.items():
        if field in raw:
            text = (raw[field] or "").strip()
            if field == "name":
                text = one_line(text)  # the name is the display name in the To header
            if len(text) > limit:
                problems.append((field, f"{field} is longer than {limit:,} characters"))
            values[field] = text
    if "name" in raw and not values.get("name"):
        problems.append(("name", "name is missing"))
    if "email" in raw:
        try:
            email = clean_email(raw["email"] or "")
            values.update(email=email.address, email_key=email.key)
        except ValueError as error:
            problems.append(("email", str(error)))
    _clean_optional(raw, region, values, problems)
    if problems:
        raise ContactInvalid(problems)
    return values


def _clean_optional(
    raw: Mapping[str, str], region: str, values: dict[str, Any], problems: list[tuple[str, str]]
) -> None:
    phone = (raw.get("phone") or "").strip()
    if "phone" in raw:
        try:
            values["phone"] = normalize_phone(phone, region) if phone else ""
        except PhoneError as error:
            problems.append(("phone", f"invalid phone: {error}"))
    if "tags" in raw:
        values["tags"] = parse_tags(raw["tags"])
    if "do_not_contact" in raw:
        try:
            values["do_not_contact"] = clean_flag(raw["do_not_contact"] or "")
        except ValueError as error:
            problems.append(("do_not_contact", f"do-not-contact: {error}"))
