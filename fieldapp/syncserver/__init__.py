"""The server half of sync protocol v1, with no request objects: push and pull transactions,
the store, cross-record checks, the change feed and records entered by the server.
"""
