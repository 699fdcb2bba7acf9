"""Finding the passages of published versions that an article reuses.

Every version's words are cut into overlapping runs of `SHINGLE` words (shingles) and put in
one hash table. An article's shingles are looked up in it; consecutive hits on the same
version grow into passages, and two passages of one version separated by a few words are one
quotation whose words were changed. Words are compared after normalizing curly quotes and
case, and whitespace never counts, so typography and line breaks do not hide a quotation.

Plain data in and out (no database), so the bench and the tests drive it directly.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

SHINGLE = 8
# Words that may differ or be missing between two pieces of one changed quotation.
MAX_GAP = 4
WORD = re.compile(r"\w+(?:['\u2019\u2018\u02bc]\w+)*")
_FOLD = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'"})


@dataclass(frozen=True)
class Tokens:
    """A text's normalized words and where each one sits in the original text."""

    text: str
    words: list[str]
    spans: list[tuple[int, int]]

    def slice(self, first: int, end: int) -> str:
        """The original text from word `first` to word `end - 1`, spaces as written."""
        return self.text[self.spans[first][0] : self.spans[end - 1][1]]


def tokenize(text: str) -> Tokens:
    """Words (case and quote marks folded) with their character spans."""
    words, spans = [], []
    for found in WORD.finditer(text):
        words.append(found.group().translate(_FOLD).lower())
        spans.append(found.span())
    return Tokens(text, words, spans)


def phrase_in(phrase: str, tokens: Tokens) -> bool:
    """Whether the words of `phrase` occur consecutively in `tokens` (a title, a name)."""
    wanted = tokenize(phrase).words
    if not wanted:
        return False
    return f" {' '.join(wanted)} " in f" {' '.join(tokens.words)} "


@dataclass(frozen=True)
class IndexedVersion:
    version_id: int
    statement_id: int
    number: int
    current: bool
    tokens: Tokens


@dataclass
class Passage:
    """A stretch of the article found in one version (word offsets in both texts)."""

    version: IndexedVersion
    a_start: int
    a_end: int
    v_start: int
    v_end: int
    changed: bool = False

    @property
    def words(self) -> int:
        return self.a_end - self.a_start


@dataclass(frozen=True)
class Found:
    """A passage as stored: character offsets in the article and the texts on both sides."""

    version_id: int
    statement_id: int
    start: int
    end: int
    passage: str
    version_passage: str
    words: int
    superseded: bool
    changed: bool


@dataclass
class VersionIndex:
    """The shingles of every published version of a campaign."""

    versions: list[IndexedVersion] = field(default_factory=list)
    table: dict[int, list[tuple[int, int]]] = field(default_factory=lambda: defaultdict(list))

    def add(self, version: IndexedVersion) -> None:
        slot = len(self.versions)
        self.versions.append(version)
        words = version.tokens.words
        for position in range(len(words) - SHINGLE + 1):
            self.table[hash(tuple(words[position : position + SHINGLE]))].append((slot, position))

    def find(self, article: Tokens) -> list[Found]:
        """The passages of `article` found in the versions, one per stretch of the article."""
        passages = _merge_changed(_runs(self.table, self.versions, article.words))
        return [_found(p, article, self._superseded(p)) for p in _choose(passages)]

    def _superseded(self, passage: Passage) -> bool:
        """A passage is superseded when the statement's current version no longer has it."""
        if passage.version.current:
            return False
        words = passage.version.tokens.words[passage.v_start : passage.v_end]
        current = [
            v for v in self.versions if v.current and v.statement_id == passage.version.statement_id
        ]
        wanted = f" {' '.join(words)} "
        return not any(wanted in f" {' '.join(v.tokens.words)} " for v in current)


def _runs(
    table: dict[int, list[tuple[int, int]]], versions: list[IndexedVersion], words: list[str]
) -> list[Passage]:
    """Consecutive shingle hits on one diagonal (same offset in both texts) as one passage."""
    open_runs: dict[tuple[int, int], Passage] = {}
    done: list[Passage] = []
    for position in range(len(words) - SHINGLE + 1):
        hits = table.get(hash(tuple(words[position : position + SHINGLE])))
        if not hits:
            continue
        for slot, v_position in hits:
            key = (slot, v_position - position)
            run = open_runs.get(key)
            if run is not None and run.a_end == position + SHINGLE - 1:
                run.a_end += 1
                run.v_end += 1
                continue
            run = Passage(
                versions[slot], position, position + SHINGLE, v_position, v_position + SHINGLE
            )
            open_runs[key] = run
            done.append(run)
    return done


def _merge_changed(runs: list[Passage]) -> list[Passage]:
    """Join passages of one version that a few changed, added or dropped words separate."""
    by_version: dict[int, list[Passage]] = defaultdict(list)
    for run in runs:
        by_version[run.version.version_id].append(run)
    merged: list[Passage] = []
    for group in by_version.values():
        group.sort(key=lambda r: r.a_start)
        current = group[0]
        for run in group[1:]:
            a_gap, v_gap = run.a_start - current.a_end, run.v_start - current.v_end
            if _one_quotation(a_gap, v_gap):
                current = Passage(
                    current.version,
                    current.a_start,
                    max(current.a_end, run.a_end),
                    current.v_start,
                    max(current.v_end, run.v_end),
                    changed=current.changed or a_gap != v_gap or a_gap > 0,
                )
            else:
                merged.append(current)
                current = run
        merged.append(current)
    return merged


def _one_quotation(a_gap: int, v_gap: int) -> bool:
    """Words of the version replaced or dropped (or one word slipped in) inside a quotation.
    Several words only in the article ("they also wrote") separate two quotations instead."""
    if v_gap == 0:
        return a_gap == 1
    return 0 <= a_gap <= MAX_GAP and 0 < v_gap <= MAX_GAP


def _choose(passages: list[Passage]) -> list[Passage]:
    """Of passages covering the same words of the article, keep the best: the longest, then
    an exact quotation over a changed one, then the current version, then the newest."""
    ranked = sorted(
        passages,
        key=lambda p: (-p.words, p.changed, not p.version.current, -p.version.number),
    )
    taken: list[Passage] = []
    for passage in ranked:
        if all(passage.a_end <= t.a_start or passage.a_start >= t.a_end for t in taken):
            taken.append(passage)
    return sorted(taken, key=lambda p: p.a_start)


def _found(passage: Passage, article: Tokens, superseded: bool) -> Found:
    version_tokens = passage.version.tokens
    return Found(
        version_id=passage.version.version_id,
        statement_id=passage.version.statement_id,
        start=article.spans[passage.a_start][0],
        end=article.spans[passage.a_end - 1][1],
        passage=article.slice(passage.a_start, passage.a_end),
        version_passage=version_tokens.slice(passage.v_start, passage.v_end),
        words=passage.words,
        superseded=superseded,
        changed=passage.changed,
    )
