"""Opaque pull cursors: a change-feed position signed with the server's secret.

Devices hand the cursor back unchanged; the signature means a cursor this server did not
make (typed by hand, from another installation, cut short) is refused instead of silently
skipping or replaying part of the feed. itsdangerous is a small library on its own (Flask
uses it), so this module stays importable without Flask.
"""
import hashlib

from itsdangerous import BadSignature, Signer

_SALT = "fieldapp.sync.cursor.v1"


class BadCursor(ValueError):
    """The cursor was not made by this server (or was altered)."""


class CursorCodec:
    def __init__(self, secret):
        self._signer = Signer(secret, salt=_SALT, digest_method=hashlib.sha256)

    def encode(self, seq):
        return self._signer.sign(str(int(seq))).decode("ascii")

    def decode(self, text):
        """The sequence number in ``text``; 0 for an empty or absent cursor (the beginning)."""
        if not text:
            return 0
        try:
            value = self._signer.unsign(text.encode("utf-8", "surrogatepass")).decode("ascii")
        except (BadSignature, UnicodeError) as exc:
            raise BadCursor(text) from exc
        if not value.isdigit() or len(value) > 18:
            raise BadCursor(text)
        return int(value)
