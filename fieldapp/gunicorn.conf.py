"""gunicorn settings for production (README "Running in production"):

    gunicorn -c fieldapp/gunicorn.conf.py -w 4 -b 127.0.0.1:8000 app:app

The access log names the method, the path and the protocol but never the query string nor
the referring page: searches by phone number or personal ID (``?q=0912345678``) would
otherwise land in the log in clear. tests/unit/test_gunicorn_conf.py holds it to that.
"""

#: Access log on standard output (gunicorn writes none by default).
accesslog = "-"
#: gunicorn's default format with "%(r)s" (request line, with the query) replaced by the
#: method, path and protocol, and without "%(f)s" (the referrer, which carries the query of
#: the page before). %(L)s: request time in seconds.
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s "%(a)s" %(L)s'
