"""How fast quote matching is: 1,000 articles against 50 published versions.

Generates 50 versions of ~600 words (ten statements, five versions each, every revision
changing some sentences) and 1,000 articles of ~700 words in the shape of news stories:
a third quote one to three passages (exact, with a changed word, or from an older version),
the rest quote nothing. Times, per article, reading the text alone (the tokenizer every
match starts with: the floor any matcher pays) and reading plus matching, and gives their
ratio, so the figure means something on any machine. Also times building the index and,
for scale, trafilatura's extraction of the same articles as HTML pages.

    .venv/bin/python bench/coverage.py [--articles 1000] [--versions 50] [--seed 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time
from collections.abc import Callable

from campaign.coverage.extract import article_from_html
from campaign.coverage.matching import IndexedVersion, VersionIndex, tokenize

WORDS = (  # noqa: SIM905  (a paragraph of words reads better than a list)
    "coalition organizations sentencing policy public health communities justice reform "
    "evidence treatment harm reduction families congress committee members letter hearing "
    "prison terms minimum judges prosecutors programs recovery clinics shelters housing "
    "budget million state research decades support people court charge decision region "
    "county council vote bill measure advocates schools water river safety workers wages"
).split()


def sentence(rng: random.Random) -> str:
    words = [rng.choice(WORDS) for _ in range(rng.randint(12, 24))]
    return " ".join(words).capitalize() + "."


def make_versions(rng: random.Random, count: int) -> list[IndexedVersion]:
    """Ten statements, each revised into count/10 versions (some sentences rewritten)."""
    versions = []
    per_statement = max(1, count // 10)
    for statement in range(10):
        sentences = [sentence(rng) for _ in range(35)]
        for number in range(1, per_statement + 1):
            if number > 1:
                for _ in range(4):
                    sentences[rng.randrange(len(sentences))] = sentence(rng)
            text = " ".join(sentences)
            vid = len(versions) + 1
            versions.append(
                IndexedVersion(vid, statement, number, number == per_statement, tokenize(text))
            )
    return versions


def quotation(rng: random.Random, version: IndexedVersion) -> str:
    words = version.tokens.words
    start = rng.randrange(0, max(1, len(words) - 30))
    quoted = words[start : start + rng.randint(10, 30)]
    if rng.random() < 0.3 and len(quoted) > 20:
        quoted[len(quoted) // 2] = "reportedly"
    return "“" + " ".join(quoted) + ",” the letter says."


def make_articles(rng: random.Random, versions: list[IndexedVersion], count: int) -> list[str]:
    articles = []
    for number in range(count):
        paragraphs = [" ".join(sentence(rng) for _ in range(3)) for _ in range(10)]
        if number % 3 == 0:
            for _ in range(rng.randint(1, 3)):
                paragraphs.insert(
                    rng.randrange(len(paragraphs)), quotation(rng, rng.choice(versions))
                )
        articles.append("\n\n".join(paragraphs))
    return articles


def as_html(text: str, number: int) -> str:
    body = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
    return (
        f"<html lang='en'><head><title>Story {number} | Daily</title></head><body>"
        f"<nav>Home News Sports</nav><article><h1>Story {number}</h1>{body}</article>"
        "<footer>Copyright</footer></body></html>"
    )


def per_item(work: Callable[[str], object], items: list[str], rounds: int = 3) -> float:
    """Best of `rounds` runs over all items, in seconds per item."""
    best = float("inf")
    for _ in range(rounds):
        started = time.perf_counter()
        for item in items:
            work(item)
        best = min(best, time.perf_counter() - started)
    return best / len(items)


def read_and_match(
    index: VersionIndex, articles: list[str], rounds: int = 5
) -> tuple[float, float]:
    """Seconds per article to read alone and to read and match, timed back to back on each
    article and keeping each article's fastest round: on a shared machine, load that comes
    and goes then hits both figures alike instead of skewing their ratio."""
    read = [float("inf")] * len(articles)
    matched = [float("inf")] * len(articles)
    for _ in range(rounds):
        for number, text in enumerate(articles):
            started = time.perf_counter()
            tokenize(text)
            middle = time.perf_counter()
            index.find(tokenize(text))
            done = time.perf_counter()
            read[number] = min(read[number], middle - started)
            matched[number] = min(matched[number], done - middle)
    return sum(read) / len(articles), sum(matched) / len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--versions", type=int, default=50)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    versions = make_versions(rng, args.versions)
    articles = make_articles(rng, versions, args.articles)

    started = time.perf_counter()
    index = VersionIndex()
    for version in versions:
        index.add(version)
    build = time.perf_counter() - started

    read, matched = read_and_match(index, articles)
    found = [index.find(tokenize(text)) for text in articles]
    pages = [as_html(text, n) for n, text in enumerate(articles[:200])]
    extract = per_item(lambda html: article_from_html(html, "https://daily.example/"), pages, 1)

    words = statistics.mean(len(tokenize(a).words) for a in articles)
    print(
        f"{len(versions)} versions ({sum(len(v.tokens.words) for v in versions):,} words), "
        f"{len(articles):,} articles of {words:.0f} words on average"
    )
    print(f"index built in {build * 1000:.1f} ms ({len(index.table):,} shingles)")
    print(f"reading the text alone: {read * 1e6:.0f} µs per article")
    print(
        f"reading and matching:   {matched * 1e6:.0f} µs per article "
        f"({matched / read:.2f}x reading alone)"
    )
    print(
        f"articles with a match: {sum(bool(f) for f in found):,}; passages "
        f"{sum(len(f) for f in found):,} ({sum(p.changed for f in found for p in f)} changed, "
        f"{sum(p.superseded for f in found for p in f)} superseded)"
    )
    print(
        f"for scale, trafilatura extraction: {extract * 1000:.1f} ms per article page "
        f"({extract / matched:.0f}x matching)"
    )


if __name__ == "__main__":
    main()
