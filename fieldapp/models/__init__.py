"""The data model (docs/data-model.md): one module per aggregate, re-exported here.

A synced record's data columns are filled from its form's fields as its declaration says
(records/types.py, which also holds the one map of record type -> model).
"""
from .areas import LEVELS, Area, CollectionPoint, CoordinationProgram, Organization
from .audit import AuditEntry
from .changes import Change, Counter
from .households import Household, Person
from .people import ROLES, Device, User, hash_token, user_areas
from .plans import ParticipantCount, Plan
from .policy import PolicyParameterSet
from .work import (
    REFERRAL_STATUSES,
    REVIEW_STATUSES,
    Enrollment,
    Outreach,
    PayerChain,
    Payment,
    Referral,
    Remittance,
    RemittedPayment,
    Task,
    Visit,
)

__all__ = [
    "LEVELS", "ROLES", "REFERRAL_STATUSES", "REVIEW_STATUSES",
    "Area", "AuditEntry", "Change", "CollectionPoint", "CoordinationProgram", "Counter",
    "Device", "Enrollment", "Household", "Organization", "Outreach", "ParticipantCount",
    "PayerChain", "Payment", "Person", "Plan", "PolicyParameterSet", "Referral",
    "RemittedPayment", "Remittance",
    "Task", "User", "Visit", "hash_token",
    "user_areas",
]
