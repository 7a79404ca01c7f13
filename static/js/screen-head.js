// The village head's app: two large buttons and nothing else on the first screen, and the
// list of people they referred with what became of each (status chips).

import { label } from './context.js';
import { formatDate, formatPhone, phoneDigits } from './format.js';
import { t } from './i18n.js';
import { getMeta } from './db.js';
import { entries } from './outbox.js';
import { allOf, statesOf } from './records.js';
import { empty, h, header, linkButton, stateChip } from './ui.js';

const STATUS_CLS = { new: '', assigned: 'info', visited: 'warn', enrolled: 'ok', closed: 'muted' };
const statusOf = (r) => (r.server && r.server.status) || 'new';

export function showHeadHome(view) {
  view.append(
    h('div', { class: 'head-home' },
      h('h1', { class: 'visually-hidden' }, t('Field app')),
      h('a', { class: 'big-button primary', href: '#/referral/new', id: 'head-refer' },
        h('span', { class: 'big-ico', 'aria-hidden': 'true' }, '+'), t('Refer a participant')),
      h('a', { class: 'big-button', href: '#/referrals', id: 'head-list' },
        h('span', { class: 'big-ico', 'aria-hidden': 'true' }, '☰'), t('People I referred'))),
    h('p', { class: 'foot-link' }, h('a', { href: '#/more' }, t('Settings and sign out'))));
}

/** The chip of a referral: the phone's own state while unsent, else the server's status. */
function referralChip(r, state) {
  if (state) return stateChip(state);
  const status = statusOf(r);
  return h('span', { class: `badge status ${STATUS_CLS[status] || ''}`, data: { status } },
    label('referral_status', status));
}

/** Each step the referral reached, with its date, newest first (server.dates). */
function stepsOf(r) {
  const dates = (r.server && r.server.dates) || {};
  const order = Object.keys(STATUS_CLS);
  // Steps of one instant (received and routed at once) read later step first.
  return order.filter((s) => dates[s])
    .map((s) => ({ status: s, at: dates[s] }))
    .sort((a, b) => (a.at === b.at ? order.indexOf(b.status) - order.indexOf(a.status)
      : (a.at < b.at ? 1 : -1)));
}

function stepChips(r) {
  const steps = stepsOf(r);
  if (steps.length < 2) return null;
  return h('span', { class: 'steps' }, steps.map((s) => h('span', {
    class: `badge status ${STATUS_CLS[s.status] || ''}`, data: { step: s.status },
  }, `${label('referral_status', s.status)} ${formatDate(s.at)}`)));
}

/** A referral's line: who, its state, when it was made, why and where; then each step's date. */
function referralRow(r, state, at) {
  const latest = stepsOf(r)[0];
  return h('li', {}, h('a', { class: 'row', href: `#/referral/${r.id}/edit` },
    h('strong', {}, r.data.contact_name, ' ', referralChip(r, state),
      latest && !state ? ` ${formatDate(latest.at)}` : ''),
    h('span', {}, [formatDate(at), label('reason', r.data.reason), r.data.address].filter(Boolean).join(' · ')),
    r.data.contact_phone ? h('small', {}, formatPhone(r.data.contact_phone)) : null,
    r.data.close_reason ? h('small', {}, label('close_reason', r.data.close_reason)) : null,
    stepChips(r)));
}

export async function showReferrals(view) {
  const all = await allOf('referral');
  const states = await statesOf(all.map((r) => r.id));
  // Newest first, with its date: the time this phone saved it (still waiting, or once it
  // reached the office: the phone's list of records synced); referrals this phone never made
  // (pulled after a reinstall) take the time the office received them.
  const when = new Map();
  for (const r of await getMeta('recent', [])) if (r.type === 'referral') when.set(r.id, r.at);
  for (const e of await entries()) if (!when.has(e.id)) when.set(e.id, e.saved_at);
  const made = (r) => when.get(r.id) || (r.server && r.server.dates && r.server.dates.new);
  const at = new Map(all.map((r) => [r.id, made(r) ? new Date(made(r)).getTime() : 0]));
  all.sort((a, b) => at.get(b.id) - at.get(a.id));
  view.append(header(t('People I referred'), '#/'),
    all.length
      ? h('ul', { class: 'list', id: 'referral-list' },
        all.map((r) => referralRow(r, states.get(r.id), at.get(r.id) || null)))
      : empty(t('You have not referred anyone yet.')),
    h('div', { class: 'actions sticky' },
      linkButton('#/referral/new', `+ ${t('Refer a participant')}`, 'primary wide')));
}

/** The new-household form filled from a referral whose person has no household yet. */
const newHouseholdHref = (id, d) => `#/household/new?referral=${id}`
  + `&name=${encodeURIComponent(d.contact_name)}&address=${encodeURIComponent(d.address || '')}`
  + `&phone=${encodeURIComponent(d.contact_phone || '')}`;

/** A referral assigned to the collector: who, why, and the way to visit them. */
export async function showReferral(view, id) {
  const [r] = (await allOf('referral')).filter((x) => x.id === id);
  if (!r) {
    view.append(header(t('Referral'), '#/today'), empty(t('This referral is not on the phone.')));
    return;
  }
  const d = r.data;
  const visitHref = d.household ? `#/visit/new?household=${d.household}&referral=${id}`
    : newHouseholdHref(id, d);
  view.append(header(d.contact_name, '#/today', label('referral_status', statusOf(r))),
    h('div', { class: 'card' },
      h('p', {}, label('reason', d.reason)),
      d.address ? h('p', {}, d.address) : null,
      d.contact_phone ? h('p', {}, h('a', { class: 'tel', href: `tel:${phoneDigits(d.contact_phone)}` },
        `✆ ${formatPhone(d.contact_phone)}`)) : null,
      d.note ? h('p', { class: 'note' }, d.note) : null,
      h('p', { class: 'sub' }, formatDate(r.server && r.server.dates && r.server.dates.new))),
    h('div', { class: 'actions sticky' },
      linkButton(`#/referral/${id}/edit`, t('Edit referral'), 'wide'),
      linkButton(visitHref,
        d.household ? t('Log a visit') : t('Add the household and log a visit'), 'primary wide')));
}

function groupRow(o, state) {
  const counts = t('%(attendees)s attendees, %(leads)s interested',
    { attendees: o.data.attendees, leads: o.data.leads ?? 0 });
  return h('li', {}, h('a', { class: 'row', href: `#/group/${o.id}/edit` },
    h('strong', {}, label('kind', o.data.kind), ' · ', formatDate(o.data.held_at), ' ', stateChip(state)),
    h('span', {}, counts)));
}

export async function showGroups(view) {
  const all = (await allOf('outreach')).sort((a, b) => (a.data.held_at < b.data.held_at ? 1 : -1));
  const states = await statesOf(all.map((r) => r.id));
  view.append(header(t('Group sessions'), '#/more'),
    all.length ? h('ul', { class: 'list' }, all.map((o) => groupRow(o, states.get(o.id))))
      : empty(t('No group session yet.')),
    h('div', { class: 'actions sticky' }, linkButton('#/group/new', `+ ${t('Log a group session')}`, 'primary wide')));
}
