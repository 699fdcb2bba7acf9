"""The import directions of docs/ARCHITECTURE.md, checked by reading every module's imports.

The tables below are the allowed edges. A new import between features fails here until it is
either removed or added to the table with a reason (and to docs/ARCHITECTURE.md); an entry
that the code no longer needs fails too, so the tables say what the code does.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

from bench.scratch import ROOT

CAMPAIGN = ROOT / "campaign"
DATA_FOLDERS = {"templates", "static", "migrations", "__pycache__"}
FEATURES = frozenset(
    p.name for p in CAMPAIGN.iterdir() if p.is_dir() and p.name not in DATA_FOLDERS
)

# Shared services any feature may import: who is signed in and what they may do (auth), the
# audit log (audit), the organization's profile (site), the statements features hang off
# (statements), the single-mail outbox (mail), the SMTP transport every kind of mail goes
# through (courier) and the one policy on who may be emailed (mailpolicy).
FOUNDATIONS = frozenset({"auth", "audit", "site", "statements", "mail", "courier", "mailpolicy"})

# Every other import of one feature by another, by the importing feature. Each names the
# service it goes through; docs/ARCHITECTURE.md explains them.
ALLOWED = {
    "attest": {"public", "signon"},  # public.lookup, signon.listing (the listed names signed)
    "audit": {"notify"},  # notify.services.user_zone (times in the reader's zone)
    "bounces": {"distribution"},  # the distribution recipients a bounce marks
    "campaigns": {"notify"},  # notify.home ("What needs you" on the home page)
    "coverage": {"campaigns", "contacts", "distribution", "embargo", "signon"},  # matching
    "demo": FEATURES - {"demo"},  # builds the demo data through every feature's services
    "directory": {"contacts", "public", "signon"},
    "distribution": {"bounces", "contacts", "embargo", "pdfs"},
    "embargo": {"distribution", "newsroom", "pdfs"},
    "mailpolicy": {"contacts"},  # a contact's do-not-contact and unsubscribed flags
    "newsroom": {"embargo", "pdfs", "public", "signon"},
    "notify": {"distribution", "review", "signon"},  # the events it tells people about
    "pdfs": {"attest", "directory", "embargo", "signon"},  # what a PDF prints
    "public": {"embargo", "pdfs"},  # embargo.services.public_version, pdfs.services
    "signon": {"attest", "directory", "embargo", "public"},
    "site": {"signon"},  # signon.logos.check_logo, one logo check for both uploads
    # The publish workflow still calls the features it publishes for (attest roots, embargo
    # schedule, sign-on version choice) and the editor's preview uses pdfs.documents; these
    # are the next candidates for signals like the template hooks.
    "statements": {"attest", "campaigns", "embargo", "notify", "pdfs", "signon"},
    "targets": {"attest", "pdfs", "signon"},
}

# Modules of campaign/ itself (not a feature) that may import a feature: the app factory
# registers every blueprint, models.py gathers every table for Alembic, and three read a
# service. Everything else of the core, campaign/jobs.py included, imports no feature.
CORE_ALLOWED = {
    "campaign": FEATURES,
    "campaign.models": FEATURES,
    "campaign.baseurl": {"site"},  # the configured public address vs the organization's
    "campaign.urls": {"site"},
    "campaign.security_headers": {"auth"},  # the permission map names public endpoints
}

# Templates of one feature using another's, beyond the Python edges above (which allow them).
TEMPLATE_ALLOWED = {
    "public": {"newsroom"},  # public pages share the newsroom's public layout
}

# Packages press/ may not import: it turns plain data into HTML and PDF bytes.
PRESS_FORBIDDEN = {"campaign", "workers", "config", "flask", "flask_login", "celery", "sqlalchemy"}


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _python_files(package: str) -> Iterator[Path]:
    for path in sorted((ROOT / package).rglob("*.py")):
        if not DATA_FOLDERS.intersection(path.relative_to(ROOT).parts):
            yield path


@cache
def imports_of(path: Path) -> tuple[str, ...]:
    """Every absolute module a file imports, at the top or inside a function."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
            # `from campaign.x import services` imports the module campaign.x.services
            found.extend(f"{node.module}.{alias.name}" for alias in node.names)
    return tuple(found)


def feature_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] == "campaign" and len(parts) > 1 and parts[1] in FEATURES:
        return parts[1]
    return None


@cache
def view_modules() -> frozenset[str]:
    """Modules that define a blueprint (pages, CLI): no other feature or worker imports them."""
    return frozenset(
        _module_name(path)
        for path in _python_files("campaign")
        if feature_of(_module_name(path)) and "Blueprint(" in path.read_text()
    )


def _feature_edges() -> dict[tuple[str, str], list[str]]:
    edges: dict[tuple[str, str], list[str]] = {}
    for path in _python_files("campaign"):
        source = feature_of(_module_name(path))
        for module in imports_of(path):
            target = feature_of(module)
            if source and target and target != source:
                edges.setdefault((source, target), []).append(f"{path.name}: {module}")
    return edges


def test_features_import_each_other_only_along_the_table() -> None:
    edges = _feature_edges()
    unexpected = {
        edge: where
        for edge, where in edges.items()
        if edge[1] not in FOUNDATIONS and edge[1] not in ALLOWED.get(edge[0], set())
    }
    assert not unexpected, f"imports not in ALLOWED (docs/ARCHITECTURE.md): {unexpected}"
    stale = {
        (source, target)
        for source, targets in ALLOWED.items()
        for target in targets
        if source != "demo" and (source, target) not in edges
    }
    assert not stale, f"ALLOWED lists edges the code no longer has; delete them: {stale}"


def test_no_feature_imports_another_features_views() -> None:
    reached = [
        f"{path.relative_to(ROOT)}: {module}"
        for path in _python_files("campaign")
        for module in imports_of(path)
        if module in view_modules()
        and feature_of(module) != feature_of(_module_name(path))
        and _module_name(path) != "campaign"
    ]
    assert not reached


def test_core_modules_import_no_feature_beyond_the_table() -> None:
    for path in _python_files("campaign"):
        name = _module_name(path)
        if feature_of(name):
            continue
        reached = {feature_of(m) for m in imports_of(path)} - {None}
        assert reached <= set(CORE_ALLOWED.get(name, ())), (name, reached)


def test_the_jobs_module_depends_on_no_feature() -> None:
    assert not [m for m in imports_of(CAMPAIGN / "jobs.py") if feature_of(m)]


def test_press_imports_nothing_of_the_app() -> None:
    for path in _python_files("press"):
        roots = {module.split(".")[0] for module in imports_of(path)}
        assert not roots & PRESS_FORBIDDEN, (path.name, roots & PRESS_FORBIDDEN)


def test_workers_only_call_services() -> None:
    """Tasks call service modules (and `create_app` to build the app), never views or forms."""
    for path in _python_files("workers"):
        for module in imports_of(path):
            if module.startswith("campaign."):
                core = module == "campaign.create_app" or module.startswith("campaign.jobs")
                assert feature_of(module) or core, (path.name, module)
                assert module not in view_modules(), (path.name, module)
                assert not module.endswith(".forms"), (path.name, module)


def test_feature_templates_use_other_features_templates_only_along_allowed_edges() -> None:
    used = re.compile(r'{%-?\s*(?:include|import|from|extends)\s+"(\w+)/')
    for path in sorted((CAMPAIGN / "templates").rglob("*.html")):
        parts = path.relative_to(CAMPAIGN / "templates").parts
        source = parts[0] if len(parts) > 1 else None
        for target in set(used.findall(path.read_text())) - {source}:
            allowed = FOUNDATIONS | ALLOWED.get(source, set()) | TEMPLATE_ALLOWED.get(source, set())
            assert source is None or target in allowed, (str(path), target)


def test_every_python_folder_is_a_package() -> None:
    """A folder without `__init__.py` is left out of the wheel by setuptools' package finder."""
    for package in ("campaign", "press", "workers"):
        folders = {path.parent for path in _python_files(package)}
        assert [f for f in folders if not (f / "__init__.py").exists()] == []
