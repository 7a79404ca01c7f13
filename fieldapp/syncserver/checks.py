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
6. ``vsi_old_enough``     a VSI participant is 15 or older on the first  -> ``person``
                          day of the start month
7. ``vsi_not_compulsory`` ... and not in compulsory social insurance     -> ``person``
8. ``start_in_window``    the start month lies in the window of the      -> ``start_month``
                          month the sign-up was made in
9. ``vsi_no_overlap``     no two VSI periods of one person overlap       -> ``start_month``
10. ``hhi_member_place``  the HHI place is the household's for the year  -> ``member_order``
11. ``closer_is_collector`` only a collector closes a referral           -> ``close_reason``
12. ``premium_matches``   the enrollment's amount is the one the policy  -> the premium
                          book computes (a kept amount stays; support        input, or
                          past the 120-month cap is not given)               ``amount_due``
13. ``payment_matches``   a payment pays its enrollment's amount due     -> ``amount``
14. ``receipt_unique``    a receipt number is used once per collection   -> ``receipt_no``
                          organization (one receipt may cover several
                          HHI members of one household paid the same day)
15. ``task_only_done``    tasks are the server's: a collector changes    -> ``_`` or the field
                          only ``done`` of an existing one

Rules 6 to 10 are the sign-up rules of docs/premiums.md §9; the phone checks the same ones,
with the same msgids, before Save (static/js/signup-rules.js). ``signup_kind`` then files
the sign-up as new, renewed or resumed.

Each returns None when the record passes, else the ``errors`` of the push result
({field: [message]}). They only read what the store hands them, so each costs a few
dictionary look-ups per record (the push's hot path).
"""
from collections import namedtuple
from datetime import date

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

#: What the sign-up rules read of the participant: birth_date a date, coverage a choice value.
Participant = namedtuple("Participant", "birth_date coverage household_id")
#: Another enrollment of the same person or household, as the sign-up rules need it. ``key``
#: orders sign-ups by when they were first made (stored ones before this batch's).
Other = namedtuple("Other", "id person_id scheme start_month period_months key")

# The sign-up rules' English msgids; static/js/signup-rules.js says the same ones (a test
# compares them), so the phone refuses in the server's words.
MSG_TOO_YOUNG = ("Voluntary social insurance is for people aged 15 or older on the first day of "
                 "the start month: this person turns 15 on %(birthday)s.")
MSG_COMPULSORY = ("This person is in compulsory social insurance and cannot join voluntary "
                  "social insurance.")
MSG_BACK_PAYMENT = ("A %(months)s-month period signed up in %(made)s may start no earlier than "
                    "%(earliest)s. Paying for earlier months (back payment, with a surcharge) "
                    "is not handled yet.")
MSG_TOO_FAR = ("A period may start at most %(ahead)s months after the month it is signed up in: "
               "no later than %(latest)s.")
MSG_HHI_BEFORE = ("Household health insurance cannot start before the month it is signed up in "
                  "(%(made)s).")
MSG_OVERLAP = ("This person already has voluntary social insurance from %(start)s to %(end)s: "
               "two periods cannot overlap.")
MSG_PLACE = "This member's place in the household for %(year)s is %(place)s."


def _say(msgid, **params):
    """The message in the request's language (Flask-Babel gives the English outside one)."""
    return _(msgid, **params)


def month_index(month):
    """'2025-09' -> a month count (year × 12 + month − 1) for arithmetic."""
    return int(month[:4]) * 12 + int(month[5:7]) - 1


def month_of(index):
    """The inverse of ``month_index``: 'YYYY-MM'."""
    return f"{index // 12:04d}-{index % 12 + 1:02d}"


def month_text(month):
    """'2025-09' -> '09/2025', as the app shows months."""
    return f"{month[5:7]}/{month[:4]}"


def fifteenth_birthday(born):
    """The day ``born`` turns 15 (a 29 February birthday falls on 1 March)."""
    try:
        return born.replace(year=born.year + 15)
    except ValueError:
        return date(born.year + 15, 3, 1)


def vsi_old_enough(data, participant):
    """VSI is for people 15 or older on the first day of ``start_month`` (DOMAIN: judged on
    that day). Names ``person``, with the 15th birthday."""
    if data["scheme"] != "vsi" or participant is None or participant.birth_date is None:
        return None
    birthday = fifteenth_birthday(participant.birth_date)
    first = date(int(data["start_month"][:4]), int(data["start_month"][5:7]), 1)
    if birthday <= first:
        return None
    return {"person": [_say(MSG_TOO_YOUNG, birthday=birthday.strftime("%d/%m/%Y"))]}


def vsi_not_compulsory(data, participant):
    """A worker in compulsory social insurance cannot also join VSI. Names ``person``."""
    if data["scheme"] == "vsi" and participant is not None \
            and participant.coverage == "compulsory_si":
        return {"person": [_say(MSG_COMPULSORY)]}
    return None


def start_window(params, period, made_month):
    """(earliest, latest) start months of a VSI period of ``period`` months made in
    ``made_month``: paid within its first w months, it may start w − 1 months back."""
    from ..rules.policy import PAY_WITHIN, START_AHEAD_MONTHS

    within = (params.get("vsi_pay_within") or PAY_WITHIN).get(str(period), 1)
    ahead = params.get("vsi_start_ahead_months", START_AHEAD_MONTHS)
    made = month_index(made_month)
    return month_of(made - (within - 1)), month_of(made + ahead), ahead


def start_in_window(book, data, made_month):
    """The start month against the month the sign-up was first made in (later edits keep
    it): a VSI period of k months between that month − (w − 1) and 12 months after; HHI
    never before it. Names ``start_month``. Back payment is refused as not handled yet."""
    from ..rules.policy import PremiumError

    start = data["start_month"]
    if data["scheme"] == "hhi":
        if month_index(start) < month_index(made_month):
            return {"start_month": [_say(MSG_HHI_BEFORE, made=month_text(made_month))]}
        return None
    try:
        params = book.set_for(start).params
    except PremiumError:
        return None  # premium_matches names the month
    earliest, latest, ahead = start_window(params, data["period_months"], made_month)
    if start < earliest:
        return {"start_month": [_say(MSG_BACK_PAYMENT, months=data["period_months"],
                                     made=month_text(made_month),
                                     earliest=month_text(earliest))]}
    if start > latest:
        return {"start_month": [_say(MSG_TOO_FAR, ahead=ahead, latest=month_text(latest))]}
    return None


def vsi_no_overlap(data, others):
    """One contribution per month: no two VSI periods of the person overlap. ``others``:
    the person's other enrollments. Names ``start_month`` with the period it meets."""
    if data["scheme"] != "vsi":
        return None
    start = month_index(data["start_month"])
    end = start + data["period_months"]
    for other in sorted(others, key=lambda o: o.start_month):
        if other.scheme != "vsi":
            continue
        o_start = month_index(other.start_month)
        o_end = o_start + other.period_months
        if start < o_end and o_start < end:
            return {"start_month": [_say(MSG_OVERLAP, start=month_text(other.start_month),
                                         end=month_text(month_of(o_end - 1)))]}
    return None


def expected_place(person_id, key, others, ladder_top=5):
    """The household place of ``person_id`` for the year: 1 + the other persons whose first
    HHI sign-up of the year was made before this person's (``others``: the household's
    other HHI enrollments of that fiscal year; ``key``: when this one was made)."""
    first = {}
    for other in others:
        if other.person_id not in first or other.key < first[other.person_id]:
            first[other.person_id] = other.key
    mine = min(key, first.pop(person_id, key))
    return min(1 + sum(1 for k in first.values() if k < mine), ladder_top)


def hhi_member_place(data, person_id, key, others):
    """The member's place is the household's, whichever phone signs them up: decided from
    the household's other HHI enrollments of the fiscal year across all devices (an edit
    does not count itself). Names ``member_order`` with the expected place."""
    if data["scheme"] != "hhi":
        return None
    place = expected_place(person_id, key, others)
    if data.get("member_order") == place:
        return None
    return {"member_order": [_say(MSG_PLACE, year=data["start_month"][:4], place=place)]}


def supported_before(data, others):
    """Months of VSI State support the person had before this period: the months of their
    other VSI periods that start earlier (``premium_matches`` caps the rest)."""
    if data["scheme"] != "vsi":
        return 0
    return sum(o.period_months for o in others
               if o.scheme == "vsi" and o.start_month < data["start_month"])


def signup_kind(data, others):
    """new (no earlier enrollment in the scheme), renewed (starts where the previous period
    ends or within it: paid within its deadline), or resumed (after a gap: the person had
    lapsed). DOMAIN: the office counts the three apart."""
    start = month_index(data["start_month"])
    ends = [month_index(o.start_month) + o.period_months for o in others
            if o.scheme == data["scheme"] and o.start_month < data["start_month"]]
    if not ends:
        return "new"
    return "renewed" if start <= max(ends) else "resumed"


#: The inputs of the amount: an edit changing none of them keeps the stored amount.
AMOUNT_INPUTS = ("scheme", "start_month", "period_months", "monthly_income", "support_group",
                 "hhi_group", "member_order")


def kind_allowed(scope, kind):
    """The caller may send records of ``kind`` only if one of their own areas lets them write
    it (a village head sends referrals only). Names ``_``: the whole record."""
    for area_id in scope.assigned_ids:
        if scope.may_write(kind, area_id):
            return None
    return {"_": [_("You may not send this kind of record.")]}


def closer_is_collector(scope, kind, data, stored_reason=None):
    """A referral's ``close_reason`` says why the collector who went closed it: a village
    head refers, and sees the answer, but does not close (their edit of a closed referral
    may carry the reason it has, ``stored_reason``). Names ``close_reason``."""
    reason = data.get("close_reason") if kind == "referral" else None
    if reason and scope.role != "collector" and reason != stored_reason:
        return {"close_reason": [_("Only a collector can close a referral.")]}
    return None


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


def premium_matches(book, data, province, facts, stored=None, before=0):
    """An enrollment's ``amount_due`` must be what the policy book computes for its scheme,
    months, income, support groups and member order in the household's province, with State
    support only up to the cap (``before``: the months the person had already); the device
    computes it with the same rules (premium.js). Names the input the book refuses (its
    ``PremiumError.field``), or ``amount_due`` with "expected N" (plain digits: the device
    shows its own sentence). On success the amounts go into ``facts``.

    A payment keeps the parameters in force when it was made: an edit (``stored``: the row
    as stored, a dict) that changes none of ``AMOUNT_INPUTS`` and keeps the stored amount is
    accepted with the stored figures, even when the parameters have changed since."""
    from ..rules.policy import PremiumError

    if stored is not None and data["amount_due"] == stored["amount_due"] and all(
            data.get(k) == stored.get(k) for k in AMOUNT_INPUTS):
        facts.update(monthly_amount=stored["monthly_amount"],
                     monthly_support=stored["monthly_support"],
                     policy_set_id=stored["policy_set_id"])
        return None
    try:
        premium = book.compute(
            data["scheme"], data["start_month"], data["period_months"],
            monthly_income=data.get("monthly_income"),
            support_group=data.get("support_group"),
            member_order=data.get("member_order"),
            hhi_group=data.get("hhi_group"),
            province=province, supported_before=before)
    except PremiumError as err:
        return {err.field: [err.message]}
    if premium.amount_due != data["amount_due"]:
        return {"amount_due": [f"expected {premium.amount_due}"]}
    facts.update(monthly_amount=premium.monthly_amount,
                 monthly_support=premium.monthly_support, policy_set_id=premium.set_id)
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
