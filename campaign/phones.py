"""Phone numbers: parsed with phonenumbers, stored in E.164, shown in national format."""

from __future__ import annotations

import phonenumbers


class PhoneError(ValueError):
    """The text is not a valid phone number."""


def normalize_phone(text: str, region: str = "US") -> str:
    """E.164 form of `text` (a number without a country code is read as `region`'s)."""
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as error:
        raise PhoneError(f"“{text}” is not a phone number.") from error
    if not phonenumbers.is_valid_number(number):
        raise PhoneError(f"“{text}” is not a valid phone number.")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str, region: str = "US") -> str:
    """National format for numbers of `region`, international format for the rest."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return e164
    if phonenumbers.region_code_for_number(number) == region:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
