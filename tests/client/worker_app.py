"""The app as gunicorn serves it, for tests that must know which worker answered.

Every answer carries ``X-Worker-Pid``; RATELIMIT_KEY_PREFIX comes from the environment
variable FIELDAPP_TEST_KEY_PREFIX, so runs sharing one Redis keep their counters apart.
"""
import os

from fieldapp import create_app

_app = create_app({"RATELIMIT_KEY_PREFIX": os.environ.get("FIELDAPP_TEST_KEY_PREFIX", "")})


def app(environ, start_response):
    def start(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Worker-Pid", str(os.getpid()))], exc_info)

    return _app(environ, start)
