"""Record ids made on a device: UUID version 7 (RFC 9562), time-ordered.

The protocol takes any UUID as a record id (docs/protocol.md). Version 7 puts the creation
time in milliseconds in the first 48 bits, so the ids a device makes in one morning sort
together: every index keyed on a record id (the record's own table, the change feed, the
audit log, references such as ``persons.household_id``) gains its new entries at its end,
on a few pages, instead of one random page per key. With random (version 4) ids a batch of
500 records dirtied a page per key in each such index and the server's write cost grew with
its database (docs/benchmarks.md, issue #16). Ids made before, or by older app versions,
stay valid: nothing reads the time back out of an id.

Within one millisecond the 12 bits after the version count up from a random start (RFC 9562
§6.2, method 1), so one process's ids also sort in the order they were made.
"""
import os
import threading
import time
import uuid

_lock = threading.Lock()
_last = [0, 0]  # [milliseconds, counter] of the previous id


def uuid7(ms=None, rand=None):
    """A new version-7 UUID as a ``uuid.UUID``.

    ``ms`` (Unix time in milliseconds) and ``rand`` (10 random bytes) are for reproducible
    ids (benchmarks, tests); by default the clock and ``os.urandom``.
    """
    rand = os.urandom(10) if rand is None else rand
    if ms is None:
        ms = time.time_ns() // 1_000_000
        with _lock:
            last_ms, last_counter = _last
            if ms > last_ms:
                counter = int.from_bytes(rand[:2]) & 0x7FF  # room to count up within this ms
            elif last_counter < 0xFFF:  # same millisecond, or the clock stepped back
                ms, counter = last_ms, last_counter + 1
            else:  # 4,096 ids in one millisecond: borrow the next one
                ms, counter = last_ms + 1, 0
            _last[:] = [ms, counter]
    else:
        counter = int.from_bytes(rand[:2]) & 0xFFF
    tail = int.from_bytes(rand[2:]) & ((1 << 62) - 1)
    value = (ms & ((1 << 48) - 1)) << 80 | 0x7 << 76 | counter << 64 | 0b10 << 62 | tail
    return uuid.UUID(int=value)


def new_id():
    """A new record id in the protocol's canonical form (36 characters, lower case)."""
    return str(uuid7())
