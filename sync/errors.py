"""Errors a user of the sync client can act on; ``str()`` of each is one sentence saying what.

Raised by the transport and the client, turned into one line on stderr only by the CLI.
"""


class SyncError(Exception):
    """Base of the errors a user can act on; ``str()`` is one sentence saying what to do."""


class ServerUnreachable(SyncError):
    pass


class ServerError(SyncError):
    """The server failed (5xx after every retry) or answered something that is not protocol."""


class WrongPassword(SyncError):
    pass


class SignedOut(SyncError):
    pass


class NotPaired(SyncError):
    pass


class Forbidden(SyncError):
    pass


class ProtocolMismatch(SyncError):
    pass


class RateLimited(SyncError):
    def __init__(self, message, retry_after=None):
        super().__init__(message)
        self.retry_after = retry_after


class RequestRefused(SyncError):
    """A 4xx that retrying cannot fix (400, 404, 413, 415): a bug in a client or server."""

    def __init__(self, message, status=None, code=None):
        super().__init__(message)
        self.status, self.code = status, code


class UnsyncedRecords(SyncError):
    def __init__(self, count):
        super().__init__(f"{count} record(s) are not on the server yet; push them first, "
                         "or sign out anyway with --force (they stay in the outbox)")
        self.count = count
