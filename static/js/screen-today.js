// Today: the collector's first screen. Follow-ups due, referrals assigned to them, visits a
// supervisor sent back (with the note), payments falling due; counts of today's work.

import { formatDate, formatMoney, localDate } from './format.js';
import { label } from './context.js';
import { t, tn } from './i18n.js';
import { todayTasks } from './tasks.js';
import { empty, h, linkButton } from './ui.js';

function item(icon, href, title, detail, cls = '') {
  return h('li', {}, h('a', { class: `task ${cls}`.trim(), href },
    h('span', { class: 'task-ico', 'aria-hidden': 'true' }, icon),
    h('span', { class: 'task-body' }, h('strong', {}, title), detail ? h('small', {}, detail) : null)));
}

export async function showToday(view) {
  const tasks = await todayTasks();
  const today = localDate();
  const list = h('ul', { class: 'tasks' });
  for (const f of tasks.followUps) {
    const late = f.due < today;
    list.append(item('◷', `#/household/${f.household}`, `${t('Follow up')}: ${f.name}`,
      late ? t('Due since %(date)s', { date: formatDate(f.due) }) : t('Due today'), late ? 'late' : ''));
  }
  for (const r of tasks.referrals) {
    list.append(item('✉', `#/referral/${r.referral}`, `${t('Referral')}: ${r.name}`,
      [label('reason', r.reason), r.address].filter(Boolean).join(' · ')));
  }
  for (const s of tasks.sentBack) {
    const visit = t('visit of %(date)s', { date: formatDate(s.visited_at) });
    list.append(item('⚑', `#/visit/${s.visit}/edit`, `${t('Sent back')}: ${visit} · ${s.name}`,
      s.note ? `“${s.note}”` : '', 'flagged'));
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
