"""Every word the app's JavaScript shows has a Vietnamese translation served to the phone (#4)."""
import re
from pathlib import Path

from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "static" / "js"
CALL = re.compile(r"\btn?\(\s*'((?:[^'\\]|\\.)*)'(?:\s*,\s*'((?:[^'\\]|\\.)*)')?")
# A msgid too long for one line is written 'first part '\n + 'rest': read as one literal.
JOINED = re.compile(r"'\s*\+\s*'")
TABLES = ("TITLES", "TYPE", "STATE", "REFS")


def js_msgids():
    ids = set()
    for path in JS.glob("*.js"):
        if path.name == "premium.js":  # its messages are rules/policy.py's msgids
            continue
        text = JOINED.sub("", path.read_text(encoding="utf-8"))
        for m in CALL.finditer(text):
            ids.add(m.group(1))
            if m.group(0).startswith("tn") and m.group(2):
                ids.add(m.group(2))
        ids.update(re.findall(r"msgid: '([^']+)'", text))
        for name in TABLES:
            table = re.search(rf"const {name} = \{{(.*?)\n\}};", text, re.S)
            if table:
                ids.update(re.findall(r"'([A-Z][^']*)'", table.group(1)))
    return {i.replace("\\'", "'") for i in ids}


def test_every_js_string_is_in_app_po():
    # app.po, or a topic's own catalog (payers.po, #15): the phone gets them all merged.
    translated = set()
    for part in (ROOT / "fieldapp" / "translations" / "vi").glob("*.po"):
        with part.open("rb") as fh:
            translated |= {m.id for m in read_po(fh) if m.id and m.string}
    missing = sorted(js_msgids() - translated)
    assert missing == []
    assert len(js_msgids()) > 100  # the scan found the app's strings


def test_catalog_endpoint_serves_app_and_premium_strings(client):
    vi = client.get("/app/i18n/vi.json").get_json()
    assert vi["lang"] == "vi"
    assert vi["messages"]["Households"] == "Hộ dân"
    assert vi["messages"]["Update available"] == "Có phiên bản mới"
    from fieldapp.rules.policy import MSG_FLOOR

    assert MSG_FLOOR in vi["messages"]
    en = client.get("/app/i18n/en.json").get_json()
    assert en == {"lang": "en", "messages": {}}  # English is the msgids themselves
    assert client.get("/app/i18n/fr.json").status_code == 404
