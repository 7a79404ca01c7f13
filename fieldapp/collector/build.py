"""What the service worker keeps on the phone, and the build id that names its cache.

The build id is a hash of every precached file and of what renders the precached pages, so
any change to the app makes browsers install a new service worker (which offers the update)
and nothing else does. ``APP_BUILD`` in the config is mixed in, so an operator (or a test)
can force an update without touching a file.
"""
import hashlib
from pathlib import Path

from flask import current_app, url_for

from .. import __version__

ROOT = Path(__file__).resolve().parent.parent.parent
STATIC = ROOT / "static"
#: Static files of the app, relative to static/ (globs).
STATIC_GLOBS = ("css/app.css", "css/pwa.css", "js/*.js", "manifest.webmanifest", "icons/*.png")
#: Files that shape the server-rendered precached pages (their change must bust the cache).
SOURCE_GLOBS = ("templates/collector/*.html", "fieldapp/translations/*/*.po",
                "fieldapp/forms/*.py", "fieldapp/collector/*.py", "static/sw.js")
LANGS = ("vi", "en")

_cache = {}


def static_files():
    files = []
    for pattern in STATIC_GLOBS:
        files.extend(sorted(STATIC.glob(pattern)))
    return files


def _source_files():
    files = static_files()
    for pattern in SOURCE_GLOBS:
        files.extend(sorted(ROOT.glob(pattern)))
    return files


def build_id():
    """A short hash naming this version of the app; recomputed only when a file changes."""
    files = _source_files()
    extra = str(current_app.config.get("APP_BUILD", ""))
    signature = (extra, tuple((str(p), p.stat().st_mtime_ns, p.stat().st_size) for p in files))
    cached = _cache.get("build")
    if cached and cached[0] == signature:
        return cached[1]
    digest = hashlib.sha256(f"{__version__}|{extra}".encode())
    for path in files:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    value = f"{__version__}-{digest.hexdigest()[:10]}"
    _cache["build"] = (signature, value)
    return value


def precache_urls():
    """Every URL the app needs offline: the shell, form pages, catalogs and static files."""
    urls = [url_for("collector.shell")]
    for lang in LANGS:
        urls.append(url_for("collector.forms_page", lang=lang))
        urls.append(url_for("collector.messages", lang=lang))
    for path in static_files():
        urls.append(url_for("static", filename=path.relative_to(STATIC).as_posix()))
    return urls


def module_urls():
    """The JS modules, for <link rel=modulepreload> (no bundler: fetch them in parallel)."""
    return [url_for("static", filename=f"js/{p.name}") for p in sorted((STATIC / "js").glob("*.js"))]
