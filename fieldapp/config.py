"""Configuration: defaults, overridden by the environment, overridden by a test dict.

Every key here is documented in the README (a test keeps the two in step).
"""
import os
import secrets
from pathlib import Path

#: Keys read from the environment, with their meaning (README "Configuration" lists them).
ENV_KEYS = {
    "DATABASE_URL": "SQLAlchemy URL; default sqlite:///<instance>/fieldapp.db",
    "SECRET_KEY": "signs sessions and sync cursors; generated into the instance folder if unset",
    "RATELIMIT_STORAGE_URI": "where rate-limit counters live (memory://, redis://host:6379)",
    "FIELDAPP_TRUSTED_PROXIES": "reverse proxies in front whose X-Forwarded-For is trusted (default 0)",
    "SESSION_COOKIE_SECURE": "1 behind HTTPS so cookies are never sent in clear",
    "FIELDAPP_TIMEZONE": "zone for showing times; default Asia/Ho_Chi_Minh",
    "FIELDAPP_DEFAULT_LOCALE": "vi (default) or en",
    "FIELDAPP_SESSION_IDLE_HOURS": "a web session unused this long is ended (default 8; 0 = never)",
    "FIELDAPP_DEVICE_IDLE_DAYS": "a device token that has not synced this long stops working "
                                 "(default 60; 0 = never)",
    "FIELDAPP_SYNTHESIS_WEIGHTS": "ranking weights of the monthly synthesis, "
                                  "new_target=0.6,visit_conversion=0.2,active_collectors=0.2",
}

#: The monthly synthesis ranks organizations on these parts (docs/synthesis.md).
SYNTHESIS_PARTS = ("new_target", "visit_conversion", "active_collectors")


def _instance_secret(instance_path):
    """Return a stable secret kept in the instance folder.

    Sessions and pull cursors are signed with it, so it must survive restarts; an operator
    who sets SECRET_KEY (needed with several app servers) overrides it.
    """
    path = Path(instance_path) / "secret_key"
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    return key


def _flag(value):
    return str(value).lower() in ("1", "true", "yes", "on")


def _proxies(value):
    """How many proxies in front: a whole number >= 0, else a clear error at start-up."""
    text = str(value).strip()
    if not text.isascii() or not text.isdigit():
        raise ValueError(f"FIELDAPP_TRUSTED_PROXIES must be a whole number >= 0, not {value!r}")
    return int(text)


def _weights(value):
    """'new_target=0.6,visit_conversion=0.2,active_collectors=0.2' -> dict; a part left out
    weighs 0. A clear error at start-up for anything else (an office mistyping a weight must
    not get a silently different ranking)."""
    weights = dict.fromkeys(SYNTHESIS_PARTS, 0.0)
    for item in str(value).split(","):
        name, _eq, number = item.partition("=")
        name = name.strip()
        try:
            weight = float(number)
        except ValueError:
            weight = -1.0
        if name not in weights or not 0 <= weight <= 100:
            raise ValueError("FIELDAPP_SYNTHESIS_WEIGHTS: give name=number pairs with names among "
                             f"{', '.join(SYNTHESIS_PARTS)} and numbers >= 0, not {value!r}")
        weights[name] = weight
    if not sum(weights.values()):
        raise ValueError("FIELDAPP_SYNTHESIS_WEIGHTS: at least one weight must be above 0")
    return weights


def load(app, overrides=None):
    """Fill app.config from defaults, the environment, then ``overrides``."""
    env = os.environ
    instance = Path(app.instance_path)
    instance.mkdir(parents=True, exist_ok=True)
    cfg = app.config
    cfg.update(
        SQLALCHEMY_DATABASE_URI=env.get("DATABASE_URL") or f"sqlite:///{instance / 'fieldapp.db'}",
        # hide_parameters: a database error (and its log line) never carries the values of
        # the failing statement: names, phone numbers and personal IDs stay out of the logs.
        SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "hide_parameters": True},
        RATELIMIT_STORAGE_URI=env.get("RATELIMIT_STORAGE_URI", "memory://"),
        RATELIMIT_HEADERS_ENABLED=True,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=_flag(env.get("SESSION_COOKIE_SECURE", "0")),
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        REMEMBER_COOKIE_SECURE=_flag(env.get("SESSION_COOKIE_SECURE", "0")),
        BABEL_DEFAULT_LOCALE=env.get("FIELDAPP_DEFAULT_LOCALE", "vi"),
        BABEL_DEFAULT_TIMEZONE=env.get("FIELDAPP_TIMEZONE", "Asia/Ho_Chi_Minh"),
        LANGUAGES=("vi", "en"),
        # Imports and uploads: a CSV of a province's households fits well under this.
        MAX_CONTENT_LENGTH=16 * 1024 * 1024,
        WTF_CSRF_TIME_LIMIT=None,
        # Sign-in: failures allowed per username and per address in the window.
        LOGIN_FAILS_PER_USER=10,
        LOGIN_FAILS_PER_ADDR=30,
        LOGIN_FAIL_WINDOW=15 * 60,
        # Failures for a username from other addresses only slow this address down: after
        # each of its own failures it waits 2 s, 4 s, 8 s ... at most LOGIN_DELAY_MAX.
        LOGIN_DELAY_BASE=2,
        LOGIN_DELAY_MAX=5 * 60,
        # Reverse proxies in front (werkzeug ProxyFix): 0 = X-Forwarded-For is ignored.
        TRUSTED_PROXIES=_proxies(env.get("FIELDAPP_TRUSTED_PROXIES", "0")),
        # Sessions and device tokens not used for this long are refused (0 = no limit).
        SESSION_IDLE_HOURS=float(env.get("FIELDAPP_SESSION_IDLE_HOURS", "8")),
        DEVICE_IDLE_DAYS=float(env.get("FIELDAPP_DEVICE_IDLE_DAYS", "60")),
        # Monthly synthesis ranking: progress on the year's target of new sign-ups, conversion
        # from visits, active collectors ÷ collectors (docs/synthesis.md).
        SYNTHESIS_WEIGHTS=_weights(env.get("FIELDAPP_SYNTHESIS_WEIGHTS",
                                           "new_target=0.6,visit_conversion=0.2,active_collectors=0.2")),
    )
    if overrides:
        cfg.update(overrides)
    url = cfg["SQLALCHEMY_DATABASE_URI"]
    if url.startswith("postgres://"):  # Heroku-style URLs name the old dialect
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    cfg["SQLALCHEMY_DATABASE_URI"] = url
    cfg["TRUSTED_PROXIES"] = _proxies(cfg["TRUSTED_PROXIES"])
    if not cfg.get("SECRET_KEY"):
        cfg["SECRET_KEY"] = env.get("SECRET_KEY") or _instance_secret(instance)
