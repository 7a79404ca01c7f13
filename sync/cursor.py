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

    def encode(self, seq, scope=None):
        """A cursor for position ``seq``; ``scope`` (short text without "~") names what the
        caller could see when it was made, so the server can tell when that changed."""
        value = str(int(seq)) if scope is None else f"{int(seq)}~{scope}"
        return self._signer.sign(value).decode("ascii")

    def decode(self, text):
        """The sequence number in ``text``; 0 for an empty or absent cursor (the beginning)."""
        return self.decode_with_scope(text)[0]

    def decode_with_scope(self, text):
        """(sequence number, scope or None) in ``text``; (0, None) for no cursor."""
        if not text:
            return 0, None
        try:
            value = self._signer.unsign(text.encode("utf-8", "surrogatepass")).decode("ascii")
        except (BadSignature, UnicodeError) as exc:
            raise BadCursor(text) from exc
        seq, _sep, scope = value.partition("~")
        if not seq.isdigit() or len(seq) > 18:
            raise BadCursor(text)
        return int(seq), scope or None
