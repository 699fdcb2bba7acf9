"""A base for the string enums that name states and roles on pages and in the database."""

from __future__ import annotations

import enum


class LabeledEnum(enum.StrEnum):
    """Stored as its value ("in_review"); shown by its label ("In review")."""

    @property
    def label(self) -> str:
        return self.value.replace("_", " ").capitalize()
