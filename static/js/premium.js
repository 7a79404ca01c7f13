// Premium calculator on the device: the rules of fieldapp/rules/policy.py (read its docstring for
// the parameter keys), on the parameter sets from /api/v1/bootstrap. BigInt keeps every step
// exact, so the amount shown while typing is the amount the server will accept.
// tests/fixtures/premiums.json is checked against both implementations.

const BP = 10000n;
const DEN = BP * BP * BP;
const MONTH_RE = /^([0-9]{4})-(0[1-9]|1[0-2])$/; // sync/protocol.py MONTH_RE
const DIGITS_RE = /^\d{1,15}$/;

// The msgids of policy.py: the caller translates them with the catalog from bootstrap.
const MSG = {
  scheme: 'Choose the scheme: voluntary social insurance or household health insurance.',
  month: 'Enter the start month as YYYY-MM.',
  noSet: 'No premium parameters are in force for %(month)s.',
  period: 'Choose a payment period allowed for this scheme: %(periods)s months.',
  group: 'Choose the support group.',
  income: 'Enter the chosen monthly income in whole đồng.',
  floor: 'The chosen monthly income must be at least %(floor)s (the rural poverty line).',
  ceiling: 'The chosen monthly income must be at most %(ceiling)s (%(multiple)s × the reference level).',
  member: "Enter the member's order in the household: 1 for the first, 5 for the fifth or later.",
  hhiGroup: 'Choose a health insurance support group, or none.',
};
// rules/policy.py HHI_GROUPS and the defaults of the optional keys.
const HHI_GROUPS = ['near_poor', 'farming', 'student', 'elderly_no_pension'];
export const SUPPORT_CAP_MONTHS = 120;

// Own keys only: a group named 'constructor' must not find Object.prototype.constructor.
const own = (obj, key) => obj != null && typeof key === 'string'
  && Object.prototype.hasOwnProperty.call(obj, key);

/** 1500000 -> '1.500.000 ₫' (the server's |money). */
export function formatMoney(value) {
  return `${String(value).replace(/\B(?=(\d{3})+(?!\d))/g, '.')} ₫`;
}

function fail(field, message, params = {}) {
  return { error: field, message, params };
}

// An integer from a whole number or a string of digits; null otherwise.
function asInt(value) {
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value);
  if (typeof value === 'string' && DIGITS_RE.test(value.trim())) return BigInt(value.trim());
  return null;
}

const roundHalfUp = (num, den) => (2n * num + den) / (2n * den);

/** The set in force on the 1st of startMonth ('YYYY-MM'), or null. */
export function setFor(sets, startMonth) {
  const m = typeof startMonth === 'string' ? MONTH_RE.exec(startMonth) : null;
  if (!m || m[1] === '0000') return null;
  const first = `${startMonth}-01`;
  let found = null;
  for (const s of sets) {
    if (s.effective_from <= first && (!found || s.effective_from > found.effective_from)) found = s;
  }
  return found;
}

function vsi(p, input, extra) {
  const group = input.support_group;
  if (!own(p.vsi_support_bp, group)) return fail('support_group', MSG.group);
  const income = asInt(input.monthly_income);
  if (income === null) return fail('monthly_income', MSG.income);
  const floor = BigInt(p.poverty_line);
  const ceiling = BigInt(p.vsi_ceiling_multiple) * BigInt(p.base_salary);
  if (income < floor) return fail('monthly_income', MSG.floor, { floor: formatMoney(floor) });
  if (income > ceiling) {
    return fail('monthly_income', MSG.ceiling,
      { ceiling: formatMoney(ceiling), multiple: String(p.vsi_ceiling_multiple) });
  }
  const rate = BigInt(p.vsi_rate_bp);
  const extraBp = own(extra.vsi_bp, group) ? extra.vsi_bp[group] : 0;
  const share = BigInt(p.vsi_support_bp[group] + extraBp);
  return { gross: income * rate * BP * BP, support: share * rate * floor * BP };
}

function hhi(p, input, extra) {
  const order = asInt(input.member_order);
  if (order === null || order < 1n) return fail('member_order', MSG.member);
  const group = input.hhi_group;
  if (group !== undefined && group !== null && !HHI_GROUPS.includes(group)) return fail('hhi_group', MSG.hhiGroup);
  const ladder = p.hhi_ladder_bp;
  const step = order > BigInt(ladder.length) ? ladder.length : Number(order);
  const gross = BigInt(p.base_salary) * BigInt(p.hhi_rate_bp) * BigInt(ladder[step - 1]);
  let share = 0;
  if (group) {
    share = (own(p.hhi_support_bp, group) ? p.hhi_support_bp[group] : 0)
      + (own(extra.hhi_bp, group) ? extra.hhi_bp[group] : 0);
  }
  return { gross: gross * BP, support: gross * BigInt(share) };
}

/**
 * The premium of one enrollment: {monthly_gross, monthly_support, monthly_amount, amount_due,
 * effective_from, supported_months, cap_months} (numbers), or {error: field, message: msgid,
 * params} naming the field to fix. `province` (optional) applies that province's extra support;
 * `supported_before` (VSI) the months of State support the person already had (the cap).
 */
export function computePremium(sets, input) {
  const { scheme, start_month: startMonth, province } = input;
  if (scheme !== 'vsi' && scheme !== 'hhi') return fail('scheme', MSG.scheme);
  if (typeof startMonth !== 'string' || !MONTH_RE.test(startMonth) || startMonth.startsWith('0000')) {
    return fail('start_month', MSG.month);
  }
  const set = setFor(sets, startMonth);
  if (!set) return fail('start_month', MSG.noSet, { month: startMonth });
  const periods = scheme === 'vsi' ? set.vsi_periods : set.hhi_periods;
  const period = asInt(input.period_months);
  if (period === null || !periods.some((p) => BigInt(p) === period)) {
    return fail('period_months', MSG.period, { periods: periods.join(', ') });
  }
  const extra = own(set.province_support, province) ? set.province_support[province] : {};
  const parts = scheme === 'vsi' ? vsi(set, input, extra) : hhi(set, input, extra);
  if (parts.error) return parts;
  const support = parts.support < parts.gross ? parts.support : parts.gross;
  const monthly = roundHalfUp(parts.gross - support, DEN);
  const monthlySupport = roundHalfUp(support, DEN);
  let supported = period;
  let cap = null;
  if (scheme === 'vsi') {
    cap = BigInt(set.vsi_support_cap_months ?? SUPPORT_CAP_MONTHS);
    const had = asInt(input.supported_before ?? 0);
    const left = cap - (had === null || had < 0n ? 0n : had);
    supported = left < 0n ? 0n : left < period ? left : period;
  }
  const gross = monthly + monthlySupport;
  return {
    monthly_gross: Number(gross),
    monthly_support: Number(monthlySupport),
    monthly_amount: Number(monthly),
    amount_due: Number(monthly * supported + gross * (period - supported)),
    effective_from: set.effective_from,
    supported_months: Number(supported),
    cap_months: cap === null ? null : Number(cap),
  };
}
