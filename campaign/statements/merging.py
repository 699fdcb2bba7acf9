"""Three-way merge of two edits made from one version, by field and by paragraph.

Two editors who start from version N and change different fields or different paragraphs
should both keep their words. Each side's paragraphs are matched to the base's paragraphs
(exact text first, so a moved paragraph keeps its identity, then by similarity, so an edited
one does too); each base paragraph then merges on its own (changed on one side only: that
side wins; changed on both sides to different texts: a conflict), and the order comes from
the side that reordered. Only what both sides changed differently is left to a person.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from difflib import SequenceMatcher
from typing import Any

from campaign.statements.content import FIELDS, LABELS, Content, as_text

PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*")
TEXT_FIELDS = {"title", "subtitle", "addressee", "body", "closing", "dateline", "boilerplate"}
SIMILAR = 0.5
# Similarity pairing compares every unmatched paragraph with every other; beyond this many
# pairs the paragraphs are treated as deleted and inserted instead (still a correct merge).
MAX_SIMILARITY_PAIRS = 2500
START = -1


@dataclass
class Conflict:
    """One place where both sides changed the same thing differently."""

    index: int
    field: str
    base: str
    theirs: str
    mine: str
    theirs_value: Any = None
    mine_value: Any = None

    @property
    def label(self) -> str:
        return LABELS[self.field]

    @property
    def editable(self) -> bool:
        """Text can be rewritten by hand; a date or a list of contacts is one or the other."""
        return self.field in TEXT_FIELDS


@dataclass
class Merge:
    """The outcome: merged values, the conflicts still open, and who changed what."""

    base: Content
    theirs: Content
    mine: Content
    values: dict[str, Any] = field(default_factory=dict)
    segments: dict[str, list[str | Conflict]] = field(default_factory=dict)
    conflicts: list[Conflict] = field(default_factory=list)
    theirs_changed: list[str] = field(default_factory=list)
    mine_changed: list[str] = field(default_factory=list)

    def content(self, resolutions: dict[int, Any] | None = None) -> Content:
        """The merged content; every conflict needs an entry in `resolutions`."""
        resolutions = resolutions or {}
        values = dict(self.values)
        for name, segments in self.segments.items():
            parts = [resolutions[s.index] if isinstance(s, Conflict) else s for s in segments]
            values[name] = "\n\n".join(part.strip("\n") for part in parts if part.strip())
        for conflict in self.conflicts:
            if conflict.field not in self.segments:
                values[conflict.field] = resolutions[conflict.index]
        return dataclasses.replace(self.base, **values)


def split_paragraphs(text: str) -> list[str]:
    """Paragraphs separated by blank lines, with Windows line ends normalized."""
    text = text.replace("\r\n", "\n").strip("\n")
    return [p for p in PARAGRAPH_BREAK.split(text) if p.strip()] if text.strip() else []


WORD = re.compile(r"\w+")


def _similarity(a: str, b: str) -> float:
    return SequenceMatcher(None, WORD.findall(a), WORD.findall(b), autojunk=False).ratio()


def _pair_in_gaps(matched: list[int | None], base_count: int, used: set[int]) -> None:
    """A paragraph replaced in place is an edit of it, however different the words.

    Unmatched paragraphs of the side are paired, in order, with the unmatched base
    paragraphs between the same two matched neighbours.
    """
    i = 0
    while i < len(matched):
        if matched[i] is not None:
            i += 1
            continue
        run_end = i
        while run_end < len(matched) and matched[run_end] is None:
            run_end += 1
        before = next((m for m in reversed(matched[:i]) if m is not None), -1)
        after = next((m for m in matched[run_end:] if m is not None), base_count)
        gap = [j for j in range(before + 1, after) if j not in used]
        for k, j in zip(range(i, run_end), gap, strict=False):
            matched[k] = j
            used.add(j)
        i = run_end


def match_paragraphs(base: list[str], side: list[str]) -> list[int | None]:
    """For each paragraph of `side`, the index of the base paragraph it came from, or None."""
    matched: list[int | None] = [None] * len(side)
    used: set[int] = set()
    blocks = SequenceMatcher(None, base, side, autojunk=False).get_matching_blocks()
    for block in blocks:
        for offset in range(block.size):
            matched[block.b + offset] = block.a + offset
            used.add(block.a + offset)
    for i, text in enumerate(side):  # moved paragraphs: same text elsewhere
        if matched[i] is None:
            j = next((j for j, b in enumerate(base) if j not in used and b == text), None)
            if j is not None:
                matched[i] = j
                used.add(j)
    free_side = [i for i, m in enumerate(matched) if m is None]
    free_base = [j for j in range(len(base)) if j not in used]
    if len(free_side) * len(free_base) > MAX_SIMILARITY_PAIRS:
        _pair_in_gaps(matched, len(base), used)
        return matched
    for i in free_side:  # edited paragraphs: the most similar unused base paragraph
        scored = [(_similarity(base[j], side[i]), j) for j in free_base if j not in used]
        best = max(scored, default=(0.0, -1))
        if best[0] >= SIMILAR:
            matched[i] = best[1]
            used.add(best[1])
    _pair_in_gaps(matched, len(base), used)
    return matched


@dataclass
class _Side:
    """One side's paragraphs seen through the base: texts per base index, order, insertions."""

    texts: dict[int, str]
    order: list[int]
    inserts: dict[int, list[str]]

    @classmethod
    def of(cls, base: list[str], paragraphs: list[str]) -> _Side:
        texts: dict[int, str] = {}
        order: list[int] = []
        inserts: dict[int, list[str]] = {}
        anchor = START
        for text, origin in zip(paragraphs, match_paragraphs(base, paragraphs), strict=True):
            if origin is None:
                inserts.setdefault(anchor, []).append(text)
            else:
                texts[origin], anchor = text, origin
                order.append(origin)
        return cls(texts, order, inserts)

    @property
    def reordered(self) -> bool:
        return self.order != sorted(self.order)


class _TextMerger:
    """Merges one text field whose both sides changed; conflicts are numbered from `first`."""

    def __init__(self, name: str, base: str, theirs: str, mine: str, first: int) -> None:
        self.name, self.first = name, first
        self.texts = (base, theirs, mine)
        self.base = split_paragraphs(base)
        self.theirs = _Side.of(self.base, split_paragraphs(theirs))
        self.mine = _Side.of(self.base, split_paragraphs(mine))
        self.conflicts: list[Conflict] = []

    def conflict(self, base: str, theirs: str, mine: str) -> Conflict:
        found = Conflict(self.first + len(self.conflicts), self.name, base, theirs, mine)
        self.conflicts.append(found)
        return found

    def merge(self) -> list[str | Conflict]:
        if self.theirs.reordered and self.mine.reordered and self.theirs.order != self.mine.order:
            return [self.conflict(*self.texts)]
        skeleton = self.theirs if self.theirs.reordered else self.mine
        merged = {j: self._paragraph(j) for j in range(len(self.base))}
        order = self._order(skeleton, merged)
        segments: list[str | Conflict] = []
        for anchor in [START, *order]:
            paragraph = merged[anchor] if anchor != START else None
            if paragraph is not None:
                segments.append(paragraph)
            segments += self._inserts(anchor)
        return segments

    def _paragraph(self, j: int) -> str | Conflict | None:
        base = self.base[j]
        theirs, mine = self.theirs.texts.get(j), self.mine.texts.get(j)
        if theirs == base:
            return mine
        if mine in (base, theirs):
            return theirs
        return self.conflict(base, theirs or "", mine or "")

    def _order(self, skeleton: _Side, merged: dict[int, Any]) -> list[int]:
        """The skeleton's order, plus kept paragraphs it dropped, after their base neighbour."""
        order = list(skeleton.order)
        for j in range(len(self.base)):
            if j in order or merged[j] is None:
                continue
            before = [k for k in order if k < j]
            order.insert(order.index(before[-1]) + 1 if before else 0, j)
        return order

    def _inserts(self, anchor: int) -> list[str | Conflict]:
        theirs = self.theirs.inserts.get(anchor, [])
        mine = self.mine.inserts.get(anchor, [])
        if not theirs or not mine or theirs == mine:
            return list(theirs or mine)
        return [self.conflict("", "\n\n".join(theirs), "\n\n".join(mine))]


def three_way(base: Content, theirs: Content, mine: Content) -> Merge:
    """Merge `theirs` and `mine`, both edited from `base`; see Merge.conflicts for the rest."""
    merge = Merge(base, theirs, mine)
    for f in FIELDS:
        name = f.name
        b, t, m = getattr(base, name), getattr(theirs, name), getattr(mine, name)
        if t != b:
            merge.theirs_changed.append(LABELS[name])
        if m != b:
            merge.mine_changed.append(LABELS[name])
        if t in (b, m):
            merge.values[name] = m
        elif m == b:
            merge.values[name] = t
        elif name in TEXT_FIELDS:
            merger = _TextMerger(name, b, t, m, len(merge.conflicts))
            merge.segments[name] = merger.merge()
            merge.conflicts += merger.conflicts
        else:
            conflict = Conflict(
                len(merge.conflicts), name, as_text(name, b), as_text(name, t), as_text(name, m)
            )
            conflict.theirs_value, conflict.mine_value = t, m
            merge.conflicts.append(conflict)
    return merge
