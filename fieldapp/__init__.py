"""fieldapp: offline-first field app for voluntary social insurance and household health insurance."""
import importlib

from flask import Flask
from sqlalchemy import event

from . import config

__version__ = "2026.11.1"

#: Blueprint packages; each exposes ``bp`` (registered when present).
BLUEPRINTS = ("main", "auth", "api", "collector", "village", "supervisor", "admin")


def create_app(test_config=None):
    """Application factory: nothing touches the database or network at import time."""
    app = Flask(__name__, instance_relative_config=True,
                static_folder="../static", template_folder="../templates")
    config.load(app, test_config)

    from .extensions import babel, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    with app.app_context():
        _tune_engine(db.engine)
    migrate.init_app(app, db, directory=str(_migrations_dir()), render_as_batch=True)
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

    @login_manager.user_loader
    def load_user(user_id):
        from .models import User

        user = db.session.get(User, int(user_id))
        return user if user is not None and user.active else None

    from . import errors, security

    errors.init_app(app)
    security.init_app(app)

    for name in BLUEPRINTS:
        module = importlib.import_module(f".{name}", __name__)
        bp = getattr(module, "bp", None)
        if bp is not None:
            app.register_blueprint(bp)

    from . import cli

    cli.init_app(app)

    @app.context_processor
    def inject_globals():
        from flask_babel import get_locale

        return {"app_version": __version__, "current_lang": str(get_locale() or "vi")}

    return app


def _migrations_dir():
    from pathlib import Path

    return Path(__file__).parent / "migrations"


def _tune_engine(engine):
    """SQLite: WAL so readers never block the writer, foreign keys on, wait on locks."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):
        # Let SQLAlchemy's BEGIN decide transactions (pysqlite's own handling defers BEGIN).
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA synchronous=NORMAL")
        # Pushes dirty a page per random UUID key in every index: a 64 MB page cache keeps
        # those pages between batches, and checkpointing every 8,000 pages rather than
        # 1,000 writes each hot page back once for several commits (bench/push).
        cur.execute("PRAGMA cache_size=-65536")
        cur.execute("PRAGMA wal_autocheckpoint=8000")
        cur.execute("PRAGMA temp_store=MEMORY")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):
        # A writing transaction (see db_util.begin_write) takes the write lock up front: two
        # writers never both read, then one fails to upgrade its lock half way through a push.
        # Readers begin deferred so pulls and pages never wait for a push.
        immediate = conn.get_execution_options().get("sqlite_immediate")
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")
