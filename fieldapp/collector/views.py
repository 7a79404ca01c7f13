"""The app shell, its form pages and catalogs, and the service worker at the root scope.

None of these need a session cookie: the app signs in with a device token kept in
IndexedDB, and every page here is the same for everyone so the service worker can keep it.
"""
import json
from functools import lru_cache

from flask import Response, abort, current_app, render_template
from flask_babel import force_locale

from .. import __version__
from ..forms.choices import CHOICES
from ..i18n import TRANSLATIONS, catalog
from ..records.types import RECORD_FORMS
from . import bp
from .build import LANGS, STATIC, build_id, module_urls, precache_urls
from .formmeta import field_attrs, location_attrs, render


def _no_cache(resp):
    # Revalidate online (ETag) so a deploy is seen at once; offline the service worker answers.
    resp.headers["Cache-Control"] = "no-cache"
    return resp


@bp.route("/app/")
def shell():
    """The app's one page: chrome and module scripts; JavaScript draws every screen."""
    resp = current_app.make_response(render_template(
        "collector/shell.html", build=build_id(), modules=module_urls(), version=__version__))
    return _no_cache(resp)


@bp.route("/app/forms/<lang>.html")
def forms_page(lang):
    """Every record form, rendered from the WTForms classes, as <template> elements."""
    if lang not in LANGS:
        abort(404)
    with force_locale(lang):
        forms = {name: cls() for name, cls in RECORD_FORMS.items()}
        html = render_template("collector/forms.html", forms=forms, attrs=field_attrs, render=render,
                               choices=CHOICES, lang=lang,
                               location_attrs=location_attrs())
    resp = current_app.make_response(html)
    return _no_cache(resp)


#: The catalogs holding the app's own words (each part of the phone's work keeps its own file).
APP_CATALOGS = ("signups.po", "payers.po", "app.po", "collector-day.po")


@lru_cache(maxsize=8)
def _app_catalog(lang, mtime_key):
    """{msgid: translation} for the app: the premium rules' messages from the merged
    catalog, overlaid with the entries of APP_CATALOGS (the app's words win over another part's
    translation of the same English)."""
    from babel.messages.pofile import read_po

    from ..rules import policy
    from ..syncserver import checks

    wanted = {getattr(module, name) for module in (policy, checks) for name in dir(module)
              if name.startswith("MSG_")}  # the sign-up rules' too (signup-rules.js)
    merged = catalog(lang)
    table = {k: merged[k] for k in wanted if k in merged}
    for name in APP_CATALOGS:
        own = TRANSLATIONS / lang / name
        if own.exists():
            with own.open("rb") as fh:
                table.update({m.id: m.string for m in read_po(fh) if m.id and m.string
                              and isinstance(m.id, str)})
    return table


@bp.route("/app/i18n/<lang>.json")
def messages(lang):
    """The app's strings in ``lang``: {English msgid: translation} from the server's catalogs."""
    if lang not in LANGS:
        abort(404)
    stamp = tuple(p.stat().st_mtime_ns for p in sorted((TRANSLATIONS / lang).glob("*.po"))) \
        if (TRANSLATIONS / lang).is_dir() else ()
    table = _app_catalog(lang, stamp)
    body = json.dumps({"lang": lang, "messages": table}, ensure_ascii=False, sort_keys=True)
    resp = current_app.response_class(body, mimetype="application/json")
    return _no_cache(resp)


@bp.route("/sw.js")
def service_worker():
    """static/sw.js with this build's id and precache list, served at the root scope."""
    head = f"self.BUILD = {json.dumps(build_id())};\nself.PRECACHE = {json.dumps(precache_urls())};\n"
    body = head + (STATIC / "sw.js").read_text(encoding="utf-8")
    resp = Response(body, mimetype="text/javascript")
    resp.headers["Service-Worker-Allowed"] = "/"
    resp.headers["Cache-Control"] = "no-cache, max-age=0"
    return resp
