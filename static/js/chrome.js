// The parts around every screen: the sync strip at the top (always visible) and the bottom
// navigation with the count of records waiting.

import { on } from './bus.js';
import { ctx } from './context.js';
import { formatTime } from './format.js';
import { t, tn } from './i18n.js';
import { summary } from './outbox.js';
import { status } from './sync.js';
import { h } from './ui.js';

const NAV = [
  { href: '#/today', icon: '☀', msgid: 'Today', match: /^\/(today)?$/ },
  { href: '#/households', icon: '⌂', msgid: 'Households', match: /^\/(households?|visit|person|signup)/ },
  { href: '#/sync', icon: '⇅', msgid: 'Sync', match: /^\/sync/, badge: true },
  { href: '#/more', icon: '⋯', msgid: 'More', match: /^\/(more|group|referral)/ },
];

let counts = { waiting: 0, attention: 0, total: 0 };

export function renderNav() {
  const nav = document.getElementById('nav');
  const collector = ctx.user && ctx.user.role === 'collector';
  nav.hidden = !collector;
  document.body.classList.toggle('has-nav', collector);
  if (!collector) { nav.replaceChildren(); return; }
  nav.replaceChildren(...NAV.map((item) => h('a', { href: item.href, data: { nav: item.msgid } },
    h('span', { class: 'ico', 'aria-hidden': 'true' }, item.icon),
    h('span', { class: 'nav-label' }, t(item.msgid)),
    item.badge ? h('span', { class: 'nav-badge', hidden: true }) : null)));
  highlight(location.hash.slice(1).split('?')[0] || '/');
}

function highlight(path) {
  for (const a of document.querySelectorAll('#nav a')) {
    const item = NAV.find((n) => n.msgid === a.dataset.nav);
    if (item.match.test(path)) a.setAttribute('aria-current', 'page'); else a.removeAttribute('aria-current');
  }
}

// Needs attention first (it is what the collector must act on), then offline and waiting;
// each part whole: the strip wraps onto a second line rather than cut a word.
function stripText() {
  const parts = [];
  let cls = 'ok';
  if (counts.attention) {
    parts.push(`⚠ ${tn('%(num)s record needs attention', '%(num)s records need attention', counts.attention)}`);
  }
  if (!navigator.onLine) parts.push(`● ${t('Offline')}`);
  if (counts.waiting) {
    parts.push(tn('%(num)s record waiting to sync', '%(num)s records waiting to sync', counts.waiting));
  }
  if (counts.attention) cls = 'bad';
  else if (!navigator.onLine) cls = 'off';
  else if (counts.waiting) cls = 'wait';
  if (navigator.onLine && status.phase !== 'idle') {
    parts.push(`↻ ${t('Syncing…')}`);
  } else if (!parts.length) {
    parts.push(status.lastSync
      ? `✓ ${t('Synced at %(time)s', { time: formatTime(status.lastSync) })}` : t('Not synced yet'));
  } else if (navigator.onLine && status.error && status.nextTry) {
    parts.push(t('no connection to the server, trying again at %(time)s', { time: formatTime(status.nextTry) }));
  }
  return { parts, text: parts.join(' · '), cls };
}

export function updateStrip() {
  const strip = document.getElementById('strip');
  if (!ctx.user) { strip.hidden = true; return; }
  const { parts, cls } = stripText();
  strip.hidden = false;
  strip.className = `strip strip-${cls}`;
  strip.replaceChildren(h('a', { href: '#/sync', id: 'strip-link' }, parts.flatMap((p, i) => [
    i ? h('span', { 'aria-hidden': 'true' }, '·') : null,
    h('span', { class: p.length > 28 ? 'part long' : 'part' }, p)])));
  const badge = document.querySelector('#nav .nav-badge');
  if (badge) {
    badge.textContent = String(counts.total);
    badge.hidden = counts.total === 0;
    badge.classList.toggle('bad', counts.attention > 0);
  }
}

async function refreshCounts() {
  counts = await summary();
  updateStrip();
}

export function startChrome() {
  on('sync', updateStrip);
  on('outbox', refreshCounts);
  window.addEventListener('online', updateStrip);
  window.addEventListener('offline', updateStrip);
  document.addEventListener('screen', (e) => highlight(e.detail));
  setInterval(updateStrip, 60000);
  return refreshCounts();
}
