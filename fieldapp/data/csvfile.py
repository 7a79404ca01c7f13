"""Reading an operator's CSV file: size limit, encoding, header, line numbers, problems.

Every import goes through here so the rules are the same for all of them: a file over the
size limit or not in UTF-8 is refused before any row is read; the header must name the
expected columns; each row keeps the line it started on (a quoted value may span lines), so
an error can point the operator at the right place in the spreadsheet.
"""
import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

MAX_BYTES = 50 * 1024 * 1024
#: How many problems an error message lists before it only counts the rest.
MAX_LISTED = 20


@dataclass(frozen=True)
class Problem:
    line: int | None
    field: str | None
    message: str

    def render(self, filename):
        where = filename if self.line is None else f"{filename}, line {self.line}"
        return f"{where}, {self.field}: {self.message}" if self.field else f"{where}: {self.message}"


class ImportFailed(Exception):
    """A file refused whole; ``str()`` lists its problems (at most MAX_LISTED of them)."""

    def __init__(self, filename, problems):
        self.filename = filename
        # In file order, whatever order the checks found them in.
        self.problems = sorted(problems, key=lambda p: p.line or 0)
        super().__init__(self.report())

    def report(self):
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        lines = [f"{self.filename}: nothing imported ({count} {noun})."]
        lines += [p.render(self.filename) for p in self.problems[:MAX_LISTED]]
        if count > MAX_LISTED:
            lines.append(f"... and {count - MAX_LISTED} more.")
        return "\n".join(lines)


@dataclass
class Rows:
    """The data rows of a file: ``items`` are (line number, {column: stripped value})."""

    filename: str
    items: list = field(default_factory=list)
    problems: list = field(default_factory=list)

    def problem(self, line, column, message):
        self.problems.append(Problem(line, column, message))

    def raise_if_problems(self):
        if self.problems:
            raise ImportFailed(self.filename, self.problems)


def read_csv(path, required, optional=(), max_bytes=None):
    """Read ``path`` into ``Rows``, or raise ImportFailed when the file as a whole is wrong.

    Problems of single rows (a wrong number of values) are kept in ``Rows.problems`` so the
    caller reports them together with its own checks (``Rows.raise_if_problems``).

    Column names are matched without regard to case or surrounding spaces; every column in
    ``required`` must be there, and no column outside ``required`` and ``optional`` (a
    misspelt optional column would otherwise be silently dropped). Rows whose values are all
    empty (spreadsheets leave them at the end) are skipped.
    """
    path = Path(path)
    name = path.name
    max_bytes = max_bytes or MAX_BYTES
    size = path.stat().st_size
    if size > max_bytes:
        raise ImportFailed(name, [Problem(None, None, (
            f"the file is {size / 1024 / 1024:.1f} MB; the limit is "
            f"{max_bytes / 1024 / 1024:.0f} MB. Split it into smaller files."))])
    raw = path.read_bytes()
    try:
        # utf-8-sig drops the byte-order mark Excel puts at the start of "CSV UTF-8" files.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw[:exc.start].count(b"\n") + 1
        raise ImportFailed(name, [Problem(line, None, (
            "the file is not UTF-8 text. In Excel choose \"CSV UTF-8 (Comma delimited)\" "
            "when saving."))]) from None
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = Rows(name)
    try:
        header = next(reader, None)
        if header is None or not any(h.strip() for h in header):
            raise ImportFailed(name, [Problem(1, None, (
                f"the file is empty; the first line must name the columns: {', '.join(required)}."))])
        columns = [h.strip().lower() for h in header]
        _check_header(rows, columns, required, optional)
        rows.raise_if_problems()
        last = reader.line_num
        for values in reader:
            line, last = last + 1, reader.line_num
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(columns):
                rows.problem(line, None, f"expected {len(columns)} values (one per column), "
                                         f"found {len(values)}.")
                continue
            rows.items.append((line, {c: v.strip() for c, v in zip(columns, values)}))
    except csv.Error as exc:
        rows.problem(reader.line_num, None, f"the file is not valid CSV ({exc}).")
    return rows


def _check_header(rows, columns, required, optional):
    known = set(required) | set(optional)
    seen = set()
    for column in columns:
        if column in seen:
            rows.problem(1, column, "this column appears twice.")
        seen.add(column)
        if column not in known:
            rows.problem(1, column or "(empty)", (
                f"unknown column; the columns are {', '.join(list(required) + list(optional))}."))
    missing = [c for c in required if c not in seen]
    if missing:
        rows.problem(1, None, f"missing column{'s' if len(missing) > 1 else ''}: "
                              f"{', '.join(missing)}.")
