"""Near-duplicate organizations worth a merge: similar names or aliases, same mail domain.

Names and aliases of active organizations are compared in bulk with rapidfuzz's `cdist`
(C++, both cores), only between lengths that can reach the threshold, instead of pair by
pair in Python (bench/directory.py measures both).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from sqlalchemy import select

from campaign.directory.models import OrgAlias, Organization
from campaign.extensions import db

THRESHOLD = 88  # token_sort_ratio: "harbor families alliance" vs "harbour families alliance"


@dataclass(frozen=True)
class Suggestion:
    """Two records that look like one organization, and why."""

    first_id: int
    second_id: int
    score: int
    reason: str


def _names() -> tuple[list[int], list[str]]:
    """(organization id, normalized name) for every name and alias of an active record."""
    rows = db.session.execute(
        select(Organization.id, Organization.normalized_name).where(
            Organization.merged_into_id.is_(None)
        )
    ).all()
    aliases = db.session.execute(
        select(OrgAlias.organization_id, OrgAlias.normalized_name)
        .join(Organization)
        .where(Organization.merged_into_id.is_(None))
    ).all()
    pairs = [(i, n) for i, n in [*rows, *aliases] if n]
    return [i for i, _ in pairs], [n for _, n in pairs]


def _length_windows(names: list[str], threshold: int) -> list[tuple[list[int], list[int]]]:
    """(queries, choices) index groups: names of one length against every length that could
    still reach `threshold`. An Indel ratio of t needs len(b) <= len(a) * (200 - t) / t, so
    most pairs are never compared; this is what keeps 5,000 records well under a second."""
    by_length: dict[int, list[int]] = {}
    for index, name in enumerate(names):
        by_length.setdefault(len(name), []).append(index)
    lengths = sorted(by_length)
    windows = []
    for length in lengths:
        top = length * (200 - threshold) / threshold + 1
        choices = [i for other in lengths if length <= other <= top for i in by_length[other]]
        windows.append((by_length[length], choices))
    return windows


def similar_names(
    ids: list[int], names: list[str], threshold: int = THRESHOLD
) -> dict[tuple[int, int], int]:
    """{(low id, high id): best score} over names of different organizations.

    Names are compared with their words sorted (so "Alliance for Harbor Families" meets
    "Harbor Families Alliance"), which makes plain `ratio` equal to `token_sort_ratio`.
    """
    keys = [" ".join(sorted(name.split())) for name in names]
    found: dict[tuple[int, int], int] = {}
    for queries, choices in _length_windows(keys, threshold):
        scores = cdist(
            [keys[i] for i in queries],
            [keys[j] for j in choices],
            scorer=fuzz.ratio,
            score_cutoff=threshold,
            dtype=np.uint8,
            workers=-1,
        )
        for row, column in zip(*np.nonzero(scores), strict=True):
            first, second = ids[queries[row]], ids[choices[column]]
            if first != second:
                key = (min(first, second), max(first, second))
                found[key] = max(found.get(key, 0), int(scores[row, column]))
    return found


def same_domain() -> set[tuple[int, int]]:
    """Pairs of active records that share an email domain (webmail never counts)."""
    rows = db.session.execute(
        select(Organization.email_domain, Organization.id)
        .where(Organization.merged_into_id.is_(None), Organization.email_domain != "")
        .order_by(Organization.email_domain, Organization.id)
    ).all()
    by_domain: dict[str, list[int]] = {}
    for domain, org_id in rows:
        by_domain.setdefault(domain, []).append(org_id)
    pairs: set[tuple[int, int]] = set()
    for members in by_domain.values():
        pairs.update((a, b) for i, a in enumerate(members) for b in members[i + 1 : i + 6])
    return pairs


def suggestions(limit: int = 200) -> list[Suggestion]:
    """The likeliest duplicates first: both signals, then name similarity alone, then domain."""
    ids, names = _names()
    scored = similar_names(ids, names)
    domains = same_domain()
    found = []
    for pair in set(scored) | domains:
        score = scored.get(pair, 0)
        reasons = [f"names {score}% alike"] if score else []
        if pair in domains:
            reasons.append("same email domain")
        found.append(Suggestion(pair[0], pair[1], score, " and ".join(reasons)))
    found.sort(key=lambda s: (-(s.score > 0) - ((s.first_id, s.second_id) in domains), -s.score))
    return found[:limit]
