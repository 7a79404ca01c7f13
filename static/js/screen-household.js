// One household: its members, visit history and sign-ups, with the collector's next actions.

import { areaLong, label } from './context.js';
import { formatDate, formatMoney, formatMonth, formatPhone, phoneDigits } from './format.js';
import { t, tn } from './i18n.js';
import { householdDetail } from './records.js';
import { chip, empty, h, header, linkButton, section, stateChip } from './ui.js';

/** A phone number grouped as people read it, the same before and after sync; a 48 px call target. */
export function phoneLink(phone) {
  return phone ? h('a', { class: 'tel', href: `tel:${phoneDigits(phone)}` }, `✆ ${formatPhone(phone)}`) : null;
}

function memberRow(m, state, signedUp) {
  const head = m.data.relation === 'head' ? chip(label('relation', 'head')) : null;
  const relation = m.data.relation && m.data.relation !== 'head' ? label('relation', m.data.relation) : '';
  const facts = [m.data.birth_date ? formatDate(m.data.birth_date) : '', relation,
    m.data.personal_id ? `CCCD ${m.data.personal_id}` : ''].filter(Boolean).join(' · ');
  // A sign-up saved on the phone shows at once, before it is synced.
  const coverage = signedUp.length
    ? h('small', { class: 'member-status' },
      signedUp.map((s) => chip(`${t('Signed up')}: ${label('scheme', s)}`, 'ok')))
    : m.data.coverage
      ? h('small', {}, chip(label('coverage', m.data.coverage), m.data.coverage === 'none' ? 'warn' : 'ok')) : null;
  return h('li', {}, h('a', { class: 'row', href: `#/person/${m.id}/edit` },
    h('strong', {}, m.data.full_name, ' ', head, ' ', stateChip(state)),
    h('span', {}, facts),
    coverage));
}

function visitRow(v, state) {
  const review = v.server && v.server.review;
  const followUp = v.data.follow_up_on
    ? h('span', {}, t('follow up on %(date)s', { date: formatDate(v.data.follow_up_on) })) : null;
  const flagged = review && review.status === 'flagged'
    ? h('small', { class: 'flagged' }, `⚑ ${t('Sent back')}: ${review.note || ''}`) : null;
  return h('li', {}, h('a', { class: 'row', href: `#/visit/${v.id}/edit` },
    h('strong', {}, formatDate(v.data.visited_at), ' · ', label('outcome', v.data.outcome), ' ',
      stateChip(state)),
    followUp,
    v.data.note ? h('small', {}, v.data.note) : null,
    flagged));
}

function enrollRow(householdId, e, name, state) {
  const terms = `${t('from %(month)s', { month: formatMonth(e.data.start_month) })}`
    + ` · ${label('period_months', String(e.data.period_months))}`
    + (e.data.hhi_group ? ` · ${label('hhi_group', e.data.hhi_group)}` : '');
  return h('li', {}, h('a', { class: 'row', href: `#/signup/${householdId}?edit=${e.id}` },
    h('strong', {}, name || '', ' · ', label('scheme', e.data.scheme), ' ', stateChip(state)),
    h('span', {}, terms, ' · ', h('span', { class: 'money' }, formatMoney(e.data.amount_due))),
    e.data.paid ? h('small', {}, chip(t('Paid'), 'ok')) : null));
}

export async function showHousehold(view, id) {
  const d = await householdDetail(id);
  if (!d) {
    view.append(header(t('Household'), '#/households'), empty(t('This household is not on the phone.')));
    return;
  }
  const { household: hh, members, visits, enrollments, states } = d;
  const names = new Map(members.map((m) => [m.id, m.data.full_name]));

  const schemesOf = (m) => [...new Set(enrollments.filter((e) => e.data.person === m.id).map((e) => e.data.scheme))];
  const memberList = h('ul', { class: 'list' }, members.map((m) => memberRow(m, states.get(m.id), schemesOf(m))));
  const visitList = h('ul', { class: 'list' }, visits.map((v) => visitRow(v, states.get(v.id))));
  const enrollList = h('ul', { class: 'list' },
    enrollments.map((e) => enrollRow(id, e, names.get(e.data.person), states.get(e.id))));
  // A household without members: the first one is its head, prefilled (nothing saved yet).
  const addHref = members.length ? `#/person/new?household=${id}`
    : `#/person/new?household=${id}&name=${encodeURIComponent(hh.data.head_name || '')}`;

  view.append(
    header(hh.data.head_name, '#/households'),
    h('div', { class: 'card hh-card' },
      h('p', {}, hh.data.address, ' ', stateChip(states.get(id))),
      h('p', { class: 'sub' }, [areaLong(hh.data.area)].filter(Boolean).join(' · '),
        hh.data.phone ? ' · ' : '', phoneLink(hh.data.phone)),
      h('p', { class: 'sub' }, tn('%(num)s member', '%(num)s members', members.length)),
      hh.data.note ? h('p', { class: 'note' }, hh.data.note) : null,
      h('a', { href: `#/household/${id}/edit`, class: 'small-link' }, t('Edit household'))),
    section(t('Members'), members.length ? memberList : empty(t('No member yet.')),
      linkButton(addHref, `+ ${t('Add a member')}`, 'wide')),
    section(t('Visits'), visits.length ? visitList : empty(t('Not visited yet'))),
    section(t('Sign-ups'), enrollments.length ? enrollList : empty(t('No sign-up yet.'))),
    h('div', { class: 'actions sticky two' },
      linkButton(`#/visit/new?household=${id}`, t('Log visit'), 'primary'),
      linkButton(`#/signup/${id}`, t('Sign up'), members.length ? '' : 'disabled')));
}
