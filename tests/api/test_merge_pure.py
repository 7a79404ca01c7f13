"""sync/merge.py on its own: judging order and batch references with a dictionary store."""
import uuid

from sync import merge
from sync.merge import State


def uid():
    return str(uuid.uuid4())


def validator(kind, data):
    if data.get("bad"):
        return None, {"bad": ["bad on purpose"]}
    return dict(data), {}


class DictStore:
    """Stored states by id; everything visible, area 1; writes recorded."""

    def __init__(self, states=None):
        self.states = dict(states or {})
        self.lookups = 0
        self.accepted_writes = []

    def lookup(self, wanted):
        self.lookups += 1
        return {rid: self.states[rid] for ids in wanted.values() for rid in ids
                if rid in self.states}

    def check(self, item, prior, refs):
        if item.cleaned.get("forbidden"):
            return {"_": ["no"]}, None
        return {}, {"area_id": 1, "owner_id": 7}

    def accepted(self, write):
        self.accepted_writes.append(write)


def rec(kind, rid=None, version=0, **data):
    return {"id": rid or uid(), "type": kind, "version": version, "data": data}


def run(records, store=None):
    store = store or DictStore()
    items = merge.prepare(records, validator)
    return merge.judge(items, store, validator), store


def statuses(judgement):
    return [r["status"] for r in judgement.results]


def test_forward_reference_chain_is_accepted_and_written_in_judging_order():
    h, p = rec("household"), None
    p = rec("person", household=h["id"])
    e = rec("enrollment", person=p["id"])
    judgement, store = run([e, p, h])
    assert statuses(judgement) == ["accepted"] * 3
    assert [w.item.type for w in judgement.writes] == ["household", "person", "enrollment"]


def test_every_occurrence_rejected_rejects_the_referrer():
    h = rec("household", bad=True)
    p = rec("person", household=h["id"])
    judgement, _ = run([p, h])
    assert statuses(judgement) == ["rejected", "rejected"]
    assert list(judgement.results[0]["errors"]) == ["household"]


def test_store_rule_rejection_propagates_too():
    h = rec("household", forbidden=True)
    v = rec("visit", household=h["id"])
    judgement, _ = run([h, v])
    assert statuses(judgement) == ["rejected", "rejected"]


def test_duplicate_comes_before_every_other_check():
    rid = uid()
    data = {"address": "x"}
    from sync.protocol import content_hash

    store = DictStore({rid: State("household", 3, content_hash("household", data), 1, 7)})
    judgement, _ = run([rec("household", rid, version=99, **data)], store)
    assert judgement.results == [{"id": rid, "status": "duplicate", "version": 3}]


def test_invisible_record_is_never_a_duplicate():
    rid = uid()
    data = {"address": "x"}
    from sync.protocol import content_hash

    hidden = State("household", 1, content_hash("household", data), 1, 7, visible=False)
    judgement, _ = run([rec("household", rid, version=1, **data)], DictStore({rid: hidden}))
    assert judgement.results[0]["status"] == "rejected"
    assert list(judgement.results[0]["errors"]) == ["_"]


def test_conflict_is_listed_for_the_caller_to_fill_current():
    rid = uid()
    store = DictStore({rid: State("household", 2, "other", 1, 7)})
    judgement, _ = run([rec("household", rid, version=1, address="y")], store)
    assert judgement.results[0]["status"] == "conflict"
    assert judgement.conflicts == [(0, rid)]
    assert judgement.writes == []


def test_trusted_records_skip_validation_until_needed():
    rid = uid()
    calls = []

    def counting(kind, data):
        calls.append(kind)
        return validator(kind, data)

    from sync.protocol import content_hash

    data = {"address": "x"}
    digest = content_hash("household", data)
    items = merge.prepare([rec("household", rid, **data)], counting, trusted={(rid, digest)})
    assert calls == []
    store = DictStore({rid: State("household", 1, digest, 1, 7)})
    judgement = merge.judge(items, store, counting)
    assert statuses(judgement) == ["duplicate"] and calls == []
    # the hint was wrong (the record is not stored after all): validated then
    items = merge.prepare([rec("household", rid, **data)], counting, trusted={(rid, digest)})
    judgement = merge.judge(items, DictStore(), counting)
    assert statuses(judgement) == ["accepted"] and calls == ["household"]


def test_one_bulk_lookup_for_a_whole_batch():
    hs = [rec("household") for _ in range(50)]
    ps = [rec("person", household=h["id"]) for h in hs]
    judgement, store = run(ps + hs)
    assert set(statuses(judgement)) == {"accepted"}
    assert store.lookups == 1


def test_long_chain_of_the_same_id_does_not_recurse_deeply():
    rid = uid()
    records = [rec("household", rid, version=n, address=str(n)) for n in range(500)]
    judgement, _ = run(records)
    assert statuses(judgement) == ["accepted"] * 500
    assert judgement.results[-1]["version"] == 500


class ListFeed:
    def __init__(self, rows, records, high):
        self.rows, self.records_by_id, self.high = rows, records, high

    def changes_after(self, seq, limit):
        return [r for r in self.rows if r[0] > seq][:limit]

    def high_water(self):
        return self.high

    def records(self, wanted, after, through):
        return {rid: self.records_by_id[rid] for ids in wanted.values() for rid in ids
                if rid in self.records_by_id}


def test_pull_page_keeps_one_row_per_record_and_jumps_to_the_high_water_mark():
    a, b = uid(), uid()
    rows = [(3, "household", a, True), (5, "household", b, False), (6, "household", a, True)]
    records = {b: {"version": 2, "data": {"x": 1}, "server": {}}}
    page = merge.pull_page(ListFeed(rows, records, high=40), 0, 10)
    assert [(c["id"], c["deleted"]) for c in page.changes] == [(b, False), (a, True)]
    assert page.cursor == 40 and page.more is False


def test_pull_page_with_more_stops_at_the_last_row_given():
    rows = [(n, "household", uid(), False) for n in range(1, 6)]
    records = {r[2]: {"version": 1, "data": {}, "server": {}} for r in rows}
    page = merge.pull_page(ListFeed(rows, records, high=99), 0, 2)
    assert page.more is True and page.cursor == 2 and len(page.changes) == 2
