"""fieldapp: offline-first field app for voluntary social insurance and household health insurance."""
from flask import Flask

from . import config

__version__ = "2026.11.1"


def create_app(test_config=None):
    """Application factory: nothing touches the database or network at import time."""
    app = Flask(__name__, instance_relative_config=True,
                static_folder="../static", template_folder="../templates")
    config.load(app, test_config)
    if app.config["TRUSTED_PROXIES"]:
        # Behind N proxies the client is the N-th address from the right of X-Forwarded-For;
        # what a client writes further left is ignored. With 0 the header is never read.
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)

    from .db import engine, schema
    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    engine.private_sqlite_file(app.config["SQLALCHEMY_DATABASE_URI"], app.instance_path)
    db.init_app(app)
    with app.app_context():
        engine.tune(db.engine)
    migrate.init_app(app, db, directory=str(schema.MIGRATIONS), render_as_batch=True)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.session_protection = "strong"

    from . import i18n

    babel.init_app(app, locale_selector=i18n.select_locale,
                   default_translation_directories=str(i18n.TRANSLATIONS))
    i18n.init_app(app)

    from flask_babel import lazy_gettext

    login_manager.login_message = lazy_gettext("Please sign in to open this page.")
    login_manager.login_message_category = "info"

    from .auth import sessions

    # A session is refused after sign-out, a password reset or too long unused (auth/sessions.py).
    login_manager.user_loader(sessions.load_user)
    app.session_interface = sessions.CookieSessions()

    from .web import errors, security

    errors.init_app(app)
    security.init_app(app)

    _register_blueprints(app)

    from .data import cli

    cli.init_app(app)

    @app.context_processor
    def inject_globals():
        from flask_babel import get_locale

        return {"app_version": __version__, "current_lang": str(get_locale() or "vi")}

    return app


def _register_blueprints(app):
    """Every blueprint by name: a package that loses its ``bp`` fails here, not silently."""
    from .admin import bp as admin
    from .api import bp as api
    from .auth import bp as auth
    from .collector import bp as collector
    from .main import bp as main
    from .supervisor import bp as supervisor

    for bp in (main, auth, api, collector, supervisor, admin):
        app.register_blueprint(bp)
