"""Why a pushed record was rejected after its form passed: the rules that need the database.

The form (records/forms.py) judges a record by itself; sync/merge.py judges the envelope,
versions and references. What is left needs other records, the area tree, the caller's
scope or the policy book, and lives here, one function per rule. ``SqlStore.check``
(syncserver/store.py) calls them in this order and stops at the first that fails:

1. ``kind_allowed``       the caller may send this type at all          -> ``_``
2. ``area_known``         the area code exists                           -> ``area``
3. ``area_is_village``    households and referrals name a village        -> ``area``
4. ``area_in_scope``      the record's area is within the caller's reach -> ``area`` or the
                          reference that carries the area (``AREA_FIELD``)
5. ``personal_id_unique`` no other person holds the personal ID          -> ``personal_id``
                          (held only outside the caller's areas: a
                          terser message, and the store audits it)
6. ``premium_matches``    the enrollment's amount is the one the policy  -> the premium
                          book computes                                     input, or
                                                                            ``amount_due``
7. ``payment_matches``    a payment pays its enrollment's amount due     -> ``amount``
8. ``receipt_unique``     a receipt number is used once per collection   -> ``receipt_no``
                          organization (one receipt may cover several
                          HHI members of one household paid the same day)
9. ``task_only_done``     tasks are the server's: a collector changes    -> ``_`` or the field
                          only ``done`` of an existing one

Each returns None when the record passes, else the ``errors`` of the push result
({field: [message]}). They only read what the store hands them, so each costs a few
dictionary look-ups per record (the push's hot path).
"""
from collections import namedtuple

from flask_babel import gettext as _

#: Types whose data names its area by code; the others take it from a referenced record.
CODED_TYPES = ("household", "referral", "outreach")
#: Types whose ``area`` must be a village; outreach may name any area.
VILLAGE_TYPES = ("household", "referral")
#: The field to blame when a record's area is out of reach, by type: the area itself, or the
#: reference the area comes from.
AREA_FIELD = {"household": "area", "referral": "area", "outreach": "area",
              "person": "household", "visit": "household", "enrollment": "person",
              "payment": "enrollment", "task": "household"}

#: What ``Scope.may_write`` reads of a stored record.
Owned = namedtuple("Owned", "area_id created_by_id")


def kind_allowed(scope, kind):
    """The caller may send records of ``kind`` only if one of their own areas lets them write
    it (a village head sends referrals only). Names ``_``: the whole record."""
    for area_id in scope.assigned_ids:
        if scope.may_write(kind, area_id):
            return None
    return {"_": [_("You may not send this kind of record.")]}


def area_known(node):
    """The ``area`` code of a household, referral or outreach must exist in the area tree
    (``node`` is what the code found, or None). Names ``area``."""
    if node is None:
        return {"area": [_("Unknown area code.")]}
    return None


def area_is_village(kind, node):
    """A household or a referral lives in a village (thôn or tổ dân phố), never in a commune
    or larger; outreach may be held for any area. Names ``area``."""
    if kind in VILLAGE_TYPES and node.level != "village":
        return {"area": [_("Choose a village (thôn or tổ dân phố), not a larger area.")]}
    return None


def area_in_scope(scope, kind, area_id, prior):
    """The caller may write ``kind`` into ``area_id`` (and over the stored record ``prior``,
    when it exists: a collector edits only their own visits and enrollments). Names
    ``AREA_FIELD[kind]``: ``area``, or the household / person the area comes from."""
    existing = Owned(prior.area_id, prior.owner_id) if prior is not None else None
    if scope.may_write(kind, area_id, existing):
        return None
    field = AREA_FIELD[kind]
    message = (_("This area is outside your areas.") if field == "area" else
               _("This record is outside your areas."))
    return {field: [message]}


def held_elsewhere(scope, person_id, holders):
    """Is the ID held by another person, none of them in the caller's areas? (The caller
    cannot see who holds it: their refusal is a probe worth auditing.)"""
    others = [area_id for holder, area_id in holders.items() if holder != person_id]
    return bool(others) and not any(area_id in scope.area_ids for area_id in others)


def personal_id_unique(scope, person_id, holders):
    """A personal ID belongs to one person in the whole country: ``holders`` ({person id:
    area id} of the persons stored or accepted earlier in the batch with that ID) may hold
    no one but ``person_id`` itself. Names ``personal_id``.

    When no holder lies in the caller's areas the answer says only that the ID is taken and
    whom to ask, not that it is "registered to another person" somewhere the caller cannot
    see; SqlStore.check audits that refusal (a device trying many IDs shows up)."""
    if not any(holder != person_id for holder in holders):
        return None
    if held_elsewhere(scope, person_id, holders):
        return {"personal_id": [
            _("This personal ID is already registered — ask your supervisor.")]}
    return {"personal_id": [
        _("This personal ID is already registered to another person.")]}


def premium_matches(book, data, province, facts):
    """An enrollment's ``amount_due`` must be what the policy book computes for its scheme,
    months, income, support group and member order in the household's province; the device
    computes it with the same rules (premium.js). Names the input the book refuses (its
    ``PremiumError.field``), or ``amount_due`` with "expected N" (plain digits: the device
    shows its own sentence). On success the computed amounts go into ``facts``."""
    from ..rules.policy import PremiumError

    try:
        premium = book.compute(
            data["scheme"], data["start_month"], data["period_months"],
            monthly_income=data.get("monthly_income"),
            support_group=data.get("support_group"),
            member_order=data.get("member_order"),
            province=province)
    except PremiumError as err:
        return {err.field: [err.message]}
    if premium.amount_due != data["amount_due"]:
        return {"amount_due": [f"expected {premium.amount_due}"]}
    facts.update(monthly_amount=premium.monthly_amount,
                 monthly_support=premium.monthly_support, policy_set_id=premium.set_id,
                 kind=facts.get("kind"))
    return None


#: One receipt's use by a payment: the scheme, household and day it covers.
ReceiptUse = namedtuple("ReceiptUse", "scheme household_id paid_on")


def payment_matches(enrollment, data):
    """A payment pays its enrollment's period in full: ``amount`` equals the enrollment's
    ``amount_due`` (the premium the server recomputed when the sign-up was stored). Names
    ``amount`` with "expected N" in plain digits, as ``premium_matches`` does."""
    if data["amount"] != enrollment.amount_due:
        return {"amount": [f"expected {enrollment.amount_due}"]}
    return None


def receipt_unique(payment_id, use, holders):
    """``holders`` ({payment id: ReceiptUse}) are the payments of the same collection
    organization already holding the receipt number. The number may be shared only by
    HHI payments of one household with the same ``paid_on`` (one receipt for the
    household's members). Names ``receipt_no``."""
    others = [held for pid, held in holders.items() if pid != payment_id]
    if not others:
        return None
    if use.scheme == "hhi" and all(held == use for held in others):
        return None
    return {"receipt_no": [_("This receipt number is already used in your organization.")]}


#: A task's fields a collector may not change (everything but ``done``).
TASK_FIXED = ("kind", "household", "person", "due_on", "amount", "note")


def task_only_done(stored, data):
    """Tasks are made by the server (the payers' desk); a collector pushes an existing one
    back with ``done`` changed and nothing else. ``stored`` is the task as stored ({field:
    value}, cleaned types) or None. Names ``_`` for a new task, else the changed field."""
    if stored is None:
        return {"_": [_("Tasks are made by the office; you can only mark one done.")]}
    for name in TASK_FIXED:
        if stored.get(name) != data.get(name):
            return {name: [_("Only “done” can be changed on a task.")]}
    return None
