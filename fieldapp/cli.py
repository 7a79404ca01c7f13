"""Flask commands (DESIGN §7)."""


def init_app(app):
    pass
