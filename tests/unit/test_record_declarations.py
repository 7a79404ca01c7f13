"""Every record type's declaration agrees with the places its fields live (#8).

A record's fields are its form's fields (records/forms.py); the declaration
(records/types.py) says where each one is stored, and the pull, the push's write, the
analyst export and the PWA's stores are derived from it or checked against it here. Each
test walks every record type, so a new form field that is missing from the model, the pull
shape, the export or the PWA fails here by name.
"""
import re
from datetime import datetime
from pathlib import Path

import pytest

from bench.data import mixed_batches, server_tasks
from fieldapp.data import export
from fieldapp.i18n import local_zone
from fieldapp.records.columns import AreaCode, Bool, Time
from fieldapp.records.forms import validate_record
from fieldapp.records.types import RECORD_FORMS, RECORD_MODELS, TYPES
from fieldapp.syncserver.shapes import QUERIES, ROW_NAMES, Shaper
from sync import protocol as P

ROOT = Path(__file__).resolve().parents[2]
KINDS = list(TYPES)
#: Columns every synced table has, owned by the store (models/syncable.py).
SYNCED = {"id", "version", "client_time", "received_at", "updated_at", "content_hash",
          "device_id", "created_by_id", "area_id"}


def _form_fields(kind):
    return list(RECORD_FORMS[kind]()._fields)


def _stored(kind):
    """{form field: its columns} as the declaration binds them."""
    return {name: codec.stored for name, codec in TYPES[kind].fields.items()}


def test_one_declaration_per_protocol_type_in_its_order():
    assert tuple(TYPES) == P.RECORD_TYPES
    assert {kind: t.model for kind, t in TYPES.items()} == RECORD_MODELS


@pytest.mark.parametrize("kind", KINDS)
def test_every_form_field_has_its_columns(kind):
    record_type = TYPES[kind]
    table = record_type.model.__table__.c
    stored = _stored(kind)
    assert list(stored) == _form_fields(kind)
    for name, columns in stored.items():
        assert columns, f"{kind}.{name} is stored nowhere"
        for column in columns:
            assert column in table, f"{kind}.{name}: no column {column}"
    # And the other way: a data column no form field fills would never be written.
    owned = SYNCED | set(record_type.derived) | set(record_type.facts)
    owned |= {codec.column for codec in record_type.server_codecs}
    filled = {c for columns in stored.values() for c in columns}
    assert set(table.keys()) - owned - filled == set(), f"{kind}: columns no field fills"


@pytest.mark.parametrize("kind", KINDS)
def test_the_write_fills_every_field_column(kind):
    record_type = TYPES[kind]
    cleaned = dict.fromkeys(_form_fields(kind))
    if kind == "household":
        cleaned.update(head_name="A", address="B")  # its search text is computed from them
    facts = dict.fromkeys(record_type.facts)
    row = record_type.to_row(cleaned, facts)
    for name, columns in _stored(kind).items():
        if isinstance(record_type.fields[name], AreaCode):
            continue  # the store sets area_id from the code or the parent record
        for column in columns:
            assert column in row, f"{kind}.{name}: {column} is not written"
    assert set(record_type.facts) <= set(row) and set(record_type.derived) <= set(row)


@pytest.mark.parametrize("kind", KINDS)
def test_the_pull_shape_has_every_form_field_in_the_forms_order(kind):
    record_type = TYPES[kind]
    labels = [c.name for c in QUERIES[kind].selected_columns]
    assert labels == list(ROW_NAMES[kind])
    for name, columns in _stored(kind).items():
        wanted = ["area"] if isinstance(record_type.fields[name], AreaCode) else columns
        assert set(wanted) <= set(labels), f"{kind}.{name} is not read by the pull"
    data, server = Shaper(None).shape(kind, [None] * len(labels))
    assert list(data) == _form_fields(kind)
    assert list(server) == list(record_type.server)


@pytest.fixture
def ctx(app):
    with app.test_request_context():
        yield


def _same(codec, pushed, pulled):
    if isinstance(codec, Time) and pushed is not None:  # the same instant, in the app's zone
        return datetime.fromisoformat(pushed) == datetime.fromisoformat(pulled)
    if isinstance(codec, Bool):  # an unticked box may be left out: it reads false
        return bool(pushed) is pulled
    return pushed == pulled


@pytest.mark.parametrize("kind", KINDS)
def test_a_record_comes_back_as_it_was_pushed(kind, ctx):
    """Written with the type's write, read with its pull shape: the same data."""
    records = [r for batch in [*mixed_batches(400), server_tasks(6)] for r in batch
               if r["type"] == kind]
    assert records, kind
    record_type, shaper = TYPES[kind], Shaper(local_zone())
    facts = dict.fromkeys(record_type.facts, 1)
    for record in records[:20]:
        cleaned, errors = validate_record(kind, record["data"])
        assert errors == {}, errors
        values = record_type.to_row(cleaned, facts)
        row = dict.fromkeys(ROW_NAMES[kind])
        row.update((k, v) for k, v in values.items() if k in row)
        if "area" in row:
            row["area"] = cleaned["area"]
        data, _server = shaper.shape(kind, list(row.values()))
        for name, value in data.items():
            pushed = record["data"].get(name)
            assert _same(record_type.fields[name], pushed, value), (kind, name, pushed, value)


def _export_columns():
    tables = {name: stmt for name, stmt, _links, _indexes in export._tables()}
    return {kind: [c.name for c in tables[t.model.__tablename__].selected_columns]
            for kind, t in TYPES.items()}


@pytest.mark.parametrize("kind", KINDS)
def test_the_analyst_export_has_every_field(kind):
    record_type, columns = TYPES[kind], _export_columns()[kind]
    for name, stored in _stored(kind).items():
        wanted = ["area_id", "area_code"] if isinstance(record_type.fields[name], AreaCode) \
            else stored
        for column in wanted:
            assert column in columns, f"{kind}.{name}: {column} is not exported"
    for codec in record_type.server_codecs:
        assert getattr(codec, "label", codec.column) in columns, codec.column
    assert set(record_type.facts) <= set(columns)
    assert len(columns) == len(set(columns)), "a column exported twice"


def _db_js():
    return (ROOT / "static/js/db.js").read_text(encoding="utf-8")


def _pwa_stores():
    """{type: store} of db.js STORES, and {store: [data fields its indexes read]}."""
    source = _db_js()
    body = re.search(r"export const STORES = \{(.*?)\};", source, re.DOTALL).group(1)
    stores = dict(re.findall(r"(\w+): '(\w+)'", body))
    created = set(re.findall(r"createObjectStore\('(\w+)'", source))
    names = dict(re.findall(r"const (\w+) = db\.createObjectStore\('(\w+)'", source))
    indexed = {store: [] for store in created}
    for store, field in re.findall(
            r"db\.createObjectStore\('(\w+)'[^;]*?\.createIndex\('\w+', 'data\.(\w+)'\)", source):
        indexed[store].append(field)
    for var, field in re.findall(r"\b(\w+)\.createIndex\('\w+', 'data\.(\w+)'\)", source):
        if var in names:
            indexed[names[var]].append(field)
    return stores, created, indexed


@pytest.mark.parametrize("kind", KINDS)
def test_the_pwa_keeps_every_type_in_its_declared_store(kind):
    stores, created, indexed = _pwa_stores()
    store = TYPES[kind].pwa_store
    assert stores.get(kind) == store, f"db.js STORES names another store for {kind}"
    assert store in created, f"db.js never creates the store {store}"
    for field in indexed[store]:
        assert field in _form_fields(kind), f"{store} indexes data.{field}: not a {kind} field"


def test_the_pwa_stores_are_the_record_types():
    stores, _created, indexed = _pwa_stores()
    assert stores == {kind: t.pwa_store for kind, t in TYPES.items()}
    assert sum(len(fields) for fields in indexed.values()) >= 6  # the parse found the indexes


def test_the_pwa_screens_read_only_form_fields():
    """``record.data.x`` in the PWA's modules names a field some record form has."""
    fields = {name for kind in KINDS for name in _form_fields(kind)}
    used = set()
    for path in (ROOT / "static/js").glob("*.js"):
        used |= set(re.findall(r"\.data\.([a-z_]+)", path.read_text(encoding="utf-8")))
    assert len(used) > 10
    assert used - fields == set()
