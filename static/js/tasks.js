// The Today list, derived from what is on the phone and kept in the `tasks` store so the
// first screen opens at once; rebuilt after each pull and save.

import { getMeta, req, withStore } from './db.js';
import { localDate } from './format.js';
import { duePayments, PAYER_STORES } from './payerdue.js';
import { ctx } from './context.js';

const ACTIVE_REFERRAL = new Set(['new', 'assigned']);

const dayOf = (iso) => (iso ? localDate(new Date(iso)) : '');

/** Compute today's work and store it under tasks/'today'. */
export async function rebuildTasks() {
  const today = localDate();
  const me = ctx.user ? ctx.user.username : null;
  const [recent] = await Promise.all([getMeta('recent', [])]);
  const view = await withStore(['visits', 'households', 'referrals', 'enrollments', 'persons', 'outbox', 'tasks',
    ...PAYER_STORES],
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

      const payments = await duePayments(tx, today); // #15: deadline-aware, with server tasks

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
