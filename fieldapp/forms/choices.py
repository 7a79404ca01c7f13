"""Choice lists of the record fields, with their labels (English source, translated).

The values are the protocol's (docs/records.md); the labels reach the PWA through
/api/v1/bootstrap and the rendered forms, so nothing is copied into JavaScript.
"""
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext

CHOICES = {
    "outcome": [
        ("not_home", _l("Not home")),
        ("not_interested", _l("Not interested")),
        ("interested", _l("Interested, follow up")),
        ("enrolled", _l("Enrolled")),
        ("already_covered", _l("Already covered")),
        ("moved_away", _l("Moved away")),
        ("refused", _l("Refused")),
    ],
    "topics": [("vsi", _l("Voluntary social insurance")), ("hhi", _l("Household health insurance"))],
    "sex": [("male", _l("Male")), ("female", _l("Female"))],
    "relation": [
        ("head", _l("Head of household")), ("spouse", _l("Spouse")), ("child", _l("Child")),
        ("parent", _l("Parent")), ("other", _l("Other")),
    ],
    "coverage": [
        ("none", _l("Not covered")), ("compulsory_si", _l("Compulsory SI")),
        ("voluntary_si", _l("Voluntary SI")), ("household_hi", _l("Household HI")),
        ("other_hi", _l("Other HI")), ("unknown", _l("Unknown")),
    ],
    "scheme": [("vsi", _l("Voluntary social insurance")), ("hhi", _l("Household health insurance"))],
    "support_group": [
        ("poor", _l("Poor household")), ("near_poor", _l("Near-poor household")),
        ("ethnic_minority", _l("Ethnic minority")), ("other", _l("Other")),
    ],
    # HHI support groups (docs/premiums.md §3): none by default; each has a national minimum
    # share and a province top-up in the parameter sets.
    "hhi_group": [
        ("near_poor", _l("Near-poor household")),
        ("farming", _l("Farming, forestry, fishery or salt-making household")),
        ("student", _l("Pupil or student")),
        ("elderly_no_pension", _l("Aged 60 to 74 without a pension")),
    ],
    "reason": [
        ("informal_worker", _l("Informal worker")), ("farmer", _l("Farmer")),
        ("no_health_insurance", _l("No health insurance")), ("lapsed", _l("Stopped paying")),
        ("other", _l("Other")),
    ],
    # Why a collector closed a referral (sync/protocol.py CLOSE_REASONS).
    "close_reason": [
        ("not_eligible", _l("Not eligible")), ("already_covered", _l("Already covered")),
        ("moved_away", _l("Moved away")), ("refused", _l("Refused")),
        ("unreachable", _l("Could not be reached")),
    ],
    "kind": [("conference", _l("Customer conference")), ("small_group", _l("Small-group talk"))],
    "period_months": [
        ("1", _l("Monthly")), ("3", _l("Every 3 months")), ("6", _l("Every 6 months")),
        ("12", _l("Every 12 months")),
    ],
    "member_order": [
        ("1", _l("1st member")), ("2", _l("2nd member")), ("3", _l("3rd member")),
        ("4", _l("4th member")), ("5", _l("5th member or later")),
    ],
    # Payments and tasks (#15).
    "method": [("cash", _l("Cash")), ("transfer", _l("Bank transfer"))],
    "task_kind": [("payment_due", _l("Payment due")), ("lapsed", _l("Stopped paying")),
                  ("follow_up", _l("Follow-up"))],
    "review": [("pending", _l("Waiting for review")), ("approved", _l("Approved")),
               ("flagged", _l("Sent back"))],
    "referral_status": [
        ("new", _l("New")), ("assigned", _l("Assigned")), ("visited", _l("Visited")),
        # "Đã tham gia" here (docs/glossary.md: the referral chips), "Đã đăng ký" as a visit's outcome.
        ("enrolled", lazy_pgettext("referral status", "Enrolled")), ("closed", _l("Closed")),
    ],
}


def values(field):
    return [value for value, _label in CHOICES[field]]


def choices_json():
    """{field: [values]} for bootstrap."""
    return {field: [v for v, _ in pairs] for field, pairs in CHOICES.items()}


def labels_json():
    """{field: {value: label}} in the current request's language."""
    return {field: {v: str(label) for v, label in pairs} for field, pairs in CHOICES.items()}
