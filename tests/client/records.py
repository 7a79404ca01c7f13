"""Numbered records as typed into the sync client (no base version, no client time), built by
the one record factory (tests/records.py); in collector col_a's area (commune 31001)."""
from tests import records


def household(n, village="31001-1"):
    return records.typed(records.household(village, address=f"Số {n}, tổ {n % 7 + 1}",
                                           head_name=f"Nguyễn Văn {n}"))


def person(n, household_id):
    return records.typed(records.person(household_id, full_name=f"Trần Thị {n}"))


def visit(household_id, outcome="not_interested"):
    return records.typed(records.visit(household_id, outcome=outcome, follow_up_on=None))


def day_of_work(n_households):
    """Households, each followed by a member and a visit: references inside and across batches."""
    out = []
    for n in range(n_households):
        h = household(n)
        out += [h, person(n, h["id"]), visit(h["id"])]
    return out
