"""Campaign Desk: statements, coalition sign-on, press PDFs and media distribution."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, apply_environment, apply_instance_defaults, instance_path


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults from `config.Config`, then the environment, then `config`.

    Files the settings leave unplaced go to the one instance folder (see config.py).
    """
    # campaign/templates and campaign/static, installed with the package
    app = Flask(__name__, instance_path=instance_path(os.environ))
    app.config.from_object(Config)
    apply_environment(app.config, os.environ)
    app.config.update(config or {})
    apply_instance_defaults(app.config, app.instance_path)
    os.makedirs(app.instance_path, exist_ok=True)
    _secure_cookies(app, config or {})
    _trust_proxies(app)

    _init_extensions(app)
    _register_blueprints(app)
    _register_template_helpers(app)

    from campaign.baseurl import warn_on_mismatch
    from campaign.errors import register_error_handlers
    from workers.app import celery_init_app

    register_error_handlers(app)
    warn_on_mismatch(app)
    celery_init_app(app)
    return app


def _secure_cookies(app: Flask, explicit: dict[str, Any]) -> None:
    """A generated or checked key (see auth/keys.py); cookies `Secure` when served over HTTPS."""
    from campaign.auth.keys import install_secret_key

    install_secret_key(app)
    if "SESSION_COOKIE_SECURE" not in explicit:
        https = app.config["PUBLIC_BASE_URL"].lower().startswith("https://")
        app.config["SESSION_COOKIE_SECURE"] = https


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client address and scheme from their headers."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        # Flask documents wrapping wsgi_app this way; mypy sees assigning over a method.
        app.wsgi_app = ProxyFix(  # type: ignore[method-assign]
            app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops
        )


def _init_extensions(app: Flask) -> None:
    from campaign.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."

    _init_trust(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _tune_sqlite)


def _init_trust(app: Flask) -> None:
    """Session checks, then two-factor enrolment, then the permission map; headers last."""
    from campaign.auth.permissions import init_permissions
    from campaign.auth.sessions import init_sessions
    from campaign.auth.two_factor_routes import init_two_factor
    from campaign.security_headers import init_security_headers
    from campaign.urlconverters import BoundedIntConverter

    app.url_map.converters["int"] = BoundedIntConverter
    init_sessions(app)
    init_two_factor(app)
    init_permissions(app)
    init_security_headers(app)


def _tune_sqlite(dbapi_connection: Any, record: Any) -> None:
    """WAL and a busy timeout let the web process and the worker share the SQLite file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _register_blueprints(app: Flask) -> None:
    from campaign import models  # noqa: F401  (every table known to Alembic and create_all)
    from campaign.attest.cli import cli as attest_cli
    from campaign.attest.routes import bp as attest_bp
    from campaign.audit.routes import bp as audit_bp
    from campaign.auth.cli import cli as auth_cli
    from campaign.auth.routes import bp as auth_bp
    from campaign.auth.two_factor_routes import bp as two_factor_bp
    from campaign.auth.user_routes import bp as users_bp
    from campaign.bounces.webhook import bp as bounce_webhook_bp
    from campaign.campaigns.routes import bp as campaigns_bp
    from campaign.contacts.cli import cli as contacts_cli
    from campaign.contacts.import_routes import bp as contact_imports_bp
    from campaign.contacts.list_routes import bp as contact_lists_bp
    from campaign.contacts.routes import bp as contacts_bp
    from campaign.coverage.feed_routes import bp as coverage_feeds_bp
    from campaign.coverage.note_routes import bp as contact_notes_bp
    from campaign.coverage.report_routes import bp as impact_bp
    from campaign.coverage.routes import bp as coverage_bp
    from campaign.deliverability.routes import bp as deliverability_bp
    from campaign.demo import cli as demo_cli
    from campaign.directory.badges import bp as coalition_public_bp
    from campaign.directory.comment_routes import bp as comments_bp
    from campaign.directory.partner_routes import bp as partners_bp
    from campaign.directory.public_routes import bp as directory_public_bp
    from campaign.directory.recruit_routes import bp as recruitment_bp
    from campaign.directory.routes import bp as directory_bp
    from campaign.directory.sheet_routes import bp as sheet_bp
    from campaign.distribution.routes import bp as distribution_bp
    from campaign.distribution.suppression_routes import bp as suppressions_bp
    from campaign.distribution.unsubscribe import bp as unsubscribe_bp
    from campaign.embargo.public_routes import bp as embargo_public_bp
    from campaign.embargo.routes import bp as embargo_bp
    from campaign.mail.routes import bp as mail_bp
    from campaign.newsroom.routes import bp as newsroom_bp
    from campaign.notify.reactions import connect as connect_notifications
    from campaign.notify.routes import bp as notify_bp
    from campaign.pdfs.cli import cli as pdfs_cli
    from campaign.pdfs.routes import bp as pdfs_bp
    from campaign.public.routes import bp as public_bp
    from campaign.review.routes import bp as review_bp
    from campaign.review.routes import public_bp as review_public_bp
    from campaign.signon.cli import cli as signon_cli
    from campaign.signon.public_routes import bp as signon_public_bp
    from campaign.signon.question_routes import bp as questions_bp
    from campaign.signon.routes import bp as signon_bp
    from campaign.site.routes import bp as site_bp
    from campaign.site.routes import public_bp as site_public_bp
    from campaign.statements.routes import bp as statements_bp
    from campaign.targets.routes import bp as targets_bp

    for blueprint in (
        auth_bp,
        two_factor_bp,
        users_bp,
        auth_cli,
        audit_bp,
        campaigns_bp,
        statements_bp,
        public_bp,
        review_bp,
        review_public_bp,
        targets_bp,
        signon_bp,
        signon_public_bp,
        signon_cli,
        distribution_bp,
        suppressions_bp,
        unsubscribe_bp,
        mail_bp,
        bounce_webhook_bp,
        deliverability_bp,
        demo_cli,
        pdfs_bp,
        pdfs_cli,
        contacts_cli,
        contacts_bp,
        contact_lists_bp,
        contact_imports_bp,
        site_bp,
        site_public_bp,
        embargo_bp,
        embargo_public_bp,
        newsroom_bp,
        attest_bp,
        attest_cli,
        coverage_bp,
        coverage_feeds_bp,
        contact_notes_bp,
        impact_bp,
        directory_bp,
        directory_public_bp,
        recruitment_bp,
        partners_bp,
        coalition_public_bp,
        comments_bp,
        sheet_bp,
        questions_bp,
        notify_bp,
    ):
        app.register_blueprint(blueprint)
    connect_notifications()
    app.add_url_rule("/favicon.ico", "favicon", _favicon)


def _favicon() -> Any:
    """Browsers ask for /favicon.ico whatever the page links; answer with the SVG icon itself
    (not a redirect: some clients and link checkers count a 301 as a missing icon)."""
    from flask import current_app

    return current_app.send_static_file("favicon.svg")


def _register_template_helpers(app: Flask) -> None:
    from campaign.auth.roles import Permission
    from campaign.coverage import register_template_helpers
    from campaign.hooks import init_hooks
    from campaign.templating import register

    app.jinja_env.globals["Permission"] = Permission
    register(app)
    init_hooks(app)
    register_template_helpers(app)
