// Reading records on the phone: one household with everything about it, members, people by
// personal ID. Writes go through outbox.enqueue only.

import { STORES, req, withStore } from './db.js';

export function getRecord(type, id) {
  const name = STORES[type];
  return withStore(name, 'readonly', (tx) => req(tx.objectStore(name).get(id)));
}

const byTime = (key) => (a, b) => ((a.data[key] || '') < (b.data[key] || '') ? 1 : -1);

/** A household with its members, visits (newest first) and the members' sign-ups. */
export function householdDetail(id) {
  return withStore(['households', 'persons', 'visits', 'enrollments', 'outbox'], 'readonly', async (tx) => {
    const household = await req(tx.objectStore('households').get(id));
    if (!household) return null;
    const [members, visits] = await Promise.all([
      req(tx.objectStore('persons').index('household').getAll(id)),
      req(tx.objectStore('visits').index('household').getAll(id))]);
    const enrolls = tx.objectStore('enrollments').index('person');
    const enrollments = (await Promise.all(members.map((m) => req(enrolls.getAll(m.id))))).flat();
    const outbox = tx.objectStore('outbox');
    const ids = [id, ...members.map((m) => m.id), ...visits.map((v) => v.id), ...enrollments.map((e) => e.id)];
    const pending = await Promise.all(ids.map((k) => req(outbox.get(k))));
    const states = new Map(pending.filter(Boolean).map((e) => [e.id, e.state]));
    members.sort(householdOrder);
    visits.sort(byTime('visited_at'));
    enrollments.sort(byTime('start_month'));
    return { household, members, visits, enrollments, states };
  });
}

/** The household's order of its members: the head first, then oldest to youngest. */
export const householdOrder = (a, b) => (a.data.relation === 'head' ? -1 : b.data.relation === 'head' ? 1
  : (a.data.birth_date || '') < (b.data.birth_date || '') ? -1 : 1);

export function membersOf(householdId) {
  return withStore('persons', 'readonly',
    (tx) => req(tx.objectStore('persons').index('household').getAll(householdId)));
}

/** People on the phone holding `personalId`, with their household's head name. */
export function peopleWithPersonalId(personalId) {
  return withStore(['persons', 'households'], 'readonly', async (tx) => {
    const found = await req(tx.objectStore('persons').index('pid').getAll(personalId));
    return Promise.all(found.map(async (p) => {
      const h = await req(tx.objectStore('households').get(p.data.household));
      return { ...p, householdName: h ? h.data.head_name : '' };
    }));
  });
}

export function allOf(type) {
  const name = STORES[type];
  return withStore(name, 'readonly', (tx) => req(tx.objectStore(name).getAll()));
}

/** The outbox state of each id in `ids` (absent = synced). */
export function statesOf(ids) {
  return withStore('outbox', 'readonly', async (tx) => {
    const rows = await Promise.all(ids.map((id) => req(tx.objectStore('outbox').get(id))));
    return new Map(rows.filter(Boolean).map((e) => [e.id, e.state]));
  });
}
