"""CSRF protection for the public sign-on form that also works inside a partner's iframe.

Flask-WTF keeps its CSRF secret in the session cookie, which browsers do not send (or even
store) for a page framed by another site under SameSite=Lax. The public form therefore
carries its own signed, expiring token instead: it proves the submission comes from a form
this server rendered recently, without needing a cookie. Staff forms keep Flask-WTF's
session-bound tokens.
"""

from __future__ import annotations

from typing import Any

from flask import current_app
from wtforms import ValidationError
from wtforms.csrf.core import CSRF

from campaign.tokens import TokenExpired, TokenInvalid, make_token, read_token

PURPOSE = "signon-form"


class SignedCSRF(CSRF):
    def generate_csrf_token(self, csrf_token_field: Any) -> str:
        return make_token(PURPOSE, "form")

    def validate_csrf_token(self, form: Any, field: Any) -> None:
        max_age = current_app.config["SIGNON_FORM_MAX_AGE"]
        try:
            read_token(PURPOSE, field.data or "", max_age=max_age)
        except TokenExpired as error:
            raise ValidationError("The form expired; please submit it again.") from error
        except TokenInvalid as error:
            raise ValidationError("The form's security token is missing or invalid.") from error
