"""Words for stored codes on the server pages: roles, area levels and record choices.

Record choices (outcome, relation, ...) keep their labels in forms/choices.py, the one list
the PWA also gets; this module only looks them up and adds the words that are not fields.
"""
from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "admin": _l("Administrator"),
    "supervisor": _l("Supervisor"),
    "collector": _l("Collector"),
    "village_head": _l("Village head"),
}

LEVEL_LABELS = {
    "province": _l("Province"),
    "district": _l("District"),
    "commune": _l("Commune"),
    "village": _l("Village"),
}

ACTION_LABELS = {
    "create": _l("Created"),
    "update": _l("Changed"),
    "delete": _l("Deleted"),
    "sign_in": _l("Signed in"),
    "sign_in_failed": _l("Failed sign-in"),
    # A pushed personal ID held outside the pusher's areas (syncserver/store.py): a probe?
    "id_refused": _l("Personal ID refused"),
    # A supervisor's decision on a visit, and an edit that put a reviewed visit back in the
    # queue (rules/review.py, syncserver/store.py).
    "review": _l("Reviewed"),
    "review_reset": _l("Review reset by an edit"),
}


def choice_label(field, value):
    """The translated label of ``value`` in choice list ``field``; the value itself if unknown."""
    if value in (None, ""):
        return ""
    from ..forms.choices import CHOICES

    for key, label in CHOICES.get(field, ()):
        if key == value:
            return str(label)
    return str(value)


def format_month(value):
    """'2026-11' -> '11/2026', the way the month is written on Vietnamese forms."""
    text = str(value or "")
    if len(text) == 7 and text[4] == "-":
        return f"{text[5:]}/{text[:4]}"
    return text


def register(app):
    """Template filters: ``{{ user.role|role }}``, ``{{ area.level|level }}``,
    ``{{ visit.outcome|choice('outcome') }}``."""
    app.jinja_env.filters.update(
        role=lambda v: str(ROLE_LABELS.get(v, v or "")),
        level=lambda v: str(LEVEL_LABELS.get(v, v or "")),
        action=lambda v: str(ACTION_LABELS.get(v, v or "")),
        choice=lambda v, field: choice_label(field, v),
        month=format_month,
    )
