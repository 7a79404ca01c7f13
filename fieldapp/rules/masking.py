"""Personal identifiers shown in part: the one mask of the desk pages and of the sync pull.

A personal ID or a social-insurance code is shown whole only to the roles that need it whole:
admins, and collectors, who register people on the doorstep and must check the ID on the card
against their copy. Everyone else (supervisors; village heads never receive persons at all)
sees the last four digits, enough to tell two people apart and not enough to reuse the ID.
The household pages (``mask_id`` template filter, main/views.py) and the pull
(syncserver/shapes.py ``shaper_for``) both ask here.
"""

#: Roles that see personal IDs and SI codes whole.
FULL_ID_ROLES = frozenset({"admin", "collector"})

#: The fields masked for the other roles, by record type.
MASKED_FIELDS = {"person": ("personal_id", "si_code")}

#: What stands for each hidden character.
MASK_CHAR = "•"


def reveals_ids(role):
    """Does ``role`` see personal IDs and SI codes whole?"""
    return role in FULL_ID_ROLES


def mask_id(value, reveal=False):
    """'001090012345' -> '••••••••2345': enough to tell two people apart, not to reuse the ID."""
    if not value:
        return ""
    text = str(value)
    if reveal:
        return text
    return MASK_CHAR * max(len(text) - 4, 0) + text[-4:]
