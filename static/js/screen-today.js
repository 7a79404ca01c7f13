// Today: the collector's first screen. Follow-ups due, referrals assigned to them, visits a
// supervisor sent back (with the note), payments falling due; counts of today's work.

import { formatDate, formatDayMonth, formatMoney, localDate } from './format.js';
import { label } from './context.js';
import { t, tn } from './i18n.js';
import { todayTasks } from './tasks.js';
import { empty, h, linkButton } from './ui.js';

function item(icon, href, title, detail, cls = '') {
  return h('li', {}, h('a', { class: `task ${cls}`.trim(), href },
    h('span', { class: 'task-ico', 'aria-hidden': 'true' }, icon),
    h('span', { class: 'task-body' }, h('strong', {}, title), detail ? h('small', {}, detail) : null)));
}

// Follow-ups: who, where, and how overdue; those over a month old are one "overdue" group
// with their count (opened on tap) rather than a long list above today's work.
const DAY = 86400000;
const daysLate = (due, today) => Math.round((new Date(`${today}T00:00:00`) - new Date(`${due}T00:00:00`)) / DAY);

function followUpItem(f, today) {
  const late = daysLate(f.due, today);
  const when = late > 0 ? tn('%(num)s day overdue', '%(num)s days overdue', late) : t('Due today');
  const detail = [f.address ? `${f.address} · ` : '', h('span', { class: 'nowrap' }, when)];
  return item('◷', `#/household/${f.household}`, `${t('Follow up')}: ${f.name}`, detail, late > 0 ? 'late' : '');
}

function followUpItems(followUps, today) {
  const old = followUps.filter((f) => daysLate(f.due, today) > 30);
  const recent = followUps.filter((f) => daysLate(f.due, today) <= 30);
  const out = recent.map((f) => followUpItem(f, today));
  if (old.length) {
    const inner = h('ul', { class: 'tasks' }, old.map((f) => followUpItem(f, today)));
    out.push(h('li', { class: 'overdue-group' }, h('details', {},
      h('summary', { class: 'task late' }, h('span', { class: 'task-ico', 'aria-hidden': 'true' }, '⚠'),
        h('span', { class: 'task-body' }, h('strong', {}, `${t('Overdue')} (${old.length})`),
          h('small', {}, t('Follow-ups due more than a month ago')))), inner)));
  }
  return out;
}

export async function showToday(view) {
  const tasks = await todayTasks();
  const today = localDate();
  const list = h('ul', { class: 'tasks' });
  list.append(...followUpItems(tasks.followUps, today));
  for (const r of tasks.referrals) {
    list.append(item('✉', `#/referral/${r.referral}`, `${t('Referral')}: ${r.name}`,
      [label('reason', r.reason), r.phone, r.address].filter(Boolean).join(' · ')));
  }
  for (const s of tasks.sentBack) {
    const visit = t('visit of %(date)s', { date: formatDayMonth(s.visited_at) });
    list.append(item('⚑', `#/visit/${s.visit}/edit`, `${t('Sent back')}: ${visit}`,
      [s.name, s.note ? `“${s.note}”` : ''].filter(Boolean).join(' · '), 'flagged'));
  }
  for (const p of tasks.payments) {
    list.append(item('₫', p.href, `${t('Payment due')}: ${p.name} · ${formatMoney(p.amount)}`
      + ` · ${t('by %(date)s', { date: formatDate(p.deadline) })}`, label('scheme', p.scheme), 'payment'));
  }
  const d = new Date();
  const date = `${String(d.getDate()).padStart(2, '0')}/${String(d.getMonth() + 1).padStart(2, '0')}`;
  const counts = `${tn('%(num)s visit', '%(num)s visits', tasks.counts.visits)}`
    + ` · ${tn('%(num)s sign-up', '%(num)s sign-ups', tasks.counts.signups)}`;
  view.append(
    h('header', { class: 'screen-head' }, h('div', {},
      h('h1', {}, t('Today, %(date)s', { date })),
      h('p', { class: 'sub counts', id: 'today-counts' }, counts))),
    h('section', { class: 'block' }, h('h2', {}, t('To do')),
      list.children.length ? list : empty(t('Nothing due today. Search a household to log a visit.'))),
    h('div', { class: 'actions sticky' },
      linkButton('#/households?pick=visit', `+ ${t('Log a visit')}`, 'primary wide')));
}
