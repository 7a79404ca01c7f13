"""The money trail (#15): cash held by collectors, remittances, and the monthly reconciliation
of a collection organization.

Money moves in two steps: a collector hands cash and receipts to their organization
(a ``Remittance`` with ``collector_id``), the organization hands them to the social-insurance
office (``collector_id`` NULL). ``remitted_payments`` says which payments (receipts) each
remittance covers; a payment is covered once per step (a unique key). The sums are SQL;
only the "held longer than the limit" check counts working days in Python, over the cash
payments of one organization in one month.
"""
from dataclasses import dataclass, field
from datetime import timedelta

from flask_babel import lazy_gettext as _
from sqlalchemy import and_, func, select

from ..extensions import db
from ..models import Organization, Payment, Remittance, RemittedPayment, User
from ..rules import audit
from ..syncserver import feed
from .payers import first_day, last_day


class RemittanceError(ValueError):
    """A remittance that cannot be recorded; ``field`` names the input to fix."""

    def __init__(self, field, message):
        super().__init__(message)
        self.field, self.message = field, message


def working_days_between(start, end):
    """Working days (Monday to Friday) after ``start`` up to and including ``end``."""
    if end <= start:
        return 0
    weeks, extra = divmod((end - start).days, 7)
    days = weeks * 5
    for n in range(1, extra + 1):
        if (start + timedelta(days=n)).weekday() < 5:
            days += 1
    return days


def _within(stmt, areas):
    """``stmt`` cut to payments of ``areas`` (area ids; None: everywhere). An organization
    may work across a province: a supervisor of one commune sees its money in their commune
    only, never its collectors' cash elsewhere."""
    return stmt if areas is None else stmt.where(Payment.area_id.in_(sorted(areas) or [-1]))


def cash_held(organization_id, as_of=None, areas=None):
    """Per collector of the organization: cash taken and not yet handed over — [{collector,
    amount, receipts, oldest}] (SQL: one GROUP BY); only ``areas``' payments when given."""
    stmt = (select(User, func.sum(Payment.amount), func.count(Payment.id),
                   func.min(Payment.paid_on))
            .join(User, User.id == Payment.created_by_id)
            .where(Payment.organization_id == organization_id, Payment.method == "cash",
                   Payment.remitted_on.is_(None))
            .group_by(User.id).order_by(User.username))
    stmt = _within(stmt, areas)
    if as_of is not None:
        stmt = stmt.where(Payment.paid_on <= as_of)
    return [{"collector": user, "amount": int(amount or 0), "receipts": count, "oldest": oldest}
            for user, amount, count, oldest in db.session.execute(stmt)]


def unremitted(organization_id, collector_id=None, to_office=False, areas=None):
    """Payments not yet covered at a step: a collector's not handed to the organization, or
    the organization's handed over by collectors but not yet to the office."""
    covered = (select(RemittedPayment.payment_id)
               .where(RemittedPayment.to_office.is_(to_office)))
    stmt = (select(Payment).where(Payment.organization_id == organization_id,
                                  Payment.id.not_in(covered))
            .order_by(Payment.paid_on, Payment.receipt_no))
    stmt = _within(stmt, areas)
    if to_office:
        stmt = stmt.where(Payment.remitted_on.is_not(None))
    else:
        stmt = stmt.where(Payment.created_by_id == collector_id)
    return db.session.scalars(stmt).all()


def record_remittance(organization_id, collector_id, remitted_on, amount, reference,
                      payment_ids, user, areas=None):
    """Record a hand-over covering ``payment_ids``; its amount must be their sum, each
    receipt is remitted once per step. Commits nothing: the caller does."""
    to_office = collector_id is None
    if not payment_ids:
        raise RemittanceError("payments", _("Choose the receipts this hand-over covers."))
    allowed = {p.id: p for p in unremitted(organization_id, collector_id, to_office, areas)}
    chosen = [allowed.get(pid) for pid in sorted(set(payment_ids))]
    if None in chosen:
        raise RemittanceError("payments", _("A receipt chosen is already remitted or not yours "
                                            "to remit."))
    total = sum(p.amount for p in chosen)
    if amount != total:
        raise RemittanceError("amount", _("The amount must be the receipts' total: %(total)s.",
                                          total=f"{total:,}".replace(",", ".")))
    remittance = Remittance(organization_id=organization_id, collector_id=collector_id,
                            remitted_on=remitted_on, amount=amount, reference=reference or None,
                            created_by_id=user.id)
    db.session.add(remittance)
    db.session.flush()
    db.session.add_all([RemittedPayment(remittance_id=remittance.id, payment_id=p.id,
                                        to_office=to_office) for p in chosen])
    if not to_office:
        for p in chosen:
            p.remitted_on = remitted_on
    db.session.flush()
    audit.record("create", "remittance", remittance.id,
                 after={"amount": amount, "reference": reference, "to_office": to_office,
                        "receipts": [p.receipt_no for p in chosen]},
                 user_id=user.id, area_id=db.session.get(Organization, organization_id).area_id)
    if not to_office:
        feed.touch("payment", [p.id for p in chosen])  # the phone's cash total drops
    return remittance


@dataclass
class Reconciliation:
    """One organization's month: figures in đồng and the receipts to look at."""

    organization: Organization
    month: str
    collected: int = 0
    cash: int = 0
    transfer: int = 0
    to_organization: int = 0
    to_office: int = 0
    receipts: int = 0
    unaccounted: list = field(default_factory=list)  # payments not handed to the organization
    held_too_long: list = field(default_factory=list)  # (payment, working days held)

    @property
    def outstanding(self):
        """Collected in the month and not yet handed to the office."""
        return self.collected - self.to_office


def reconcile(organization, year, month, as_of, areas=None):
    """The reconciliation of ``organization`` for a month, judged on ``as_of``; only the
    payments of ``areas`` (area ids) when given."""
    index = year * 12 + month - 1
    start, end = first_day(index), last_day(index)
    out = Reconciliation(organization, f"{year:04d}-{month:02d}")
    in_month = and_(Payment.organization_id == organization.id, Payment.paid_on >= start,
                    Payment.paid_on <= end)
    if areas is not None:
        in_month = and_(in_month, Payment.area_id.in_(sorted(areas) or [-1]))
    totals = db.session.execute(
        select(func.count(Payment.id), func.sum(Payment.amount),
               func.sum(func.coalesce(_if(Payment.method == "cash", Payment.amount), 0)))
        .where(in_month)).one()
    out.receipts, out.collected, out.cash = totals[0], int(totals[1] or 0), int(totals[2] or 0)
    out.transfer = out.collected - out.cash
    for to_office, amount in db.session.execute(
            select(RemittedPayment.to_office, func.sum(Payment.amount))
            .join(Payment, Payment.id == RemittedPayment.payment_id)
            .where(in_month).group_by(RemittedPayment.to_office)):
        if to_office:
            out.to_office = int(amount or 0)
        else:
            out.to_organization = int(amount or 0)
    out.unaccounted = db.session.execute(
        select(Payment.receipt_no, Payment.paid_on, Payment.amount)
        .where(in_month, Payment.remitted_on.is_(None))
        .order_by(Payment.paid_on, Payment.receipt_no)).all()
    limit = organization.cash_limit_days or 1
    # Working days are counted in Python (no portable SQL for them), over one
    # organization's cash of one month only.
    for payment in db.session.execute(
            select(Payment.receipt_no, Payment.paid_on, Payment.amount, Payment.remitted_on)
            .where(in_month, Payment.method == "cash")
            .order_by(Payment.paid_on, Payment.receipt_no)):
        held = working_days_between(payment.paid_on, payment.remitted_on or as_of)
        if held > limit:
            out.held_too_long.append((payment, held))
    return out


def _if(condition, value):
    from sqlalchemy import case

    return case((condition, value), else_=None)
