"""Word-level comparison of two versions, field by field.

diff-match-patch implements Myers' O(ND) diff; mapping each distinct word to one character
lets it diff words instead of letters, which is what editors want to see. O(ND) is slow when
two long versions differ a lot (the first and the 500th draft), so texts are first aligned
paragraph by paragraph and only changed paragraphs are diffed word by word, as
diff-match-patch's own line mode does with lines (see bench/versions.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from diff_match_patch import diff_match_patch

from campaign.statements.content import FIELDS, LABELS, Content, as_text

TOKEN = re.compile(r"\w+|\s+|[^\w\s]")
PARAGRAPH = re.compile(r".+?(?:\n\s*\n|$)", re.DOTALL)
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
    engine.Diff_Timeout = 2.0
    return engine


def _encode(tokens: list[str], vocabulary: dict[str, str]) -> str:
    """One character per token; code points from 0x10000 on avoid the surrogate range."""
    codes = []
    for token in tokens:
        code = vocabulary.get(token)
        if code is None:
            code = vocabulary[token] = chr(0x10000 + len(vocabulary))
        codes.append(code)
    return "".join(codes)


def _token_diff(old: list[str], new: list[str], semantic: bool) -> list[tuple[int, list[str]]]:
    vocabulary: dict[str, str] = {}
    encoded_old, encoded_new = _encode(old, vocabulary), _encode(new, vocabulary)
    engine = _engine()
    diffs = engine.diff_main(encoded_old, encoded_new, False)
    if semantic:
        engine.diff_cleanupSemantic(diffs)
    tokens = {code: token for token, code in vocabulary.items()}
    return [(op, [tokens[code] for code in codes]) for op, codes in diffs]


def _words(old: str, new: str) -> list[tuple[int, str]]:
    diffs = _token_diff(TOKEN.findall(old), TOKEN.findall(new), semantic=True)
    return [(op, "".join(tokens)) for op, tokens in diffs]


def _changed_block(deleted: list[str], inserted: list[str]) -> list[tuple[int, str]]:
    """Paragraphs replaced one for one are diffed in pairs; anything else as one text."""
    if len(deleted) == len(inserted):
        return [op for pair in zip(deleted, inserted, strict=True) for op in _words(*pair)]
    return _words("".join(deleted), "".join(inserted))


def _merged(ops: list[tuple[int, str]]) -> list[tuple[int, str]]:
    merged: list[tuple[int, str]] = []
    for op, text in ops:
        if not text:
            continue
        if merged and merged[-1][0] == op:
            merged[-1] = (op, merged[-1][1] + text)
        else:
            merged.append((op, text))
    return merged


def word_diff(old: str, new: str) -> list[tuple[int, str]]:
    """Insertions and deletions between two texts, in whole words and punctuation marks."""
    ops: list[tuple[int, str]] = []
    deleted: list[str] = []
    inserted: list[str] = []
    for op, paragraphs in _token_diff(PARAGRAPH.findall(old), PARAGRAPH.findall(new), False):
        if op == DELETE:
            deleted += paragraphs
        elif op == INSERT:
            inserted += paragraphs
        else:
            ops += _changed_block(deleted, inserted)
            deleted, inserted = [], []
            ops.append((EQUAL, "".join(paragraphs)))
    ops += _changed_block(deleted, inserted)
    return _merged(ops)


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
