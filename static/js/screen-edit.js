// Adding or editing one record (household, member, visit, referral, group session). The id is
// made once when the form opens, so a double tap or a retry can only ever save that one
// record; saving writes to the outbox first and returns at once.

import { ctx, label } from './context.js';
import { formatDate, isoToLocalInput, isoWithOffset } from './format.js';
import { clearErrors, formFor, readValues, setValues, showErrors } from './forms.js';
import { newId } from './ids.js';
import { t } from './i18n.js';
import { enqueue, entry as outboxEntry, resend, takeServerCopy } from './outbox.js';
import { getRecord, membersOf, peopleWithPersonalId } from './records.js';
import { go, leave } from './router.js';
import { addCheck, judge, runChecks } from './rules.js';
import { saveFailed } from './savefail.js';
import { rebuildTasks } from './tasks.js';
import { h, header, toast } from './ui.js';

const TITLES = {
  household: ['Add a household', 'Edit household'],
  person: ['Add a member', 'Edit member'],
  visit: ['Log a visit', 'Edit visit'],
  referral: ['Refer a participant', 'Edit referral'],
  outreach: ['Group session', 'Edit group session'],
};

/** A short description of a record for the sync screen. */
export async function describe(type, data) {
  const hhName = async (hid) => {
    const hh = hid ? await getRecord('household', hid) : null;
    return hh ? hh.data.head_name : '';
  };
  switch (type) {
    case 'household': return data.head_name;
    case 'person': return data.full_name;
    case 'visit': return `${await hhName(data.household)} · ${label('outcome', data.outcome)}`;
    case 'referral': return data.contact_name;
    case 'outreach': return `${label('kind', data.kind)} · ${formatDate(data.held_at)}`;
    default: return type;
  }
}

async function defaults(type, query) {
  const now = isoWithOffset();
  switch (type) {
    case 'household': return { head_name: query.name, address: query.address, phone: query.phone };
    case 'person': {
      const first = !(await membersOf(query.household)).length;
      return { household: query.household, relation: first ? 'head' : undefined,
        full_name: first ? query.name : undefined };
    }
    case 'visit': return { household: query.household, referral: query.referral, visited_at: now };
    case 'referral': return {};
    case 'outreach': return { held_at: now };
    default: return {};
  }
}

function backFor(type, data, query) {
  if (query.back) return query.back;
  if (type === 'household' && data.id) return `#/household/${data.id}`;
  if (type === 'person' || type === 'visit') return data.household ? `#/household/${data.household}` : '#/households';
  if (type === 'referral') return ctx.user && ctx.user.role === 'village_head' ? '#/' : '#/today';
  if (type === 'outreach') return '#/groups';
  return '#/';
}

function next(type, id, data, query) {
  if (type === 'household') {
    return query.referral ? `/visit/new?household=${id}&referral=${query.referral}` : `/household/${id}`;
  }
  if (type === 'person') return `/household/${data.household}`;
  if (type === 'visit') {
    return data.outcome === 'enrolled' ? `/signup/${data.household}?visit=${id}` : `/household/${data.household}`;
  }
  if (type === 'referral') return ctx.user.role === 'village_head' ? '/referrals' : '/today';
  return '/groups';
}

function attentionBanner(type, id, pending, form) {
  if (!pending || (pending.state !== 'rejected' && pending.state !== 'conflict')) return null;
  if (pending.state === 'rejected') {
    return h('div', { class: 'banner bad', role: 'alert' },
      h('strong', {}, t('Needs attention')), ' ',
      t('The server did not accept this record. Fix what is marked and save to send it again.'));
  }
  const serverCopy = pending.current && pending.current.data;
  const keepMine = async () => {
    await resend(id);
    toast(t('Your version will be sent.'));
    go(backFor(type, pending.data, {}).slice(1));
  };
  const takeTheirs = async () => {
    await takeServerCopy(id);
    setValues(form, serverCopy);
    clearErrors(form);
    toast(t('The server’s version is on the phone.'));
  };
  return h('div', { class: 'banner bad', role: 'alert' },
    h('strong', {}, t('Needs attention')), ' ',
    t('Someone changed this record on the server after you. Keep your version or take the server’s.'),
    h('div', { class: 'actions two' },
      h('button', { type: 'button', on: { click: keepMine } }, t('Keep mine')),
      serverCopy
        ? h('button', { type: 'button', on: { click: takeTheirs } }, t('Take the server’s')) : null));
}

function wireVisit(form) {
  const loc = form.querySelector('.location');
  const button = loc.querySelector('.locate');
  const state = loc.querySelector('.location-state');
  const inputs = ['lat', 'lon', 'accuracy_m'].map((k) => loc.querySelector(`[name="location-${k}"]`));
  const show = () => {
    const has = inputs[0].value !== '';
    button.textContent = has ? t('Remove location') : t('Add my location');
    if (has) state.textContent = t('Location added (± %(m)s m)', { m: Math.round(Number(inputs[2].value) || 0) });
  };
  button.addEventListener('click', () => {
    if (inputs[0].value !== '') {
      inputs.forEach((i) => { i.value = ''; });
      state.textContent = t('No location.');
      show();
      return;
    }
    if (!navigator.geolocation) { state.textContent = t('This phone cannot give a location.'); return; }
    state.textContent = t('Finding the location…');
    navigator.geolocation.getCurrentPosition((pos) => {
      inputs[0].value = pos.coords.latitude.toFixed(6);
      inputs[1].value = pos.coords.longitude.toFixed(6);
      inputs[2].value = String(Math.round(pos.coords.accuracy));
      show();
    }, () => { state.textContent = t('No location: allow it in the phone settings, or save without it.'); },
    { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 });
  });
  show();
}

// A personal ID belongs to one person (the server refuses a second holder): checked against the
// people on the phone before Save, and said with who holds it.
addCheck('person', async (data, { id }) => {
  const pid = data.personal_id;
  const others = pid ? (await peopleWithPersonalId(pid)).filter((p) => p.id !== id) : [];
  if (!others.length) return null;
  return { personal_id: t('Personal ID %(pid)s already belongs to %(name)s (household of %(head)s) on this '
    + 'phone. Check the number.', { pid, name: others[0].data.full_name, head: others[0].householdName }) };
});

/** Draw the form of `type` for record `id` (null: a new record). */
export async function showEdit(view, type, id, query) {
  const existing = id ? await getRecord(type, id) : null;
  const recordId = id || newId();
  const pending = id ? await outboxEntry(id) : null;
  const form = await formFor(type);
  form.id = `form-${type}-live`;
  const data = existing ? existing.data : await defaults(type, query);
  setValues(form, Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)));
  if (type === 'visit' && existing) form.querySelector('[name="visited_at"]').value = isoToLocalInput(data.visited_at);
  form.prepend(h('p', { class: 'form-errors', role: 'alert', hidden: true }));
  if (type === 'visit') wireVisit(form);
  // Only a collector closes a referral, once it exists; others keep the reason it has.
  const closeBox = type === 'referral' ? form.querySelector('[data-field="close_reason"]') : null;
  if (closeBox && !(existing && ctx.user && ctx.user.role === 'collector')) closeBox.remove();

  const review = existing && existing.server && existing.server.review;
  const flagged = type === 'visit' && review && review.status === 'flagged'
    ? h('div', { class: 'banner warn' }, h('strong', {}, `⚑ ${t('Sent back')}: `), review.note || '') : null;
  const title = t(TITLES[type][existing ? 1 : 0]);
  let sub = null;
  if (data.household && type !== 'household') {
    const hh = await getRecord('household', data.household);
    sub = hh ? `${hh.data.head_name} · ${hh.data.address}` : null;
  }
  view.append(header(title, backFor(type, { ...data, id }, query), sub), flagged,
    attentionBanner(type, recordId, pending, form), form);
  if (pending && pending.state === 'rejected') showErrors(form, pending.errors || {});

  let saving = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (saving) return;
    saving = true; // also while the checks that read the phone's records run
    const values = readValues(form);
    if (type === 'referral' && existing && !form.querySelector('[name="close_reason"]')
      && existing.data.close_reason) values.close_reason = existing.data.close_reason;
    const errors = judge(form, values);
    if (!Object.keys(errors).length) Object.assign(errors, await runChecks(type, values, { id: recordId, form }));
    if (showErrors(form, errors)) { saving = false; return; }
    form.querySelector('button.save').disabled = true;
    try {
      await enqueue(type, recordId, values, await describe(type, values));
    } catch (err) {
      saving = false;
      saveFailed(form, err);
      return;
    }
    rebuildTasks().catch(() => {});
    toast(t('Saved on the phone. It will be sent when there is a network.'));
    leave(next(type, recordId, values, query));
  });
}
