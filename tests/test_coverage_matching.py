"""Quote matching on plain text: what counts as the same words, and what splits a passage."""

from __future__ import annotations

from campaign.coverage.highlight import quote_sides
from campaign.coverage.matching import IndexedVersion, VersionIndex, phrase_in, tokenize
from tests.support import coverage as news


def _index() -> VersionIndex:
    index = VersionIndex()
    index.add(IndexedVersion(1, 7, 1, False, tokenize(news.BODY_V1)))
    index.add(IndexedVersion(2, 7, 2, True, tokenize(news.BODY_V2)))
    return index


def test_quotes_case_and_whitespace_do_not_hide_a_quotation() -> None:
    article = (
        "They wrote that “we ask THE committee to hold a public\n\n hearing before any vote "
        "is scheduled”, adding nothing else."
    )
    [found] = _index().find(tokenize(article))
    assert (found.version_id, found.superseded, found.changed) == (2, False, False)
    assert found.words == 14
    assert article[found.start : found.end] == found.passage
    assert found.passage.startswith("we ask THE committee")


def test_seven_words_are_not_a_quotation_eight_are() -> None:
    assert _index().find(tokenize("we ask the committee to hold a")) == []
    assert len(_index().find(tokenize("we ask the committee to hold a public"))) == 1


def test_words_between_two_quotations_keep_them_apart() -> None:
    article = (
        "The bill would lengthen prison terms for nonviolent offenses, divert money from "
        "treatment, the groups wrote in a letter on Tuesday, and reentry programs."
    )
    found = _index().find(tokenize(article))
    assert [f.changed for f in found] == [False]


def test_superseded_passage_prefers_the_longer_older_version() -> None:
    [found] = _index().find(tokenize(news.COST_V1))
    assert (found.version_id, found.superseded) == (1, True)
    [found] = _index().find(tokenize(news.OPENING))
    assert (found.version_id, found.superseded) == (2, False)  # in both: the current wins


def test_changed_words_are_marked_on_both_sides() -> None:
    edited = news.HEARING.replace("scheduled", "taken")
    [found] = _index().find(tokenize(edited))
    assert found.changed
    article_ops, version_ops = quote_sides(found.passage, found.version_passage)
    assert (1, "taken, ") in article_ops
    assert (-1, "scheduled, ") in version_ops


def test_phrase_in_names_a_title() -> None:
    tokens = tokenize("A coalition letter opposing the Sentencing Enhancement Act was sent.")
    assert phrase_in(news.LETTER_TITLE, tokens)
    assert not phrase_in("Coalition letter opposing the river plan", tokens)
