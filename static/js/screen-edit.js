// Adding or editing one record (household, member, visit, referral, group session). The id is
// made once when the form opens, so a double tap or a retry can only ever save that one
// record; saving writes to the outbox first and returns at once.

import { ctx, label } from './context.js';
import { formatDate, isoToLocalInput, isoWithOffset } from './format.js';
import { check, clearErrors, formFor, readValues, setValues, showErrors } from './forms.js';
import { newId } from './ids.js';
import { t } from './i18n.js';
import { enqueue, entry as outboxEntry, resend, takeServerCopy } from './outbox.js';
import { getRecord, membersOf, peopleWithPersonalId } from './records.js';
import { go } from './router.js';
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
      return { household: query.household, relation: first ? 'head' : undefined };
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

async function personalIdWarning(form, id, data) {
  const box = form.querySelector('[data-warning="personal_id"]');
  const pid = data.personal_id;
  const others = pid ? (await peopleWithPersonalId(pid)).filter((p) => p.id !== id) : [];
  if (!others.length) { box.hidden = true; return null; }
  const o = others[0];
  box.textContent = t('Personal ID %(pid)s is already on this phone: %(name)s, household of %(head)s. '
    + 'Check the number; tap Save again to keep it.', { pid, name: o.data.full_name, head: o.householdName });
  box.hidden = false;
  return pid;
}

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
  let acceptedPid = null;
  const pidInput = form.querySelector('[name="personal_id"]');
  if (pidInput) pidInput.addEventListener('change', () => personalIdWarning(form, recordId, readValues(form)));

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (saving) return;
    const errors = check(form);
    if (showErrors(form, errors)) return;
    const values = readValues(form);
    if (type === 'referral' && existing && !form.querySelector('[name="close_reason"]')
      && existing.data.close_reason) values.close_reason = existing.data.close_reason;
    if (type === 'person' && values.personal_id && acceptedPid !== values.personal_id) {
      const warned = await personalIdWarning(form, recordId, values);
      if (warned) {
        acceptedPid = warned;
        form.querySelector('[data-warning]').scrollIntoView({ block: 'center' });
        return;
      }
    }
    saving = true;
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
    go(next(type, recordId, values, query), { replace: !existing });
  });
}
