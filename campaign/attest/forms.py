"""The public verification form."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import SubmitField, TextAreaField
from wtforms.validators import Length, Optional

MAX_PASTE = 2_000_000


class VerifyForm(FlaskForm):
    """A receipt, root or PDF to check; either uploaded or pasted.

    No CSRF token: checking changes nothing on the server and must work for anyone, from
    any page or script, like a calculator.
    """

    class Meta:
        csrf = False

    file = FileField("A receipt, a signed root or a delivered PDF")
    text = TextAreaField(
        "…or paste a receipt or root (JSON)", validators=[Optional(), Length(max=MAX_PASTE)]
    )
    submit = SubmitField("Check")

    def given(self) -> bytes | None:
        """The bytes to check, or None when nothing was given."""
        if self.file.data and getattr(self.file.data, "filename", ""):
            return self.file.data.read()
        text = (self.text.data or "").strip()
        return text.encode() if text else None
