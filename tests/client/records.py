"""Valid records for the live tests, in collector col_a's area (commune 31001)."""
import uuid


def household(n, village="31001-1"):
    return {"id": str(uuid.uuid4()), "type": "household",
            "data": {"area": village, "address": f"Số {n}, tổ {n % 7 + 1}",
                     "head_name": f"Nguyễn Văn {n}"}}


def person(n, household_id):
    return {"id": str(uuid.uuid4()), "type": "person",
            "data": {"household": household_id, "full_name": f"Trần Thị {n}",
                     "birth_date": "1985-03-14", "sex": "female", "relation": "spouse"}}


def visit(household_id, outcome="not_interested"):
    return {"id": str(uuid.uuid4()), "type": "visit",
            "data": {"household": household_id, "visited_at": "2026-11-25T09:30:00+07:00",
                     "outcome": outcome, "topics": ["vsi", "hhi"]}}


def day_of_work(n_households):
    """Households, each followed by a member and a visit: references inside and across batches."""
    out = []
    for n in range(n_households):
        h = household(n)
        out += [h, person(n, h["id"]), visit(h["id"])]
    return out
