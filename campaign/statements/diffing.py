"""Word-level comparison of two versions, field by field.

diff-match-patch implements Myers' O(ND) diff; mapping each distinct word to one character
lets it diff words instead of letters, which is both what editors want to see and fast on
5,000-word statements (see bench/versions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from diff_match_patch import diff_match_patch

from campaign.statements.content import FIELDS, LABELS, Content, as_text

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
EQUAL, INSERT, DELETE = 0, 1, -1


@dataclass(frozen=True)
class FieldDiff:
    field: str
    label: str
    ops: list[tuple[int, str]]

    @property
    def changed(self) -> bool:
        return any(op != EQUAL for op, _ in self.ops)

    @property
    def old_side(self) -> list[tuple[int, str]]:
        return [(op, text) for op, text in self.ops if op != INSERT]

    @property
    def new_side(self) -> list[tuple[int, str]]:
        return [(op, text) for op, text in self.ops if op != DELETE]


@cache
def _engine() -> diff_match_patch:
    engine = diff_match_patch()
    engine.Diff_Timeout = 5.0
    return engine


def _encode(text: str, vocabulary: dict[str, str]) -> str:
    """One character per token; code points from 0x10000 on avoid the surrogate range."""
    codes = []
    for token in TOKEN.findall(text):
        code = vocabulary.get(token)
        if code is None:
            code = vocabulary[token] = chr(0x10000 + len(vocabulary))
        codes.append(code)
    return "".join(codes)


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """Insertions and deletions between two texts, in whole words and punctuation marks."""
    vocabulary: dict[str, str] = {}
    encoded_old, encoded_new = _encode(old, vocabulary), _encode(new, vocabulary)
    engine = _engine()
    diffs = engine.diff_main(encoded_old, encoded_new, False)
    engine.diff_cleanupSemantic(diffs)
    words = {code: token for token, code in vocabulary.items()}
    return [(op, "".join(words[code] for code in codes)) for op, codes in diffs]


def compare(old: Content, new: Content) -> list[FieldDiff]:
    """One FieldDiff per content field, in form order."""
    return [
        FieldDiff(
            f.name,
            LABELS[f.name],
            word_diff(as_text(f.name, getattr(old, f.name)), as_text(f.name, getattr(new, f.name))),
        )
        for f in FIELDS
    ]
