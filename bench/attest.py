"""What signing a letter's list costs: issuing a root, a page view when nothing changed, a receipt.

A published letter with N confirmed fictional signatories in a scratch database. Issuing a
root (reading the list, hashing every leaf, one Ed25519 signature) is what a confirmation or
a withdrawal costs the next page view; checking that the current root still covers the list
is what every public page view pays; both are compared with reading the list alone
(`listed_signatories`, which the page does anyway).

    .venv/bin/python bench/attest.py [--database-url URL] [--sizes 140,2000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from pdf import build_letter  # bench/pdf.py, beside this script
from versions import build_app, median_seconds

from campaign.attest import services
from campaign.attest.documents import receipt
from campaign.attest.leaves import build_tree
from campaign.extensions import db
from campaign.signon.listing import listed_signatories
from campaign.statements.models import Statement, StatementVersion


def publish(app, version_id: int) -> int:
    with app.app_context():
        version = db.session.get(StatementVersion, version_id)
        version.statement.published_version_id = version.id
        db.session.commit()
        return version.statement_id


def measure(app, statement_id: int, repeat: int) -> dict[str, float]:
    with app.app_context():
        statement = db.session.get(Statement, statement_id)
        version = statement.published_version
        root = services.current_root(statement)
        first = root.signature_ids[len(root.signature_ids) // 2]
        return {
            "read the list": median_seconds(lambda: listed_signatories(statement_id), repeat),
            "issue a root": median_seconds(
                lambda: services.new_root(
                    statement, version, build_tree(statement, version), "publication"
                ),
                repeat,
            ),
            "page view, root current": median_seconds(
                lambda: services.current_root(statement), repeat
            ),
            "make a receipt": median_seconds(lambda: receipt(root, first), repeat),
        }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a scratch SQLite file")
    parser.add_argument("--sizes", default="140,2000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as scratch:
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.db'}"
        app = build_app(url)
        app.config["ATTEST_KEY_PATH"] = str(Path(scratch) / "key.pem")
        print(f"backend: {url.split(':', 1)[0]}; median of {args.repeat}")
        for size in (int(s) for s in args.sizes.split(",")):
            statement_id = publish(app, build_letter(app, size))
            timings = measure(app, statement_id, args.repeat)
            base = timings["read the list"]
            for label, seconds in timings.items():
                print(
                    f"{size:>5,} signatories, {label:<24} {seconds * 1000:8.1f} ms"
                    f"  ({seconds / base:.1f}x reading the list)"
                )


if __name__ == "__main__":
    main()
