"""Language choice, message catalogs and Vietnamese number/date formats.

Source strings are English (``_("Sign in")``); ``translations/vi`` turns them into Vietnamese,
the default. Numbers, money and dates keep the Vietnamese shape in both languages
(``1.500.000 ₫``, ``25/11/2026``): the amounts are in đồng and the people reading them,
whatever language they pick, write them that way.
"""
import os
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from flask import current_app, request, session
from flask_login import current_user

TRANSLATIONS = Path(__file__).parent / "translations"


def compile_catalogs():
    """Merge every ``translations/<lang>/*.po`` into ``<lang>/LC_MESSAGES/messages.mo``.

    Each part of the app keeps its strings in its own ``.po`` file (core.po, api.po, app.po,
    ...), so parallel work never edits one huge catalog. ``.mo`` files are build output
    (ignored by git), rebuilt here when any ``.po`` is newer; it takes milliseconds.
    """
    from babel.messages.catalog import Catalog
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    for lang_dir in TRANSLATIONS.iterdir():
        parts = sorted(lang_dir.glob("*.po"))
        if not lang_dir.is_dir() or not parts:
            continue
        mo = lang_dir / "LC_MESSAGES" / "messages.mo"
        newest = max(p.stat().st_mtime for p in parts)
        if mo.exists() and mo.stat().st_mtime >= newest:
            continue
        merged = Catalog(locale=lang_dir.name)
        for part in parts:
            with part.open("rb") as fh:
                for message in read_po(fh, locale=lang_dir.name):
                    if message.id and message.string:
                        merged[message.id] = message
        mo.parent.mkdir(exist_ok=True)
        # A name of its own per process: several gunicorn workers (or test workers) starting
        # together each compile, and the last atomic rename wins with identical content.
        tmp = mo.with_name(f"messages.mo.{os.getpid()}.tmp")
        with tmp.open("wb") as fh:
            write_mo(fh, merged)
        os.replace(tmp, mo)


def catalog(lang):
    """{msgid: translation} for ``lang``: the PWA gets its strings from the same files."""
    from babel.messages.pofile import read_po

    out = {}
    for part in sorted((TRANSLATIONS / lang).glob("*.po")):
        with part.open("rb") as fh:
            for message in read_po(fh, locale=lang):
                # The PWA looks strings up by msgid alone; a message with a context (a
                # second sense of the same English) reaches it through bootstrap's labels.
                if message.id and message.string and isinstance(message.id, str) \
                        and not message.context:
                    out[message.id] = message.string
    return out


def select_locale():
    """Explicit choice (stored in the session, or on the user) wins; else the default."""
    langs = current_app.config["LANGUAGES"]
    choice = session.get("lang")
    if choice in langs:
        return choice
    if current_user and getattr(current_user, "is_authenticated", False) and current_user.locale in langs:
        return current_user.locale
    api_lang = request.headers.get("X-Fieldapp-Lang") if request else None
    if api_lang in langs:
        return api_lang
    return current_app.config["BABEL_DEFAULT_LOCALE"]


def _group(n):
    return f"{n:,}".replace(",", ".")


def format_number(value):
    """12345 -> '12.345'."""
    if value is None:
        return ""
    return _group(int(value))


def format_money(value):
    """1500000 -> '1.500.000 ₫' (integer VND)."""
    if value is None:
        return ""
    return f"{_group(int(value))} ₫"


def format_percent(value, digits=2):
    """0.8993 -> '89,93%'."""
    if value is None:
        return ""
    text = f"{value * 100:.{digits}f}".replace(".", ",")
    return f"{text}%"


def local_zone():
    return ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE", "Asia/Ho_Chi_Minh"))


def format_date(value):
    """date or datetime -> '25/11/2026' (a datetime is shown in local time)."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    if isinstance(value, datetime):
        value = value.astimezone(local_zone()) if value.tzinfo else value
        value = value.date()
    return value.strftime("%d/%m/%Y")


def format_datetime(value):
    """aware datetime -> '25/11/2026 09:42' in local time."""
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(local_zone()).strftime("%d/%m/%Y %H:%M")


def format_time(value):
    if value is None:
        return ""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(local_zone()).strftime("%H:%M")


def init_app(app):
    """Register the template filters."""
    compile_catalogs()
    app.jinja_env.filters.update(
        number=format_number, money=format_money, percent=format_percent,
        date=format_date, datetime=format_datetime, time=format_time,
    )
