// Sync: the outbox with each record's state (waiting, needs attention with the server's
// reason and a way to fix and resend), the last successful sync, "Sync now", pull progress.

import { on } from './bus.js';
import { getMeta } from './db.js';
import { formatDateTime, formatNumber, formatTime } from './format.js';
import { fieldLabel, loadForms } from './forms.js';
import { t, tn } from './i18n.js';
import { ctx } from './context.js';
import { ATTENTION, discard, entries, resend, serverCopy } from './outbox.js';
import { getRecord } from './records.js';
import { status, syncNow } from './sync.js';
import { confirmDialog, empty, h, header, section, stateChip, toast, whileShown } from './ui.js';

const TYPE = {
  household: 'Household',
  person: 'Member',
  visit: 'Visit',
  enrollment: 'Sign-up',
  referral: 'Referral',
  outreach: 'Group session',
};

function editHref(e) {
  switch (e.type) {
    case 'household': return `#/household/${e.id}/edit`;
    case 'person': return `#/person/${e.id}/edit`;
    case 'visit': return `#/visit/${e.id}/edit`;
    case 'referral': return `#/referral/${e.id}/edit`;
    case 'outreach': return `#/group/${e.id}/edit`;
    case 'enrollment': return e.household ? `#/signup/${e.household}?edit=${e.id}` : null;
    default: return null;
  }
}

function reasons(e) {
  if (e.state === 'conflict') return [t('Someone changed this record on the server after you.')];
  return Object.entries(e.errors || {}).map(([name, msgs]) => {
    const text = (Array.isArray(msgs) ? msgs : [msgs]).join(' ');
    return name === '_' ? text : `${fieldLabel(e.type, name)}: ${text}`;
  });
}

/** A button of an outbox entry that runs `click` (`cls`: its class, if any). */
const action = (text, click, cls) => h('button', { type: 'button', class: cls, on: { click } }, text);

// "Discard my change", after a confirmation saying what takes its place.
function discardAction(e, refresh) {
  const isNew = e.base === 0;
  const text = isNew ? t('Delete this record from the phone? It never reached the server.')
    : serverCopy(e) ? t('Drop your change? The server’s copy of this record comes back on the phone.')
      : t('Drop your change? This record is no longer yours to see: it leaves the phone.');
  return action(isNew ? t('Delete') : t('Discard my change'), async () => {
    if (!await confirmDialog(text, isNew ? t('Delete') : t('Discard my change'), t('Cancel'), true)) return;
    await discard(e.id);
    toast(isNew ? t('Deleted.') : t('Your change was dropped.'));
    refresh();
  }, 'danger discard');
}

function attentionItem(e, refresh) {
  const href = editHref(e);
  const actions = [];
  if (e.state === 'conflict') {
    actions.push(action(t('Keep mine'), async () => {
      await resend(e.id);
      toast(t('Your version will be sent.'));
      refresh();
      syncNow();
    }));
  } else {
    if (href) actions.push(h('a', { class: 'button primary', href }, t('Fix')));
    actions.push(action(t('Send again'), async () => { await resend(e.id); refresh(); syncNow(); }));
  }
  actions.push(discardAction(e, refresh));
  return h('li', { class: 'outbox-item attention', data: { id: e.id } },
    h('strong', {}, `${t(TYPE[e.type] || e.type)} · ${e.label || ''} `, stateChip(e.state)),
    h('ul', { class: 'reasons' }, reasons(e).map((r) => h('li', {}, r))),
    h('div', { class: 'actions two' }, actions));
}

function waitingItem(e) {
  return h('li', { class: 'outbox-item', data: { id: e.id } },
    h('strong', {}, `${t(TYPE[e.type] || e.type)} · ${e.label || ''} `, stateChip('waiting')),
    h('small', {}, t('saved at %(time)s', { time: formatDateTime(e.saved_at) })));
}

function syncedItem(r) {
  return h('li', { class: 'outbox-item', data: { id: r.id } },
    h('span', {}, `${t(TYPE[r.type] || r.type)} · ${r.label || ''} `, stateChip('synced', true)),
    h('small', {}, formatTime(r.at)));
}

/** The line under "Sync now": offline, sending, receiving, waiting to try again, or nothing. */
function progressText(s) {
  if (!navigator.onLine) {
    return `● ${t('Offline')}: ${t('records are kept on the phone and sent when the network returns.')}`;
  }
  if (s.phase === 'push') return tn('Sending %(num)s record…', 'Sending %(num)s records…', s.sent || 0);
  if (s.phase === 'pull') return t('Receiving changes: %(num)s', { num: formatNumber(s.pulled || 0) });
  if (s.error && s.nextTry) {
    return t('No connection to the server. Trying again at %(time)s.', { time: formatTime(s.nextTry) });
  }
  return '';
}

export async function showSync(view) {
  await loadForms();
  const progress = h('p', { class: 'sub', id: 'sync-progress', 'aria-live': 'polite' });
  const last = h('p', { class: 'sub', id: 'sync-last' });
  const button = h('button', { type: 'button', class: 'primary wide', id: 'sync-now' }, t('Sync now'));
  const body = h('div', {});

  const paint = async () => {
    const [all, recent, lastSync] = await Promise.all([entries(), getMeta('recent', []), getMeta('last_sync')]);
    const attention = all.filter((e) => ATTENTION.has(e.state));
    // A sign-up is fixed on its household's sign-up screen: find the household of its person.
    for (const e of attention.filter((x) => x.type === 'enrollment')) {
      const person = await getRecord('person', e.data.person);
      e.household = person ? person.data.household : null;
    }
    const waiting = all.filter((e) => !ATTENTION.has(e.state));
    last.textContent = lastSync ? t('Last synced: %(when)s', { when: formatDateTime(lastSync) }) : t('Not synced yet');
    const attentionList = attention.length
      ? h('ul', { class: 'list' }, attention.map((e) => attentionItem(e, paint))) : null;
    const waitingList = waiting.length
      ? h('ul', { class: 'list', id: 'outbox-waiting' }, waiting.map((e) => waitingItem(e)))
      : empty(t('Nothing is waiting: everything on the phone has reached the office.'));
    const recentList = recent.length
      ? h('ul', { class: 'list', id: 'outbox-synced' }, recent.slice(0, 20).map((r) => syncedItem(r)))
      : empty(t('Nothing yet.'));
    body.replaceChildren(...[
      attentionList ? section(`${t('Needs attention')} (${attention.length})`, attentionList) : null,
      section(`${t('Waiting to sync')} (${waiting.length})`, waitingList),
      section(t('Synced recently'), recentList)].filter(Boolean));
  };

  const showStatus = (s) => {
    progress.textContent = progressText(s);
    button.disabled = s.phase !== 'idle';
  };

  button.addEventListener('click', async () => {
    if (!navigator.onLine) { toast(t('No network: records stay on the phone until it returns.')); return; }
    await syncNow();
  });
  // A village head has no bottom menu: this screen gives the way back and their menu.
  const head = ctx.user && ctx.user.role === 'village_head';
  const menu = head ? h('nav', { class: 'head-menu', 'aria-label': t('Menu') },
    h('a', { class: 'button', href: '#/referral/new' }, `+ ${t('Refer a participant')}`),
    h('a', { class: 'button', href: '#/referrals' }, t('People I referred')),
    h('a', { class: 'button', href: '#/more' }, t('Settings and sign out'))) : null;
  view.append(header(t('Sync'), '#/'), h('div', { class: 'card' }, last, progress, button), body, menu);
  showStatus(status);
  whileShown(view, [on('sync', (s) => { showStatus(s); if (s.phase === 'idle') paint(); }), on('outbox', paint)]);
  await paint();
}
