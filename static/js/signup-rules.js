// The sign-up rules that need other records, checked on the phone before Save against what the
// phone holds: the twin of fieldapp/syncserver/checks.py (rules 6-10 and the support cap), with
// the same msgids, so the phone refuses in the server's words. The server judges again on push
// (it sees every device's sign-ups); docs/premiums.md §9 states the rules.

import { SUPPORT_CAP_MONTHS, setFor } from './premium.js';

// checks.py MSG_*: tests/unit/test_signup_rules_js.py keeps them equal.
export const MSG = {
  tooYoung: 'Voluntary social insurance is for people aged 15 or older on the first day of '
    + 'the start month: this person turns 15 on %(birthday)s.',
  compulsory: 'This person is in compulsory social insurance and cannot join voluntary '
    + 'social insurance.',
  backPayment: 'A %(months)s-month period signed up in %(made)s may start no earlier than '
    + '%(earliest)s. Paying for earlier months (back payment, with a surcharge) is not handled yet.',
  tooFar: 'A period may start at most %(ahead)s months after the month it is signed up in: '
    + 'no later than %(latest)s.',
  hhiBefore: 'Household health insurance cannot start before the month it is signed up in (%(made)s).',
  overlap: 'This person already has voluntary social insurance from %(start)s to %(end)s: '
    + 'two periods cannot overlap.',
  place: "This member's place in the household for %(year)s is %(place)s.",
};

// rules/policy.py PAY_WITHIN and START_AHEAD_MONTHS: for sets stored without the keys.
const PAY_WITHIN = { 1: 1, 3: 3, 6: 4, 12: 7 };
const START_AHEAD_MONTHS = 12;
const MONTH_RE = /^[0-9]{4}-(0[1-9]|1[0-2])$/;

export const monthIndex = (m) => Number(m.slice(0, 4)) * 12 + Number(m.slice(5, 7)) - 1;
export const monthOf = (i) => `${String(Math.floor(i / 12)).padStart(4, '0')}-`
  + `${String((i % 12) + 1).padStart(2, '0')}`;
/** '2025-09' -> '09/2025', as checks.month_text. */
export const monthText = (m) => `${m.slice(5, 7)}/${m.slice(0, 4)}`;

/** 'YYYY-MM-DD' of the day someone born on `born` turns 15 (29 February: 1 March). */
export function fifteenthBirthday(born) {
  const year = String(Number(born.slice(0, 4)) + 15).padStart(4, '0');
  const day = `${year}-${born.slice(5)}`;
  const probe = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(probe.getTime()) || probe.toISOString().slice(0, 10) !== day ? `${year}-03-01` : day;
}

const say = (field, message, params = {}) => ({ [field]: { message, params } });

/** checks.vsi_old_enough */
export function vsiOldEnough(data, person) {
  const born = person && person.data.birth_date;
  if (data.scheme !== 'vsi' || !born || !MONTH_RE.test(data.start_month || '')) return null;
  const birthday = fifteenthBirthday(born);
  if (birthday <= `${data.start_month}-01`) return null;
  const [y, m, d] = birthday.split('-');
  return say('person', MSG.tooYoung, { birthday: `${d}/${m}/${y}` });
}

/** checks.vsi_not_compulsory */
export function vsiNotCompulsory(data, person) {
  return data.scheme === 'vsi' && person && person.data.coverage === 'compulsory_si'
    ? say('person', MSG.compulsory) : null;
}

/** checks.start_in_window: `made` is the month the sign-up was first made in. */
export function startInWindow(sets, data, made) {
  const start = data.start_month;
  if (!MONTH_RE.test(start || '') || !MONTH_RE.test(made || '')) return null;
  if (data.scheme === 'hhi') {
    return start < made ? say('start_month', MSG.hhiBefore, { made: monthText(made) }) : null;
  }
  const set = setFor(sets, start);
  const period = Number(data.period_months);
  if (!set || !period) return null;
  const within = (set.vsi_pay_within || PAY_WITHIN)[String(period)] || 1;
  const ahead = set.vsi_start_ahead_months ?? START_AHEAD_MONTHS;
  const earliest = monthOf(monthIndex(made) - (within - 1));
  const latest = monthOf(monthIndex(made) + ahead);
  if (start < earliest) {
    return say('start_month', MSG.backPayment,
      { months: period, made: monthText(made), earliest: monthText(earliest) });
  }
  if (start > latest) return say('start_month', MSG.tooFar, { ahead, latest: monthText(latest) });
  return null;
}

/** checks.vsi_no_overlap: `others` are the person's other enrollments (records). */
export function vsiNoOverlap(data, others) {
  if (data.scheme !== 'vsi' || !MONTH_RE.test(data.start_month || '') || !Number(data.period_months)) return null;
  const start = monthIndex(data.start_month);
  const end = start + Number(data.period_months);
  const sorted = [...others].sort((a, b) => (a.data.start_month < b.data.start_month ? -1 : 1));
  for (const o of sorted) {
    if (o.data.scheme !== 'vsi') continue;
    const oStart = monthIndex(o.data.start_month);
    const oEnd = oStart + Number(o.data.period_months);
    if (start < oEnd && oStart < end) {
      return say('start_month', MSG.overlap,
        { start: monthText(o.data.start_month), end: monthText(monthOf(oEnd - 1)) });
    }
  }
  return null;
}

/** The place after `before` other members of the year (the ladder's last step is 5). */
export const expectedPlace = (before) => Math.min(before + 1, 5);

/** checks.hhi_member_place, with the place the phone expects. */
export function hhiMemberPlace(data, expected) {
  if (data.scheme !== 'hhi' || Number(data.member_order) === expected) return null;
  return say('member_order', MSG.place, { year: (data.start_month || '').slice(0, 4), place: expected });
}

/** checks.supported_before: months of VSI support the person had before this period. */
export function supportedBefore(data, others) {
  if (data.scheme !== 'vsi') return 0;
  return others.filter((o) => o.data.scheme === 'vsi' && o.data.start_month < data.start_month)
    .reduce((sum, o) => sum + Number(o.data.period_months), 0);
}

/** The person's other enrollments on the phone (not `exceptId`). */
export const othersOf = (enrollments, personId, exceptId) => enrollments
  .filter((e) => e.data && e.data.person === personId && e.id !== exceptId);

/** The month the start window is judged from: the server's for a synced sign-up, else now's. */
export const madeMonth = (editing, now) => (editing && editing.server && editing.server.made_month) || now;

// checks.AMOUNT_INPUTS: an edit changing none of them keeps the stored amount.
const AMOUNT_INPUTS = ['scheme', 'start_month', 'period_months', 'monthly_income', 'support_group',
  'hhi_group', 'member_order'];
const same = (a, b) => (a ?? null) === (b ?? null) || (a != null && b != null && String(a) === String(b));

/** The stored amount when `data` changes none of the amount's inputs of `editing`, else null. */
export function keptAmount(editing, data) {
  if (!editing) return null;
  return AMOUNT_INPUTS.every((k) => same(data[k], editing.data[k])) ? editing.data.amount_due : null;
}

/**
 * Every rule in checks.py's order for one sign-up: {field: {message, params}} of the first that
 * fails, or null. `person`: the participant's record; `others`: their other enrollments;
 * `place`: the household place the phone expects (HHI).
 */
export function signupProblem(sets, data, { person, others, made, place }) {
  return vsiOldEnough(data, person) || vsiNotCompulsory(data, person)
    || startInWindow(sets, data, made) || vsiNoOverlap(data, others)
    || (place === undefined ? null : hhiMemberPlace(data, place));
}

export { SUPPORT_CAP_MONTHS };
