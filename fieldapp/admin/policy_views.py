"""Admin views: the premium parameter sets, and adding a new one.

There is no edit: a payment keeps the parameters in force when it was made, so a change of
numbers is always a new set from a new date. A new set may also not take over months that
sign-ups already used under the set before it.

Who may add one: an admin whose areas include every province, any set; an admin of some
provinces, only a set that differs from the one before it in those provinces' own support
(``province_support``) and in nothing else; other admins, none (403).
"""
from datetime import datetime

from flask import abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from ..db.tx import begin_write
from ..extensions import db
from ..forms.policy import PolicySetForm, bp_text
from ..i18n import local_zone
from ..models import Enrollment, PolicyParameterSet
from ..rules import audit
from ..rules.access import roles_required, scope_of
from ..rules.areatree import area_tree
from ..rules.policy import SUPPORT_GROUPS, PolicyBook, PremiumError, national_part, provinces_changed
from . import bp


def _row(pset, used):
    """Display strings of one set (the template only prints them)."""
    p = pset.params
    extras = []
    for code, tables in sorted((p.get("province_support") or {}).items()):
        for key in ("vsi_bp", "hhi_bp"):
            for group, share in sorted(tables.get(key, {}).items()):
                extras.append(f"{code} {key[:3].upper()} {group} {bp_text(share)}%")
    return {
        "effective_from": pset.effective_from,
        "base_salary": p["base_salary"],
        "poverty_line": p["poverty_line"],
        "ceiling": p["vsi_ceiling_multiple"] * p["base_salary"],
        "vsi_rate": bp_text(p["vsi_rate_bp"]) + "%",
        "support": " / ".join(bp_text(p["vsi_support_bp"][g]) for g in SUPPORT_GROUPS) + "%",
        "vsi_periods": ", ".join(map(str, p["vsi_periods"])),
        "hhi_rate": bp_text(p["hhi_rate_bp"]) + "%",
        "hhi_ladder": " / ".join(bp_text(b) for b in p["hhi_ladder_bp"]) + "%",
        "hhi_periods": ", ".join(map(str, p["hhi_periods"])),
        "extras": extras,
        "note": pset.note,
        "used": used.get(pset.id, 0),
    }


@bp.route("/policy")
@roles_required("admin")
def policy():
    """Every parameter set, newest first, with the one in force this month marked."""
    sets = db.session.scalars(
        select(PolicyParameterSet).order_by(PolicyParameterSet.effective_from.desc())).all()
    used = dict(db.session.execute(
        select(Enrollment.policy_set_id, func.count()).group_by(Enrollment.policy_set_id)).all())
    first_of_month = datetime.now(local_zone()).date().replace(day=1)
    in_force = next((s.id for s in sets if s.effective_from <= first_of_month), None)
    rows = [{**_row(s, used), "in_force": s.id == in_force} for s in sets]
    return render_template("admin/policy.html", rows=rows)


def _taken_months(effective_from, book):
    """Start months of existing sign-ups that a new set from ``effective_from`` would re-price."""
    if not book.sets or effective_from <= book.sets[0].effective_from:
        return []
    before = book.set_for(effective_from.strftime("%Y-%m"))
    months = db.session.scalars(
        select(Enrollment.start_month).distinct()
        .where(Enrollment.start_month >= effective_from.strftime("%Y-%m"))).all()
    return sorted(m for m in months if _set_id(book, m) == before.id)


def _changed_provinces(scope, params, when, book):
    """The provinces whose own support the new set changes; 403 unless this admin may add it."""
    try:
        before = book.set_for(when.strftime("%Y-%m"))
    except PremiumError:  # no set before this date
        before = None
    changed = provinces_changed(before.params if before else {}, params)
    if scope.national:
        return changed
    if (before is None or national_part(before.params) != national_part(params)
            or not changed or not changed <= scope.province_codes):
        abort(403)
    return changed


def _set_id(book, month):
    try:
        return book.set_for(month).id
    except ValueError:  # a malformed stored month belongs to no set
        return None


@bp.route("/policy/new", methods=["GET", "POST"])
@roles_required("admin")
def policy_new():
    """Add a set from a new date, prefilled with the numbers of the latest set."""
    scope = scope_of(current_user)
    if not scope.national and not scope.province_codes:
        abort(403)
    latest = db.session.scalar(
        select(PolicyParameterSet).order_by(PolicyParameterSet.effective_from.desc()).limit(1))
    form = PolicySetForm(data=PolicySetForm.initial(latest.params) if latest else None)
    form.kept = {k: latest.params[k] for k in ("vsi_pay_within", "vsi_start_ahead_months")
                 if latest and k in latest.params}
    if form.validate_on_submit():
        begin_write()  # the checks below and the insert see one state of the table
        when = form.effective_from.data
        book = PolicyBook.load()
        params = form.params()
        changed = _changed_provinces(scope, params, when, book)
        taken = _taken_months(when, book)
        if any(s.effective_from == when for s in book.sets):
            form.effective_from.errors.append(
                _("A parameter set already starts on this date. Sets are never changed: "
                  "choose another date."))
        elif taken:
            form.effective_from.errors.append(
                _("Sign-ups starting in %(month)s already used the set in force before this "
                  "date. Choose a date after %(month)s.", month=taken[-1]))
        else:
            row = PolicyParameterSet(effective_from=when, params=params,
                                     note=(form.note.data or "").strip() or None,
                                     created_by_id=current_user.id)
            db.session.add(row)
            try:
                db.session.flush()
            except IntegrityError:  # another admin saved the same date a moment ago
                db.session.rollback()
                form.effective_from.errors.append(
                    _("A parameter set already starts on this date. Sets are never changed: "
                      "choose another date."))
            else:
                # A set that changes one province's own support is that province's entry.
                province = area_tree().by_code.get(next(iter(changed))) if len(changed) == 1 else None
                audit.record("create", "policy_parameter_set", row.id,
                             after=audit.values_of(row), user_id=current_user.id,
                             area_id=province.id if province else None)
                db.session.commit()
                g.pop("_policy_book", None)  # this request's book predates the new set
                flash(_("The new parameter set takes effect on %(date)s.",
                        date=when.strftime("%d/%m/%Y")), "success")
                return redirect(url_for("admin.policy"))
        db.session.rollback()
    status = 400 if request.method == "POST" else 200
    provinces = None if scope.national else ", ".join(sorted(scope.province_codes))
    return render_template("admin/policy_new.html", form=form, latest=latest,
                           provinces=provinces), status
