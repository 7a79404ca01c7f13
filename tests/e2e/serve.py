"""Run the app for the browser tests: ``python -m tests.e2e.serve PORT DATABASE_URL [APP_BUILD]``.

A real server process (werkzeug, threaded) on a database the test prepared; APP_BUILD names
the app's version so a test can restart it as a "new deploy".
"""
import sys

from werkzeug.serving import run_simple

from fieldapp import create_app


def main():
    port, url = int(sys.argv[1]), sys.argv[2]
    build = sys.argv[3] if len(sys.argv) > 3 else ""
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "e2e-secret",
                      "RATELIMIT_STORAGE_URI": "memory://", "APP_BUILD": build})
    run_simple("127.0.0.1", port, app, threaded=True, use_reloader=False, use_debugger=False)


if __name__ == "__main__":
    main()
