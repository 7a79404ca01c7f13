// Payments falling due on the phone's Today list (#15), deadline-aware like the server's
// payer states (docs/payers.md): a VSI period may be paid until its deadline (monthly within
// its month, 3-monthly within the 3, 6-monthly within the first 4, yearly within the first
// 7); HHI has no grace, so it is listed from 30 days before the next period starts. Unpaid
// sign-ups are listed; so are the server's open tasks (store payer_tasks).

import { req } from './db.js';
import { addMonths, localDate } from './format.js';

const WINDOW = { 1: 1, 3: 3, 6: 4, 12: 7 };

function lastDayOf(month) {
  const [y, m] = month.split('-').map(Number);
  return localDate(new Date(y, m, 0));
}

function plusDays(iso, days) {
  const d = new Date(`${iso}T00:00:00`);
  d.setDate(d.getDate() + days);
  return localDate(d);
}

/** The stores this reads (tasks.js opens its transaction over them). */
export const PAYER_STORES = ['payments', 'payer_tasks'];

/** [{name, amount, deadline, href, household, person, scheme, task?}] within `tx`. */
export async function duePayments(tx, today) {
  const paidIds = new Set((await req(tx.objectStore('payments').getAll())).map((p) => p.data.enrollment));
  const chains = new Map();
  for (const e of await req(tx.objectStore('enrollments').getAll())) {
    const key = `${e.data.person}|${e.data.scheme}`;
    if (!chains.has(key)) chains.set(key, []);
    chains.get(key).push(e);
  }
  const horizon = plusDays(today, 30).slice(0, 7);
  const persons = tx.objectStore('persons');
  const out = [];
  for (const list of chains.values()) {
    list.sort((a, b) => (a.data.start_month < b.data.start_month ? -1 : 1));
    const isPaid = (e) => e.data.paid || paidIds.has(e.id);
    const paid = list.filter(isPaid);
    const latest = list[list.length - 1];
    const { scheme } = latest.data;
    const period = Number(latest.data.period_months) || 1;
    const next = paid.length
      ? paid.map((e) => addMonths(e.data.start_month, Number(e.data.period_months) || 1)).sort().pop()
      : list[0].data.start_month;
    const unpaid = list.find((e) => !isPaid(e) && e.data.start_month >= next) || null;
    let deadline;
    if (scheme === 'vsi') {
      deadline = lastDayOf(addMonths(next, (WINDOW[period] || 7) - 1));
      if (today > deadline || next > horizon) continue;
    } else {
      deadline = lastDayOf(addMonths(next, -1));
      if (paid.length && (today > deadline || next > horizon)) continue;
    }
    const p = await req(persons.get(latest.data.person));
    if (!p || (p.server && p.server.ended && p.server.ended.on && p.server.ended.on <= today)) continue;
    const household = p.data.household;
    out.push({ name: p.data.full_name, amount: (unpaid || latest).data.amount_due, deadline, scheme,
      household, person: p.id, href: unpaid ? `#/pay/${unpaid.id}` : `#/signup/${household}` });
  }
  const listed = new Set(out.map((o) => o.person));
  const households = tx.objectStore('households');
  for (const task of await req(tx.objectStore('payer_tasks').getAll())) {
    if (task.data.done || (task.data.person && listed.has(task.data.person))) continue;
    const who = task.data.person ? await req(persons.get(task.data.person)) : null;
    const hh = await req(households.get(task.data.household));
    out.push({ name: who ? who.data.full_name : (hh ? hh.data.head_name : ''), amount: task.data.amount,
      deadline: task.data.due_on || today, household: task.data.household, person: task.data.person,
      task: task.id, href: `#/task/${task.id}` });
  }
  out.sort((a, b) => (a.deadline < b.deadline ? -1 : 1));
  return out;
}
