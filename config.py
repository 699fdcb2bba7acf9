"""Settings for Campaign Desk.

The defaults run everything on one machine with no server to install: a SQLite file, a
SQLite-backed Celery broker and mail written to an outbox folder. Production points the same
settings at PostgreSQL, Redis and SMTP through the environment variables read by
`apply_environment`, which runs inside `create_app`, never at import time.

Everything the app writes lives in one instance folder: Flask's `app.instance_path`, which is
`<checkout>/instance` in a checkout and `<prefix>/var/campaign-instance` when the package is
installed (never site-packages), or the folder named by CAMPAIGN_INSTANCE_PATH. Settings whose
default is "" below mean "in the instance folder"; `apply_instance_defaults` fills them in.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

# The environment variable that moves the instance folder (web, CLI and workers alike).
INSTANCE_PATH_VARIABLE = "CAMPAIGN_INSTANCE_PATH"


class Config:
    # Signs sessions and emailed links. "" = generate a random key on first start and keep it
    # in SECRET_KEY_FILE ("" = secret_key in the instance folder, owner-only). Published keys
    # are refused.
    SECRET_KEY = ""
    SECRET_KEY_FILE = ""
    # Staff sessions end after this many minutes without a request (0 = never; sign-out ends
    # them at once).
    SESSION_IDLE_MINUTES = 60
    # Password reset and account invitation links: lifetime in seconds (each works once).
    PASSWORD_RESET_MAX_AGE = 3600
    INVITATION_MAX_AGE = 7 * 24 * 3600
    # Roles (comma-separated, e.g. "admin,press_officer") that must use two-factor sign-in.
    TWO_FACTOR_ROLES = ""
    # "" = the SQLite file campaign.db in the instance folder.
    SQLALCHEMY_DATABASE_URI = ""
    # pool_pre_ping: a connection the database dropped (restart, failover) is replaced
    # before use, so the first request after an outage succeeds.
    SQLALCHEMY_ENGINE_OPTIONS: dict[str, Any] = {"pool_pre_ping": True}
    # Seconds a client is told to wait (Retry-After) when the database is unreachable.
    DATABASE_RETRY_AFTER = 30
    # Celery: "" = an embedded broker and result store in SQLite files in the instance folder
    # (see README, "Embedded mode").
    CELERY_BROKER_URL = ""
    CELERY_RESULT_BACKEND = ""
    CELERY_TASK_ALWAYS_EAGER = False
    CELERY_QUEUE = "campaign"
    # Mail: "outbox" writes .eml files to OUTBOX_DIR ("" = outbox/ in the instance folder);
    # "smtp" talks to SMTP_HOST.
    MAIL_BACKEND = "outbox"
    OUTBOX_DIR = ""
    MAIL_FROM = "Campaign Desk <desk@example.org>"
    SMTP_HOST = "localhost"
    SMTP_PORT = 25
    SMTP_USERNAME = ""
    SMTP_PASSWORD = ""
    SMTP_STARTTLS = False
    SMTP_TIMEOUT = 30
    # Bounces (see README, "Bounces and the suppression list"). BOUNCE_ADDRESS turns on a
    # per-recipient envelope sender (VERP): bounces+<row>-<signature>@domain.
    BOUNCE_ADDRESS = ""
    # Where the bounce reader looks: a local Maildir (embedded mode) and/or an IMAP mailbox.
    BOUNCE_MAILDIR = ""
    BOUNCE_IMAP_HOST = ""
    BOUNCE_IMAP_PORT = 993
    BOUNCE_IMAP_USERNAME = ""
    BOUNCE_IMAP_PASSWORD = ""
    BOUNCE_IMAP_FOLDER = "INBOX"
    # Shared secret of the providers' bounce/complaint webhook (HMAC-SHA256 of the body);
    # empty refuses every webhook call.
    BOUNCE_WEBHOOK_SECRET = ""
    # DKIM signing of distribution emails: all three set, or none.
    DKIM_SELECTOR = ""
    DKIM_DOMAIN = ""
    DKIM_PRIVATE_KEY_PATH = ""
    # How many extra addresses a "send a test" may reach besides the press officer.
    DISTRIBUTION_TEST_EXTRA_ADDRESSES = 5
    # Public base URL used in links inside emails and PDFs.
    PUBLIC_BASE_URL = "http://127.0.0.1:5000"
    # The organization printed at the head of every PDF (LOGO_PATH: a PNG or JPEG file).
    LETTERHEAD_NAME = "Campaign Desk"
    LETTERHEAD_ADDRESS = ""
    LETTERHEAD_LOGO_PATH = ""
    # Defaults of the organization profile that admins edit at /admin/settings; each of the
    # profile's settings, when set by an environment variable, overrides the web UI.
    ORG_BOILERPLATE = ""
    ORG_ACCENT_COLOUR = "#1f5f8b"
    # Letters with more signatories than this are rendered by a worker, not in the request.
    PDF_INLINE_SIGNATORY_LIMIT = 500
    # Seconds a PDF render may take in a web request / in a worker job before it is stopped.
    PDF_RENDER_TIME_LIMIT = 30
    PDF_JOB_TIME_LIMIT = 600
    # Limits on what staff can store in one statement version (documented in README).
    STATEMENT_BODY_MAX_CHARS = 200_000
    RATELIMIT_STORAGE_URI = "memory://"
    # When the rate-limit storage (Redis) is down, count per process in memory (logged)
    # instead of failing the request: signing on must not depend on Redis.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_ENABLED = True
    RATELIMIT_HEADERS_ENABLED = True
    LOGIN_RATE_LIMIT = "5 per minute"
    # werkzeug's password hash; tests use a cheap one.
    PASSWORD_HASH_METHOD = "scrypt"
    # Public sign-on (see README, "Coalition sign-on").
    SIGNON_RATE_LIMIT = "10 per minute;200 per day"
    SIGNON_CONFIRM_MAX_AGE = 3 * 24 * 3600
    SIGNON_FORM_MAX_AGE = 12 * 3600
    SIGNON_LOGO_MAX_BYTES = 1_000_000
    SIGNON_LOGO_MAX_PIXELS = 4_000_000
    SIGNON_IMPORT_MAX_ROWS = 20_000
    # Confirmation-type mails one address can receive from the public forms in 24 hours.
    SIGNON_MAILS_PER_ADDRESS = 5
    WTF_CSRF_TIME_LIMIT = None
    # Sites allowed to frame the sign-on embed (CSP frame-ancestors list; "*" = any site).
    EMBED_FRAME_ANCESTORS = "*"
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
    DISTRIBUTION_BATCH_SIZE = 100
    DISTRIBUTION_MAX_ATTEMPTS = 5
    DISTRIBUTION_RETRY_SECONDS = 60
    DISTRIBUTION_CLAIM_LEASE_SECONDS = 300
    DISTRIBUTION_PARALLELISM = 2
    # SMTP sessions each task sends over at once: a message is staged on each, then all are
    # handed over with one commit (1 = one session, one commit per message).
    DISTRIBUTION_SMTP_SESSIONS = 10
    # Recipient failures in a row after which a distribution pauses itself (0 = never).
    DISTRIBUTION_MAX_ERRORS_IN_ROW = 20
    # Single mails (confirmations, invitations, deliveries): attempts before a transient
    # failure counts as failed, first retry delay (doubling), and the claim lease.
    MAIL_MAX_ATTEMPTS = 6
    MAIL_RETRY_SECONDS = 60
    MAIL_CLAIM_LEASE_SECONDS = 300
    # Partner review: public comment POSTs per client IP, and the longest comment accepted.
    REVIEW_COMMENT_RATE_LIMIT = "20 per minute"
    REVIEW_COMMENT_MAX_CHARS = 5000
    # How often the beat sweep publishes releases whose embargo has lifted (public pages
    # show them at the lift instant anyway; listings and feeds follow within this).
    EMBARGO_SWEEP_SECONDS = 30
    # Newsroom listings, feeds and sitemap are cached this long at most (0 = off); any
    # publication, retraction, lift or settings change is seen at once regardless.
    NEWSROOM_CACHE_SECONDS = 60
    # Verifiable letters (docs/VERIFY.md): the Ed25519 signing key file ("" = instance folder,
    # made on first use, mode 0600) and POSTs per client IP to the public verification page.
    ATTEST_KEY_PATH = ""
    VERIFY_RATE_LIMIT = "30 per minute"
    # Domain verification: where the token file is looked for, and the fetcher's limits.
    # Private and local addresses are refused unless FETCH_ALLOW_PRIVATE_ADDRESSES.
    DOMAIN_WELL_KNOWN_URL = "https://{domain}/.well-known/campaign-desk.txt"
    DOMAIN_FETCH_TIMEOUT = 10
    DOMAIN_FETCH_MAX_BYTES = 64 * 1024
    # Fetching pages and feeds from outside (coverage, domain checks): private and loopback
    # addresses are refused unless this is on (tests serve pages on 127.0.0.1); the largest
    # body, the whole fetch's time budget in seconds, and the redirects followed.
    FETCH_ALLOW_PRIVATE_ADDRESSES = False
    FETCH_MAX_BYTES = 5_000_000
    FETCH_TIMEOUT_SECONDS = 15
    FETCH_MAX_REDIRECTS = 5
    FETCH_USER_AGENT = "CampaignDesk/1.0 (coverage tracking)"
    # Coverage: minutes between two polls of one feed, and new entries fetched per poll.
    COVERAGE_FEED_POLL_MINUTES = 30
    COVERAGE_FEED_MAX_ENTRIES = 50
    # Recruitment (coalition directory): how long a personal sign/decline link works, and
    # reminders to invitations with no answer, this many days before the sign-on deadline
    # (comma-separated, one reminder per step at most; empty = no reminders).
    DIRECTORY_INVITE_MAX_AGE = 60 * 24 * 3600
    DIRECTORY_REMINDER_DAYS = "7,2"


class TestingConfig(Config):
    TESTING = True
    SECRET_KEY = secrets.token_urlsafe(32)  # random per run: no key in the source
    # Tests move the clock by days; the idle-timeout tests set their own limit.
    SESSION_IDLE_MINUTES = 0
    WTF_CSRF_ENABLED = False
    CELERY_TASK_ALWAYS_EAGER = True
    PASSWORD_HASH_METHOD = "pbkdf2:sha256:1000"
    # Tests share one app across databases they empty; test_newsroom_cache turns it on.
    NEWSROOM_CACHE_SECONDS = 0


_ENVIRONMENT: dict[str, str] = {
    "SECRET_KEY": "SECRET_KEY",
    "SECRET_KEY_FILE": "SECRET_KEY_FILE",
    "TWO_FACTOR_ROLES": "TWO_FACTOR_ROLES",
    "EMBED_FRAME_ANCESTORS": "EMBED_FRAME_ANCESTORS",
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
    "ORG_BOILERPLATE": "ORG_BOILERPLATE",
    "ORG_ACCENT_COLOUR": "ORG_ACCENT_COLOUR",
    "CONTACT_IMPORT_DIR": "CONTACT_IMPORT_DIR",
    "BOUNCE_ADDRESS": "BOUNCE_ADDRESS",
    "BOUNCE_MAILDIR": "BOUNCE_MAILDIR",
    "BOUNCE_IMAP_HOST": "BOUNCE_IMAP_HOST",
    "BOUNCE_IMAP_USERNAME": "BOUNCE_IMAP_USERNAME",
    "BOUNCE_IMAP_PASSWORD": "BOUNCE_IMAP_PASSWORD",
    "BOUNCE_IMAP_FOLDER": "BOUNCE_IMAP_FOLDER",
    "BOUNCE_WEBHOOK_SECRET": "BOUNCE_WEBHOOK_SECRET",
    "DKIM_SELECTOR": "DKIM_SELECTOR",
    "DKIM_DOMAIN": "DKIM_DOMAIN",
    "DKIM_PRIVATE_KEY_PATH": "DKIM_PRIVATE_KEY_PATH",
    "ATTEST_KEY_PATH": "ATTEST_KEY_PATH",
    "VERIFY_RATE_LIMIT": "VERIFY_RATE_LIMIT",
    "DOMAIN_WELL_KNOWN_URL": "DOMAIN_WELL_KNOWN_URL",
    "FETCH_USER_AGENT": "FETCH_USER_AGENT",
    "DIRECTORY_REMINDER_DAYS": "DIRECTORY_REMINDER_DAYS",
}
_INTEGER_ENVIRONMENT = {
    "SESSION_IDLE_MINUTES": "SESSION_IDLE_MINUTES",
    "DISTRIBUTION_TEST_EXTRA_ADDRESSES": "DISTRIBUTION_TEST_EXTRA_ADDRESSES",
    "SMTP_PORT": "SMTP_PORT",
    "BOUNCE_IMAP_PORT": "BOUNCE_IMAP_PORT",
    "TRUSTED_PROXIES": "TRUSTED_PROXIES",
    "CONTACT_IMPORT_MAX_BYTES": "CONTACT_IMPORT_MAX_BYTES",
    "CONTACT_IMPORT_INLINE_ROWS": "CONTACT_IMPORT_INLINE_ROWS",
    "PDF_INLINE_SIGNATORY_LIMIT": "PDF_INLINE_SIGNATORY_LIMIT",
    "PDF_RENDER_TIME_LIMIT": "PDF_RENDER_TIME_LIMIT",
    "PDF_JOB_TIME_LIMIT": "PDF_JOB_TIME_LIMIT",
    "SIGNON_CONFIRM_MAX_AGE": "SIGNON_CONFIRM_MAX_AGE",
    "SIGNON_LOGO_MAX_BYTES": "SIGNON_LOGO_MAX_BYTES",
    "SIGNON_MAILS_PER_ADDRESS": "SIGNON_MAILS_PER_ADDRESS",
    "SIGNON_LOGO_MAX_PIXELS": "SIGNON_LOGO_MAX_PIXELS",
    "DISTRIBUTION_RATE_PER_MINUTE": "DISTRIBUTION_RATE_PER_MINUTE",
    "DISTRIBUTION_BATCH_SIZE": "DISTRIBUTION_BATCH_SIZE",
    "DISTRIBUTION_MAX_ATTEMPTS": "DISTRIBUTION_MAX_ATTEMPTS",
    "DISTRIBUTION_RETRY_SECONDS": "DISTRIBUTION_RETRY_SECONDS",
    "DISTRIBUTION_CLAIM_LEASE_SECONDS": "DISTRIBUTION_CLAIM_LEASE_SECONDS",
    "DISTRIBUTION_PARALLELISM": "DISTRIBUTION_PARALLELISM",
    "DISTRIBUTION_SMTP_SESSIONS": "DISTRIBUTION_SMTP_SESSIONS",
    "DISTRIBUTION_MAX_ERRORS_IN_ROW": "DISTRIBUTION_MAX_ERRORS_IN_ROW",
    "MAIL_MAX_ATTEMPTS": "MAIL_MAX_ATTEMPTS",
    "MAIL_RETRY_SECONDS": "MAIL_RETRY_SECONDS",
    "MAIL_CLAIM_LEASE_SECONDS": "MAIL_CLAIM_LEASE_SECONDS",
    "DATABASE_RETRY_AFTER": "DATABASE_RETRY_AFTER",
    "EMBARGO_SWEEP_SECONDS": "EMBARGO_SWEEP_SECONDS",
    "NEWSROOM_CACHE_SECONDS": "NEWSROOM_CACHE_SECONDS",
    "DOMAIN_FETCH_TIMEOUT": "DOMAIN_FETCH_TIMEOUT",
    "DOMAIN_FETCH_MAX_BYTES": "DOMAIN_FETCH_MAX_BYTES",
    "FETCH_MAX_BYTES": "FETCH_MAX_BYTES",
    "FETCH_TIMEOUT_SECONDS": "FETCH_TIMEOUT_SECONDS",
    "FETCH_MAX_REDIRECTS": "FETCH_MAX_REDIRECTS",
    "COVERAGE_FEED_POLL_MINUTES": "COVERAGE_FEED_POLL_MINUTES",
    "COVERAGE_FEED_MAX_ENTRIES": "COVERAGE_FEED_MAX_ENTRIES",
    "DIRECTORY_INVITE_MAX_AGE": "DIRECTORY_INVITE_MAX_AGE",
}
_BOOLEAN_ENVIRONMENT = {
    "SMTP_STARTTLS": "SMTP_STARTTLS",
    "FETCH_ALLOW_PRIVATE_ADDRESSES": "FETCH_ALLOW_PRIVATE_ADDRESSES",
}


def database_url(url: str) -> str:
    """Accept the `postgres://` URLs hosting providers hand out and pick the psycopg 3 driver."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def instance_path(environ: os._Environ[str] | dict[str, str]) -> str | None:
    """The instance folder CAMPAIGN_INSTANCE_PATH names (absolute), or None for Flask's own.

    Flask's default depends on where the package sits, not on the working directory, so the
    web server, the CLI and `celery -A workers` started anywhere find the same folder.
    """
    folder = environ.get(INSTANCE_PATH_VARIABLE)
    return os.path.abspath(folder) if folder else None


def instance_defaults(instance: str) -> dict[str, str]:
    """Where each file the app writes goes when its setting is "": all inside `instance`."""
    folder = Path(instance)
    return {
        "SECRET_KEY_FILE": str(folder / "secret_key"),
        "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'campaign.db'}",
        "CELERY_BROKER_URL": f"sqla+sqlite:///{folder / 'broker.sqlite'}",
        "CELERY_RESULT_BACKEND": f"db+sqlite:///{folder / 'celery-results.sqlite'}",
        "OUTBOX_DIR": str(folder / "outbox"),
        "CONTACT_IMPORT_DIR": str(folder / "contact-imports"),
        "ATTEST_KEY_PATH": str(folder / "attest-ed25519.pem"),
    }


def apply_instance_defaults(config: dict[str, Any], instance: str) -> None:
    """Fill the settings left "" with their place in the instance folder."""
    for key, value in instance_defaults(instance).items():
        if not config.get(key):
            config[key] = value


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
    from_environment = set()
    for name, key in _ENVIRONMENT.items():
        if name in environ:
            config[key] = environ[name]
            from_environment.add(key)
    for name, key in _INTEGER_ENVIRONMENT.items():
        if name in environ:
            config[key] = int(environ[name])
    for name, key in _BOOLEAN_ENVIRONMENT.items():
        if name in environ:
            config[key] = environ[name].strip().lower() in {"1", "true", "yes", "on"}
    config["SQLALCHEMY_DATABASE_URI"] = database_url(config["SQLALCHEMY_DATABASE_URI"])
    # The organization settings page shows these as fixed by the server.
    config["SETTINGS_FROM_ENVIRONMENT"] = frozenset(from_environment)
