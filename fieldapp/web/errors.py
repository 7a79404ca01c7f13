"""One error handler for the whole app: JSON (docs/protocol.md §2 shape) under /api/, HTML pages elsewhere."""
import logging

from flask import jsonify, render_template, request
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException

from ..extensions import db

log = logging.getLogger(__name__)

#: HTTP status -> API error code (docs/protocol.md).
API_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
    405: "method_not_allowed", 409: "protocol_version", 413: "too_large",
    415: "unsupported_media_type", 429: "rate_limited",
}


class APIError(Exception):
    """Raised anywhere under /api/ to answer the documented error shape."""

    def __init__(self, status, code, message, fields=None, headers=None):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
        self.fields, self.headers = fields, headers or {}


def _messages():
    # Built per call so the strings are translated in the request's language.
    return {
        400: _("The request could not be understood."),
        401: _("Please sign in again: this device is not signed in or was signed out."),
        403: _("You do not have permission to do this."),
        404: _("The page or record was not found."),
        405: _("This method is not allowed here."),
        413: _("The request is too large."),
        415: _("The request body must be JSON (Content-Type: application/json)."),
        429: _("Too many attempts. Please wait a few minutes and try again."),
        500: _("Something went wrong on the server. Your data is safe; please try again."),
    }


def wants_json():
    return request.path.startswith("/api/")


def api_response(status, code, message, fields=None, headers=None):
    body = {"error": {"code": code, "message": message}}
    if fields:
        body["error"]["fields"] = fields
    resp = jsonify(body)
    resp.status_code = status
    for key, value in (headers or {}).items():
        resp.headers[key] = value
    return resp


def _titles():
    # Short headings for the HTML error pages (the message above says what to do).
    return {
        400: _("Bad request"),
        403: _("Access denied"),
        404: _("Page not found"),
        405: _("Not allowed"),
        413: _("Too large"),
        429: _("Too many attempts"),
        500: _("Server error"),
    }


def _page(status, message):
    title = _titles().get(status) or _("Error")
    return render_template("errors/error.html", status=status, title=title,
                           message=message), status


def init_app(app):
    @app.errorhandler(APIError)
    def handle_api_error(err):
        return api_response(err.status, err.code, err.message, err.fields, err.headers)

    @app.errorhandler(CSRFError)
    def handle_csrf(err):
        message = _("This form has expired or was not sent from this site. Please try again.")
        if wants_json():
            return api_response(400, "bad_request", message)
        return _page(400, message)

    @app.errorhandler(HTTPException)
    def handle_http(err):
        status = err.code or 500
        message = _messages().get(status) or err.description
        headers = {}
        if status == 429:
            retry = None
            if err.response is not None:
                retry = err.response.headers.get("Retry-After")
            headers["Retry-After"] = retry or "60"
        if status == 405 and hasattr(err, "valid_methods") and err.valid_methods:
            headers["Allow"] = ", ".join(err.valid_methods)
        if wants_json():
            return api_response(status, API_CODES.get(status, "bad_request"), message,
                                headers=headers)
        body, code = _page(status, message)
        return body, code, headers

    @app.errorhandler(Exception)
    def handle_unexpected(err):
        log.exception("unhandled error on %s %s", request.method, request.path)
        db.session.rollback()
        message = _messages()[500]
        if wants_json():
            return api_response(500, "server_error", message)
        return _page(500, message)
