"""Settings for Campaign Desk.

The defaults run everything on one machine with no server to install: a SQLite file, a
SQLite-backed Celery broker and mail written to an outbox folder. Production points the same
settings at PostgreSQL, Redis and SMTP through the environment variables read by
`apply_environment`, which runs inside `create_app`, never at import time.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent / "instance"


class Config:
    SECRET_KEY = "dev-only-insecure-key-set-SECRET_KEY-in-production"
    SQLALCHEMY_DATABASE_URI = f"sqlite:///{INSTANCE_DIR / 'campaign.db'}"
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {}
    # Celery: an embedded broker and result store in SQLite files (see README, "Embedded mode").
    CELERY_BROKER_URL = f"sqla+sqlite:///{INSTANCE_DIR / 'broker.sqlite'}"
    CELERY_RESULT_BACKEND = f"db+sqlite:///{INSTANCE_DIR / 'celery-results.sqlite'}"
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_QUEUE = "campaign"
    # Mail: "outbox" writes .eml files to OUTBOX_DIR; "smtp" talks to SMTP_HOST.
    MAIL_BACKEND = "outbox"
    OUTBOX_DIR = str(INSTANCE_DIR / "outbox")
    MAIL_FROM = "Campaign Desk <desk@localhost>"
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = False
    SMTP_TIMEOUT = 30
    # Public base URL used in links inside emails and PDFs.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    # The organization printed at the head of every PDF (LOGO_PATH: a PNG or JPEG file).
    LETTERHEAD_NAME = "Campaign Desk"
    LETTERHEAD_ADDRESS = ""
    LETTERHEAD_LOGO_PATH = ""
    # Letters with more signatories than this are rendered by a worker, not in the request.
    PDF_INLINE_SIGNATORY_LIMIT = 500
    # Limits on what staff can store in one statement version (documented in README).
    STATEMENT_BODY_MAX_CHARS = 200_000
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "5 per minute"
    # Public sign-on (see README, "Coalition sign-on").
    SIGNON_RATE_LIMIT = "10 per minute;200 per day"
    SIGNON_CONFIRM_MAX_AGE = 3 * 24 * 3600
    SIGNON_FORM_MAX_AGE = 12 * 3600
    SIGNON_LOGO_MAX_BYTES = 1_000_000
    SIGNON_LOGO_MAX_PIXELS = 4_000_000
    SIGNON_IMPORT_MAX_ROWS = 20_000
    WTF_CSRF_TIME_LIMIT = None
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    MAX_CONTENT_LENGTH = 8 * 1024 * 1024
    # Reverse proxies in front of the app whose X-Forwarded-* headers are trusted (0 = none):
    # per-IP rate limits must see the client's address, not the proxy's.
    TRUSTED_PROXIES = 0
    # Contacts: region for phone numbers given without a country code; CSV import upload cap.
    CONTACTS_PHONE_REGION = "US"
    CONTACT_IMPORT_MAX_BYTES = 64 * 1024 * 1024
    CONTACT_IMPORT_DIR = ""  # where uploads wait between import steps; "" = instance folder
    CONTACT_IMPORT_INLINE_ROWS = 2_000  # larger files are checked and written by a worker
    # Distributions: organization-wide messages per minute across all workers (0 = no limit),
    # recipients claimed per batch, attempts before a transient failure counts as failed,
    # first retry delay (doubling each time), and the lease after which a claim is recovered.
    DISTRIBUTION_RATE_PER_MINUTE = 600
    DISTRIBUTION_BATCH_SIZE = 50
    DISTRIBUTION_MAX_ATTEMPTS = 5
    DISTRIBUTION_RETRY_SECONDS = 60
    DISTRIBUTION_CLAIM_LEASE_SECONDS = 300
    DISTRIBUTION_PARALLELISM = 2
    # Partner review: public comment POSTs per client IP, and the longest comment accepted.
    REVIEW_COMMENT_RATE_LIMIT = "20 per minute"
    REVIEW_COMMENT_MAX_CHARS = 5000
    # Recruitment (coalition directory): how long a personal sign/decline link works, and
    # reminders to invitations with no answer, this many days before the sign-on deadline
    # (comma-separated, one reminder per step at most; empty = no reminders).
    DIRECTORY_INVITE_MAX_AGE = 60 * 24 * 3600
    DIRECTORY_REMINDER_DAYS = "7,2"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = "test-secret"
    WTF_CSRF_ENABLED = False
    CELERY_TASK_ALWAYS_EAGER = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"


_ENVIRONMENT: dict[str, str] = {
    "SECRET_KEY": "SECRET_KEY",
    "DATABASE_URL": "SQLALCHEMY_DATABASE_URI",
    "CELERY_BROKER_URL": "CELERY_BROKER_URL",
    "CELERY_RESULT_BACKEND": "CELERY_RESULT_BACKEND",
    "CELERY_QUEUE": "CELERY_QUEUE",
    "RATELIMIT_STORAGE_URI": "RATELIMIT_STORAGE_URI",
    "MAIL_BACKEND": "MAIL_BACKEND",
    "MAIL_FROM": "MAIL_FROM",
    "OUTBOX_DIR": "OUTBOX_DIR",
    "SMTP_HOST": "SMTP_HOST",
    "SMTP_USERNAME": "SMTP_USERNAME",
    "SMTP_PASSWORD": "SMTP_PASSWORD",
    "PUBLIC_BASE_URL": "PUBLIC_BASE_URL",
    "CONTACTS_PHONE_REGION": "CONTACTS_PHONE_REGION",
    "SIGNON_RATE_LIMIT": "SIGNON_RATE_LIMIT",
    "REVIEW_COMMENT_RATE_LIMIT": "REVIEW_COMMENT_RATE_LIMIT",
    "LETTERHEAD_NAME": "LETTERHEAD_NAME",
    "LETTERHEAD_ADDRESS": "LETTERHEAD_ADDRESS",
    "LETTERHEAD_LOGO_PATH": "LETTERHEAD_LOGO_PATH",
    "CONTACT_IMPORT_DIR": "CONTACT_IMPORT_DIR",
    "DIRECTORY_REMINDER_DAYS": "DIRECTORY_REMINDER_DAYS",
}
_INTEGER_ENVIRONMENT = {
    "SMTP_PORT": "SMTP_PORT",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "CONTACT_IMPORT_MAX_BYTES": "CONTACT_IMPORT_MAX_BYTES",
    "CONTACT_IMPORT_INLINE_ROWS": "CONTACT_IMPORT_INLINE_ROWS",
    "PDF_INLINE_SIGNATORY_LIMIT": "PDF_INLINE_SIGNATORY_LIMIT",
    "SIGNON_CONFIRM_MAX_AGE": "SIGNON_CONFIRM_MAX_AGE",
    "SIGNON_LOGO_MAX_BYTES": "SIGNON_LOGO_MAX_BYTES",
    "SIGNON_LOGO_MAX_PIXELS": "SIGNON_LOGO_MAX_PIXELS",
    "DISTRIBUTION_RATE_PER_MINUTE": "DISTRIBUTION_RATE_PER_MINUTE",
    "DISTRIBUTION_BATCH_SIZE": "DISTRIBUTION_BATCH_SIZE",
    "DISTRIBUTION_MAX_ATTEMPTS": "DISTRIBUTION_MAX_ATTEMPTS",
    "DISTRIBUTION_RETRY_SECONDS": "DISTRIBUTION_RETRY_SECONDS",
    "DISTRIBUTION_CLAIM_LEASE_SECONDS": "DISTRIBUTION_CLAIM_LEASE_SECONDS",
    "DISTRIBUTION_PARALLELISM": "DISTRIBUTION_PARALLELISM",
    "DIRECTORY_INVITE_MAX_AGE": "DIRECTORY_INVITE_MAX_AGE",
}
_BOOLEAN_ENVIRONMENT = {"SMTP_STARTTLS": "SMTP_STARTTLS"}


def database_url(url: str) -> str:
    """Accept the `postgres://` URLs hosting providers hand out and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def apply_environment(config: dict[str, Any], environ: os._Environ[str] | dict[str, str]) -> None:
    """Overlay the documented environment variables on `config`.

    REDIS_URL is a shortcut that points the broker, the result store and the rate-limit
    storage at one Redis server, which is what a production deployment usually wants.
    """
    redis_url = environ.get("REDIS_URL")
    if redis_url:
        config["CELERY_BROKER_URL"] = redis_url
        config["CELERY_RESULT_BACKEND"] = redis_url
        config["RATELIMIT_STORAGE_URI"] = redis_url
    for name, key in _ENVIRONMENT.items():
        if name in environ:
            config[key] = environ[name]
    for name, key in _INTEGER_ENVIRONMENT.items():
        if name in environ:
            config[key] = int(environ[name])
    for name, key in _BOOLEAN_ENVIRONMENT.items():
        if name in environ:
            config[key] = environ[name].strip().lower() in {"1", "true", "yes", "on"}
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config["SQLALCHEMY_DATABASE_URI"])
