"""Build the wheel and check it holds what a non-editable install needs to run.

Every Python module of campaign/, press/ and workers/, the templates, static files and
Alembic migrations under campaign/, and press/'s fonts, styles and templates: a file left out
works in the checkout (and in an editable install) and fails only after `pip install .`.
Run by `make test`; prints what is missing and exits 1.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("campaign", "press", "workers")
SKIPPED = {"__pycache__"}
# Left out of the copy the wheel is built from: a stale build/ would hide a missing file.
NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv*", "build", "dist", "*.egg-info", "instance", "__pycache__", ".*_cache"
)


def expected_files() -> set[str]:
    """Every file of the three packages in the checkout, as wheel paths."""
    found = {"config.py"}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*"):
            relative = path.relative_to(ROOT)
            if path.is_file() and not SKIPPED.intersection(relative.parts):
                found.add(relative.as_posix())
    return found


def build_wheel(out: Path) -> Path:
    """`pip wheel` of a clean copy of the checkout, without dependencies, into `out`."""
    source = out / "source"
    shutil.copytree(ROOT, source, ignore=NOT_SOURCE)
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(out), source],
        check=True,
    )
    return next(out.glob("*.whl"))


def missing_from(wheel: Path) -> list[str]:
    """Files of the checkout the wheel does not carry."""
    with zipfile.ZipFile(wheel) as archive:
        carried = set(archive.namelist())
    return sorted(expected_files() - carried)


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        missing = missing_from(build_wheel(Path(tmp)))
    for name in missing:
        print(f"not in the wheel: {name}")
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
