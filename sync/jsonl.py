"""Reading records from a JSON Lines file for `python -m sync enqueue`.

One record per line: {"type", "data", optional "id", "version", "client_time"}. Every line is
checked before anything is queued, and every bad line is reported with its number, so a file
typed from paper is fixed in one pass and queued whole or not at all.
"""
import json

from .outbox import normalize


class BadLines(ValueError):
    """``problems``: (line number, message) for every line that cannot be queued."""

    def __init__(self, name, problems):
        super().__init__(f"{name}: {len(problems)} bad line(s)")
        self.name, self.problems = name, problems


def read_records(lines, name, known_types=None):
    """Records (with ``source`` = "name line N") from an iterable of text lines, or BadLines."""
    records, problems, seen = [], [], {}
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            problems.append((number, f"not valid JSON ({exc.msg}, column {exc.colno})"))
            continue
        try:
            record = normalize(obj, known_types)
        except ValueError as exc:
            problems.append((number, str(exc)))
            continue
        first = seen.setdefault(record["id"], number)
        if first != number:
            what = "the same id" if "id" in obj else "the same record"
            problems.append((number, f"{what} as line {first}"))
            continue
        # Keep the caller's shape (no id means "make one from the content").
        obj = dict(obj, id=record["id"], source=f"{name} line {number}")
        records.append(obj)
    if problems:
        raise BadLines(name, problems)
    return records


def read_file(path, known_types=None):
    """Read a .jsonl file ('-' for standard input); UTF-8, a byte-order mark tolerated."""
    if path == "-":
        import sys

        return read_records(sys.stdin, "stdin", known_types)
    with open(path, encoding="utf-8-sig") as fh:
        return read_records(fh, str(path), known_types)
