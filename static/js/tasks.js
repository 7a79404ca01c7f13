// The Today list, derived from what is on the phone and kept in the `tasks` store so the
// first screen opens at once; rebuilt after each pull and save.

import { getMeta, req, withStore } from './db.js';
import { addMonths, localDate, localMonth } from './format.js';
import { ctx } from './context.js';

const ACTIVE_REFERRAL = new Set(['new', 'assigned']);

function addDays(iso, days) {
  const d = new Date(`${iso}T00:00:00`);
  d.setDate(d.getDate() + days);
  return localDate(d);
}

const dayOf = (iso) => (iso ? localDate(new Date(iso)) : '');

/** Compute today's work and store it under tasks/'today'. */
export async function rebuildTasks() {
  const today = localDate();
  const me = ctx.user ? ctx.user.username : null;
  const [recent] = await Promise.all([getMeta('recent', [])]);
  const view = await withStore(['visits', 'households', 'referrals', 'enrollments', 'persons', 'outbox', 'tasks'],
    'readwrite', async (tx) => {
      const households = tx.objectStore('households');
      const visits = tx.objectStore('visits');
      const allVisits = await req(visits.getAll());
      const name = async (id) => {
        const h = id ? await req(households.get(id)) : null;
        return h ? h.data.head_name : '';
      };
      const latestByHousehold = new Map();
      for (const v of allVisits) {
        const at = v.data.visited_at || '';
        const hh = v.data.household;
        if (!latestByHousehold.has(hh) || latestByHousehold.get(hh) < at) latestByHousehold.set(hh, at);
      }
      const followUps = [];
      for (const v of allVisits) {
        const due = v.data.follow_up_on;
        if (!due || due > today) continue;
        if (latestByHousehold.get(v.data.household) > v.data.visited_at) continue; // visited again since
        const hh = await req(households.get(v.data.household));
        followUps.push({ household: v.data.household, name: await name(v.data.household), due, visit: v.id,
          address: hh ? hh.data.address : '' }); // #10: where to go, beside who
      }
      followUps.sort((a, b) => (a.due < b.due ? -1 : 1));

      // Visits a supervisor sent back; one corrected on the phone (its edit waits in the
      // outbox) is done for the collector, and the pull after the sync says it is pending.
      const sentBack = [];
      const waiting = await req(tx.objectStore('outbox').getAll());
      const corrected = new Set(waiting.filter((o) => o.type === 'visit').map((o) => o.id));
      for (const v of allVisits) {
        const review = v.server && v.server.review;
        if (review && review.status === 'flagged' && !corrected.has(v.id)) {
          sentBack.push({ visit: v.id, household: v.data.household, name: await name(v.data.household),
            visited_at: v.data.visited_at, note: review.note || '' });
        }
      }

      // Assigned to me and not yet answered, also by work still on the phone (a visit naming
      // it, a close with its reason): the task leaves the list at once, not after the sync.
      const answered = new Set(allVisits.map((v) => v.data.referral).filter(Boolean));
      const referrals = (await req(tx.objectStore('referrals').getAll())).filter((r) => r.server
        && r.server.assigned_to === me && ACTIVE_REFERRAL.has(r.server.status)
        && !answered.has(r.id) && !r.data.close_reason)
        .map((r) => ({ referral: r.id, name: r.data.contact_name, reason: r.data.reason,
          phone: r.data.contact_phone || '', address: r.data.address || '' }));

      // Payments: the latest sign-up per person and scheme; due when its period runs out.
      const latest = new Map();
      for (const e of await req(tx.objectStore('enrollments').getAll())) {
        const key = `${e.data.person}|${e.data.scheme}`;
        const prev = latest.get(key);
        if (!prev || prev.data.start_month < e.data.start_month) latest.set(key, e);
      }
      const horizon = localMonth(new Date(`${addDays(today, 30)}T00:00:00`));
      const thisMonth = localMonth();
      const persons = tx.objectStore('persons');
      const payments = [];
      for (const e of latest.values()) {
        const dueMonth = addMonths(e.data.start_month, Number(e.data.period_months) || 1);
        if (dueMonth > horizon || dueMonth < addMonths(thisMonth, -1)) continue;
        const p = await req(persons.get(e.data.person));
        payments.push({ person: e.data.person, name: p ? p.data.full_name : '', household: p ? p.data.household : null,
          scheme: e.data.scheme, due_month: dueMonth, amount: e.data.amount_due });
      }
      payments.sort((a, b) => (a.due_month < b.due_month ? -1 : 1));

      const visitsToday = allVisits.filter((v) => dayOf(v.data.visited_at) === today).length;
      const signedUpToday = (type, at) => type === 'enrollment' && localDate(new Date(at)) === today;
      const signups = new Set([
        ...waiting.filter((o) => signedUpToday(o.type, o.saved_at)).map((o) => o.id),
        ...recent.filter((r) => signedUpToday(r.type, r.at)).map((r) => r.id)]);
      const row = { key: 'today', date: today, followUps, referrals, sentBack, payments,
        counts: { visits: visitsToday, signups: signups.size } };
      tx.objectStore('tasks').put(row);
      return row;
    });
  return view;
}

/** Today's work: the stored list when it is from today, else a fresh one. */
export async function todayTasks() {
  const row = await withStore('tasks', 'readonly', (tx) => req(tx.objectStore('tasks').get('today')));
  if (row && row.date === localDate()) return row;
  return rebuildTasks();
}
