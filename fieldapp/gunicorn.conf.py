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


def post_worker_init(worker):
    """Keep the garbage collector off the app's own objects, and let it run less often.

    The loaded app (Flask, SQLAlchemy's models and compiled statements, the forms, the
    translations) is some 140,000 objects that live as long as the worker; without this,
    every full collection walks them all again. ``gc.freeze`` moves them out of the
    collector's generations. A sync push of 500 records allocates a few hundred thousand
    short-lived objects (rows, dicts, results), almost none in cycles: with the default
    threshold (700) the collector ran about 20 times per batch and took some 8 % of the
    push's CPU (issue #16, docs/benchmarks.md); collecting young objects every 20,000
    allocations costs a fraction of that and holds memory only for those few.
    """
    import gc

    gc.collect()
    gc.freeze()
    gc.set_threshold(20_000, 10, 10)
