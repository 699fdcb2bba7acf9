"""Configuration drift: what the code reads, what config.py defines, what the README documents.

A setting read by the code but missing from `config.py` silently falls back to a default
nobody chose (statement phone numbers once read a setting that did not exist); an
environment variable missing from the README table is one nobody can find.
"""

from __future__ import annotations

import re

import config
from bench.scratch import ROOT

READ = re.compile(r"""config(?:\.get\(|\[)\s*f?["']([A-Z][A-Z0-9_]*)(\{)?""")
README_ROW = re.compile(r"^\| ((?:`[A-Z0-9_]+`(?:, )?)+) \|", re.MULTILINE)
NAME = re.compile(r"`([A-Z0-9_]+)`")
# Keys that Flask or an extension reads, or that create_app derives; not ours to document.
DERIVED = {"SETTINGS_FROM_ENVIRONMENT", "TESTING", "SESSION_COOKIE_SECURE"}


def _code_reads() -> tuple[set[str], set[str]]:
    """(setting names read literally, prefixes of names built with an f-string)."""
    names, prefixes = set(), set()
    for package in ("campaign", "press", "workers"):
        for path in (ROOT / package).rglob("*.py"):
            for name, dynamic in READ.findall(path.read_text()):
                (prefixes if dynamic else names).add(name)
    return names, prefixes


def _defined() -> set[str]:
    return {name for name in dir(config.Config) if name.isupper()}


def _environment_variables() -> set[str]:
    mappings = (config._ENVIRONMENT, config._INTEGER_ENVIRONMENT, config._BOOLEAN_ENVIRONMENT)
    not_one_setting = {"REDIS_URL", config.INSTANCE_PATH_VARIABLE}
    return not_one_setting | {name for mapping in mappings for name in mapping}


def _readme_table() -> set[str]:
    text = (ROOT / "README.md").read_text()
    return {name for cell in README_ROW.findall(text) for name in NAME.findall(cell)}


def test_every_setting_the_code_reads_is_defined_in_config():
    names, prefixes = _code_reads()
    defined = _defined()
    assert names - defined - DERIVED == set(), "add these to config.Config"
    for prefix in prefixes:
        assert any(name.startswith(prefix) for name in defined), prefix


def test_every_environment_variable_is_in_the_readme_table_and_back():
    documented, variables = _readme_table(), _environment_variables()
    assert variables - documented == set(), "document these in the README's configuration table"
    assert documented - variables == set(), "the README documents variables the app never reads"


def test_every_environment_variable_sets_a_defined_setting():
    mappings = (config._ENVIRONMENT, config._INTEGER_ENVIRONMENT, config._BOOLEAN_ENVIRONMENT)
    targets = {key for mapping in mappings for key in mapping.values()}
    assert targets - _defined() == set()


def test_each_environment_table_is_defined_once():
    """A second definition silently replaces the first (a merge once did that)."""
    text = (ROOT / "config.py").read_text()
    for table in ("_ENVIRONMENT", "_INTEGER_ENVIRONMENT", "_BOOLEAN_ENVIRONMENT"):
        assert text.count(f"\n{table}") == 1, table
