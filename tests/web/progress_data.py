"""Data for the progress tests (#12): official counts, plans and sign-ups made directly."""
from fieldapp.extensions import db
from fieldapp.models import Area, Enrollment, ParticipantCount, Plan
from tests.web import records

#: The office's own report of October 2024 (the seed of the project).
SEED_COUNTS = {"2023-10": 25949, "2023-12": 34833, "2024-09": 36293, "2024-10": 36421}
SEED_PLAN = 40500


def counts(app, area_id, by_month, scheme="vsi"):
    with app.app_context():
        db.session.add_all(ParticipantCount(area_id=area_id, month=m, scheme=scheme,
                                            participants=n) for m, n in by_month.items())
        db.session.commit()


def plan(app, area_id, year, target, new=None, scheme="vsi", organization_id=None, monthly=None):
    with app.app_context():
        db.session.add(Plan(area_id=area_id, organization_id=organization_id, year=year,
                            scheme=scheme, target=target, new_participants=new, monthly=monthly))
        db.session.commit()


def central_city(app, area_id):
    with app.app_context():
        db.session.get(Area, area_id).central_city = True
        db.session.commit()


def signup(app, person_id, start_month, created_by, kind="new", paid=True, scheme="vsi", at=None):
    """A sign-up of ``kind`` starting in ``start_month`` (recorded at ``at``, default the 10th
    of that month)."""
    from datetime import UTC, datetime
    at = at or datetime(int(start_month[:4]), int(start_month[5:]), 10, 3, tzinfo=UTC)
    enrollment_id = records.enrollment(app, person_id, at, created_by)
    with app.app_context():
        e = db.session.get(Enrollment, enrollment_id)
        e.start_month, e.kind, e.paid, e.scheme = start_month, kind, paid, scheme
        db.session.commit()
    return enrollment_id


def people(app, village_id, n, prefix="Người"):
    """``n`` persons, each in a household of their own in the village."""
    out = []
    for i in range(n):
        h = records.household(app, village_id, f"{prefix} {i}", address=f"Số {i}")
        out.append(records.person(app, h, f"{prefix} {i}"))
    return out
