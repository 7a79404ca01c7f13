"""Making register records directly in the database for the web page tests."""
import uuid
from datetime import UTC, date, datetime

from fieldapp.extensions import db
from fieldapp.models import Device, Enrollment, Household, Person, Visit
from fieldapp.records.textfold import household_search_text


def new_id():
    return str(uuid.uuid4())


def household(app, area_id, head_name, address="Số 1", phone=None, created_by=None):
    with app.app_context():
        h = Household(id=new_id(), area_id=area_id, head_name=head_name, address=address,
                      phone=phone, created_by_id=created_by,
                      search_text=household_search_text(head_name, address))
        db.session.add(h)
        db.session.commit()
        return h.id


def person(app, household_id, full_name, personal_id=None, relation="head", si_code=None):
    with app.app_context():
        h = db.session.get(Household, household_id)
        p = Person(id=new_id(), household_id=household_id, area_id=h.area_id, full_name=full_name,
                   birth_date=date(1980, 5, 17), sex="female", personal_id=personal_id,
                   si_code=si_code, relation=relation, coverage="none")
        db.session.add(p)
        db.session.commit()
        return p.id


def visit(app, household_id, at, created_by, outcome="interested"):
    with app.app_context():
        h = db.session.get(Household, household_id)
        v = Visit(id=new_id(), household_id=household_id, area_id=h.area_id, visited_at=at,
                  outcome=outcome, topics=["vsi"], created_by_id=created_by)
        db.session.add(v)
        db.session.commit()
        return v.id


def enrollment(app, person_id, at, created_by, amount=792000):
    with app.app_context():
        p = db.session.get(Person, person_id)
        e = Enrollment(id=new_id(), person_id=person_id, area_id=p.area_id, scheme="vsi",
                       start_month=at.strftime("%Y-%m"), period_months=3, amount_due=amount,
                       monthly_income=1500000, support_group="other", client_time=at,
                       received_at=at, created_by_id=created_by)
        db.session.add(e)
        db.session.commit()
        return e.id


def device(app, user_id, name="Samsung Galaxy A12"):
    with app.app_context():
        d = Device(id=new_id(), user_id=user_id, name=name, token_hash=uuid.uuid4().hex * 2,
                   app_version="2026.11.1", outbox_depth=2,
                   last_sync_at=datetime(2026, 11, 20, 2, 0, tzinfo=UTC))
        db.session.add(d)
        db.session.commit()
        return d.id
