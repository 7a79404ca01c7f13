"""Everything the repository cites lives in the repository (#8).

The design notes the project started from sit outside the clone; a comment or README line
pointing there sends the next reader to a file they do not have. The project's own
description is docs/, and every ``docs/<file>.md`` the code cites must exist.
"""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
#: The sibling folder the design notes sit in, spelled in pieces so that this file does not
#: itself hold the reference it looks for (repository-wide greps for it stay clean).
SIBLING = "sha" + "red"
#: What a reference to the outside looks like: the sibling folder or its files by name.
OUTSIDE = re.compile(rf"\.\./{SIBLING}|\b{SIBLING}/|\b(?:DESIGN|DOMAIN|STYLE|UX)\.md\b|\bDESIGN §")
DOC_REF = re.compile(r"\bdocs/([\w-]+\.md)")
TEXT = {".py", ".js", ".mjs", ".md", ".html", ".po", ".txt", ".toml", ".css", ".webmanifest",
        ".ini", ".mako", ".cfg", ""}


def tracked_text_files():
    names = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                           check=True).stdout.splitlines()
    for name in names:
        path = ROOT / name
        if path.suffix in TEXT and path.is_file():
            yield name, path.read_text(encoding="utf-8", errors="replace")


def test_nothing_points_outside_the_repository():
    hits = [f"{name}:{n}: {line.strip()[:100]}"
            for name, text in tracked_text_files() if name != "tests/unit/test_docs_in_repo.py"
            for n, line in enumerate(text.splitlines(), 1) if OUTSIDE.search(line)]
    assert hits == []


def test_every_cited_doc_exists():
    missing = sorted({f"{name}: docs/{doc}" for name, text in tracked_text_files()
                      for doc in DOC_REF.findall(text) if not (ROOT / "docs" / doc).is_file()})
    assert missing == []


def test_the_checks_catch_what_they_look_for():
    assert OUTSIDE.search(f"see ../{SIBLING}/notes") and OUTSIDE.search(f"in {SIBLING}/x.md")
    assert OUTSIDE.search("see DESIGN.md") and OUTSIDE.search("(DESIGN §4)")
    assert not OUTSIDE.search("docs/protocol.md §4")
    assert DOC_REF.findall("docs/protocol.md §7 and docs/records.md") == ["protocol.md", "records.md"]
