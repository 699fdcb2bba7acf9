"""What the review page marks: the quoted stretches in the article, and inside a changed
quotation the words the article altered (in the shape of `_macros.diff_side`)."""

from __future__ import annotations

from difflib import SequenceMatcher

from campaign.coverage.matching import Tokens, tokenize
from campaign.coverage.models import CoverageMatch

Ops = list[tuple[int, str]]


def quote_sides(passage: str, version_passage: str) -> tuple[Ops, Ops]:
    """(article side, version side): words only in the article are marked 1 (inserted),
    words only in the version -1 (deleted); the rest 0, spacing kept as written."""
    article, version = tokenize(passage), tokenize(version_passage)
    matcher = SequenceMatcher(a=version.words, b=article.words, autojunk=False)
    article_ops: Ops = []
    version_ops: Ops = []
    for tag, v0, v1, a0, a1 in matcher.get_opcodes():
        if a1 > a0:
            article_ops.append((0 if tag == "equal" else 1, _stretch(article, a0, a1)))
        if v1 > v0:
            version_ops.append((0 if tag == "equal" else -1, _stretch(version, v0, v1)))
    return article_ops, version_ops


def _stretch(tokens: Tokens, first: int, end: int) -> str:
    """Words first..end-1 with the text that follows them up to the next word."""
    spans, text = tokens.spans, tokens.text
    stop = spans[end][0] if end < len(spans) else len(text)
    start = spans[first][0] if first else 0
    return text[start:stop]


def article_segments(text: str, matches: list[CoverageMatch]) -> list[tuple[str, int]]:
    """The article cut into stretches, each with the number of the passage it belongs to
    (1-based) or 0 for text that quotes nothing."""
    segments: list[tuple[str, int]] = []
    cursor = 0
    for number, match in enumerate(sorted(matches, key=lambda m: m.start), start=1):
        if match.start < cursor or match.end > len(text):
            continue
        segments.append((text[cursor : match.start], 0))
        segments.append((text[match.start : match.end], number))
        cursor = match.end
    segments.append((text[cursor:], 0))
    return [(s, n) for s, n in segments if s]
