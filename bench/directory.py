"""How fast the merge-suggestions page answers for a 5,000-organization directory.

Generates fictional organizations (names composed from word lists, about one in twenty a
near-duplicate: a typo, "The ... Inc.", a shared email domain, aliases on some), stores
them, then times, warm, the median of several runs of:

- the suggestions page as staff open it (GET /directory/suggestions, test client);
- the baseline: the directory's first page (GET /directory), a plain paginated listing;
- the comparison alone, with and without the length windows (`similar_names`).

    .venv/bin/python bench/directory.py [--organizations 5000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from rapidfuzz import fuzz
from rapidfuzz.process import cdist
from scratch import scratch_app  # bench/scratch.py

from campaign.auth.models import User
from campaign.auth.roles import Role
from campaign.auth.services import create_user
from campaign.directory import suggestions as suggest
from campaign.directory.models import OrgAlias, Organization
from campaign.extensions import db
from campaign.signon.names import normalize_name

WORDS = {
    "first": [
        "Harbor",
        "Open Door",
        "Bridgeway",
        "Common Ground",
        "Second Chance",
        "Riverbend",
        "Lakeside",
        "Prairie",
        "Summit",
        "Evergreen",
        "Cedar",
        "Granite",
        "Northstar",
        "Sunrise",
        "Keystone",
        "Liberty",
        "Heartland",
        "Coastal",
        "Canyon",
        "Maple",
    ],
    "middle": [
        "Families",
        "Recovery",
        "Justice",
        "Housing",
        "Health",
        "Reentry",
        "Youth",
        "Peer Support",
        "Harm Reduction",
        "Legal Aid",
        "Treatment",
        "Faith",
        "Workers",
        "Veterans",
        "Women's",
        "Community",
        "Public Defense",
        "Sentencing",
    ],
    "last": [
        "Alliance",
        "Network",
        "Project",
        "Coalition",
        "Center",
        "Council",
        "Fund",
        "Collaborative",
        "Institute",
        "Association",
        "Partnership",
        "Initiative",
    ],
    "place": [
        "Texas",
        "Ohio",
        "Austin",
        "Cleveland",
        "Denver",
        "Tucson",
        "Georgia",
        "Maine",
        "Oregon",
        "Fresno",
        "Memphis",
        "Toledo",
        "Albany",
        "Boise",
        "Omaha",
        "",
    ],
}


def _typo(name: str, rng: random.Random) -> str:
    i = rng.randrange(1, len(name) - 1)
    return name[:i] + name[i + 1 :] if rng.random() < 0.5 else name[:i] + name[i] + name[i:]


def generate(count: int, seed: int = 16) -> list[tuple[str, str, list[str]]]:
    """(name, email domain, aliases) for `count` organizations, ~5% near-duplicates."""
    rng, names, seen = random.Random(seed), [], set()
    while len(names) < count:
        if names and rng.random() < 0.05:
            original, domain, _ = rng.choice(names)
            variant = _typo(original, rng) if rng.random() < 0.6 else f"The {original}, Inc."
            names.append((variant, domain if rng.random() < 0.5 else "", []))
            continue
        parts = [rng.choice(WORDS[k]) for k in ("place", "first", "middle", "last")]
        name = " ".join(p for p in parts if p)
        if name in seen:
            continue
        seen.add(name)
        domain = name.lower().replace(" ", "").replace("'", "")[:24] + ".example.org"
        short = " ".join(p for p in (parts[0], parts[1], parts[2][:3] + ".", parts[3]) if p)
        aliases = [short] if rng.random() < 0.2 else []
        names.append((name, domain, aliases))
    return names


def seed(entries: list[tuple[str, str, list[str]]]) -> None:
    for name, domain, aliases in entries:
        db.session.add(
            Organization(
                name=name,
                normalized_name=normalize_name(name),
                email_domain=domain,
                aliases=[OrgAlias(name=a, normalized_name=normalize_name(a)) for a in aliases],
            )
        )
    db.session.commit()


def median_seconds(action: Callable[[], object], runs: int = 5) -> float:
    action()  # warm
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def without_windows(names: list[str]) -> None:
    keys = [" ".join(sorted(n.split())) for n in names]
    cdist(keys, keys, scorer=fuzz.ratio, score_cutoff=suggest.THRESHOLD, dtype=np.uint8, workers=-1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--organizations", type=int, default=5000)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="directory-bench-"))
    url = args.database_url or f"sqlite:///{tmp / 'bench.db'}"
    app = scratch_app(url, OUTBOX_DIR=str(tmp))
    with app.app_context():
        seed(generate(args.organizations))
        user: User = create_user("bench@example.org", "Bench", Role.EDITOR, "bench-password-1")
        client = app.test_client()
        with client.session_transaction() as session:
            session["_user_id"], session["_fresh"] = str(user.id), True
        found = len(suggest.suggestions(limit=100_000))
        ids, names = suggest._names()
        page = median_seconds(lambda: client.get("/directory/suggestions"))
        listing = median_seconds(lambda: client.get("/directory"))
        windows = median_seconds(lambda: suggest.similar_names(ids, names))
        plain = median_seconds(lambda: without_windows(names), runs=3)
    print(
        f"{args.organizations:,} organizations, {len(names):,} names and aliases, "
        f"{found:,} suggestions ({url.split(':')[0]})"
    )
    print(
        f"suggestions page        {page:6.3f} s  ({page / listing:.1f}x the directory's "
        f"first page, {listing:.3f} s)"
    )
    print(f"comparison, windows     {windows:6.3f} s")
    print(f"comparison, all pairs   {plain:6.3f} s  ({plain / windows:.1f}x slower)")


if __name__ == "__main__":
    main()
