"""Reading a form that has passed validation, in terms the type checker can follow.

WTForms types a field's `data` as optional and its `errors` as a sequence, because both hold
before validation: a field missing from the request keeps None, and `errors` starts as a
tuple. Once `validate()` has run, a field whose validators demand a value has one, and
`errors` is a list the view may add to. These helpers state that once.
"""

from typing import TypeVar, cast

from wtforms import Field

T = TypeVar("T")


def required(value: T | None) -> T:
    """The data of a field a validator (DataRequired, InputRequired) made mandatory."""
    if value is None:
        raise ValueError("a required form field reached the view without a value")
    return value


def add_error(field: Field, message: str) -> None:
    """Show `message` under `field` after validation, as its own validators' messages are."""
    cast(list[str], field.errors).append(message)
