"""Campaign Desk: statements, coalition sign-on, press PDFs and media distribution."""

from __future__ import annotations

import os
from typing import Any

from flask import Flask
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from config import Config, apply_environment


def create_app(config: dict[str, Any] | None = None) -> Flask:
    """Build the app: defaults from `config.Config`, then the environment, then `config`."""
    app = Flask(__name__, template_folder="../templates", static_folder="../static")
    app.config.from_object(Config)
    apply_environment(app.config, os.environ)
    app.config.update(config or {})
    os.makedirs(app.instance_path, exist_ok=True)
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


def _trust_proxies(app: Flask) -> None:
    """Behind N reverse proxies, take the client address and scheme from their headers."""
    hops = app.config["TRUSTED_PROXIES"]
    if hops:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)


def _init_extensions(app: Flask) -> None:
    from campaign.extensions import csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=os.path.join(os.path.dirname(__file__), "..", "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please sign in to see that page."

    from campaign.auth.models import User

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id))

    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            event.listen(db.engine, "connect", _tune_sqlite)


def _tune_sqlite(dbapi_connection: Any, record: Any) -> None:
    """WAL and a busy timeout let the web process and the worker share the SQLite file."""
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


def _register_blueprints(app: Flask) -> None:
    from campaign import models  # noqa: F401  (every table known to Alembic and create_all)
    from campaign.audit.routes import bp as audit_bp
    from campaign.auth.cli import cli as auth_cli
    from campaign.auth.routes import bp as auth_bp
    from campaign.campaigns.routes import bp as campaigns_bp
    from campaign.contacts.cli import cli as contacts_cli
    from campaign.contacts.import_routes import bp as contact_imports_bp
    from campaign.contacts.list_routes import bp as contact_lists_bp
    from campaign.contacts.routes import bp as contacts_bp
    from campaign.demo import cli as demo_cli
    from campaign.distribution.routes import bp as distribution_bp
    from campaign.distribution.unsubscribe import bp as unsubscribe_bp
    from campaign.notify.reactions import connect as connect_notifications
    from campaign.notify.routes import bp as notify_bp
    from campaign.pdfs.cli import cli as pdfs_cli
    from campaign.pdfs.routes import bp as pdfs_bp
    from campaign.public.routes import bp as public_bp
    from campaign.review.routes import bp as review_bp
    from campaign.review.routes import public_bp as review_public_bp
    from campaign.signon.cli import cli as signon_cli
    from campaign.signon.public_routes import bp as signon_public_bp
    from campaign.signon.routes import bp as signon_bp
    from campaign.site.routes import bp as site_bp
    from campaign.site.routes import public_bp as site_public_bp
    from campaign.statements.routes import bp as statements_bp
    from campaign.targets.routes import bp as targets_bp

    for blueprint in (
        auth_bp,
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
        unsubscribe_bp,
        demo_cli,
        pdfs_bp,
        pdfs_cli,
        contacts_cli,
        contacts_bp,
        contact_lists_bp,
        contact_imports_bp,
        site_bp,
        site_public_bp,
        notify_bp,
    ):
        app.register_blueprint(blueprint)
    connect_notifications()
    app.add_url_rule("/favicon.ico", "favicon", _favicon)


def _favicon() -> Any:
    """Browsers ask for /favicon.ico whatever the page links; answer with the SVG icon."""
    from flask import redirect, url_for

    return redirect(url_for("static", filename="favicon.svg"), 301)


def _register_template_helpers(app: Flask) -> None:
    from campaign.auth.roles import Permission
    from campaign.templating import register

    app.jinja_env.globals["Permission"] = Permission
    register(app)
