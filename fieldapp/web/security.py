"""Security headers on every response; then compression (web/compress.py).

Desk pages and API answers carry personal data: they get ``Cache-Control: no-store`` so no
browser or proxy keeps a copy (on a shared computer, "back" after sign-out shows nothing).
Answers that set their own caching keep it: static files (``no-cache`` with ETag), and the
app shell, its catalogs and the service worker (fieldapp/collector/views.py), which are the
same for everyone and must stay cacheable offline.
"""
from flask import request

from .compress import compress

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; font-src 'self'; manifest-src 'self'; worker-src 'self'; "
    "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


def init_app(app):
    @app.after_request
    def headers(resp):
        h = resp.headers
        h.setdefault("Content-Security-Policy", CSP)
        h.setdefault("X-Content-Type-Options", "nosniff")
        h.setdefault("X-Frame-Options", "DENY")
        h.setdefault("Referrer-Policy", "same-origin")
        h.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=(self)")
        if "Cache-Control" not in h and request.endpoint != "static":
            h["Cache-Control"] = "no-store"
        if app.config.get("SESSION_COOKIE_SECURE"):
            h.setdefault("Strict-Transport-Security", "max-age=31536000")
        return compress(resp)

