// More: group sessions, language, storage use, app version and updates, sign out.

import { ctx } from './context.js';
import { setMeta } from './db.js';
import { t, tn, lang, loadCatalog } from './i18n.js';
import { cashHeld } from './screen-payment.js';
import { bootstrap, signOut } from './session.js';
import { cacheVersion, checkForUpdate } from './swclient.js';
import { confirmDialog, h, header, linkButton, section, toast } from './ui.js';

const mb = (bytes) => (bytes >= 1073741824
  ? `${(bytes / 1073741824).toFixed(1).replace('.', ',')} GB`
  : `${(bytes / 1048576).toFixed(1).replace('.', ',')} MB`);

async function storageLine() {
  if (!navigator.storage || !navigator.storage.estimate) return t('This browser does not report storage use.');
  const [est, persisted] = await Promise.all([navigator.storage.estimate(),
    navigator.storage.persisted ? navigator.storage.persisted() : Promise.resolve(false)]);
  const used = t('Storage used: %(used)s of %(quota)s available',
    { used: mb(est.usage || 0), quota: mb(est.quota || 0) });
  return `${used} · `
    + (persisted ? t('kept by the phone (persistent)') : t('the phone may clear it when space runs low'));
}

export async function showMore(view, onSignedOut) {
  const storage = h('p', { class: 'sub', id: 'storage-use' }, '…');
  const versions = await cacheVersion().catch(() => []);
  const updateState = h('p', { class: 'sub' });
  const langButtons = [['vi', 'Tiếng Việt'], ['en', 'English']].map(([code, name]) => h('button', {
    type: 'button', lang: code, class: code === lang() ? 'primary' : '', 'aria-pressed': String(code === lang()),
    on: { click: async () => {
      await setMeta('lang', code);
      await loadCatalog(code);
      if (navigator.onLine && ctx.token) await bootstrap().catch(() => {});
      location.reload();
    } } }, name));

  const out = h('button', { type: 'button', class: 'danger wide', id: 'sign-out', on: { click: async () => {
    let result = await signOut();
    if (result.unsynced) {
      const ok = await confirmDialog(tn(
        '%(num)s record has not been sent to the office yet. Signing out deletes it from this phone for good.',
        '%(num)s records have not been sent to the office yet. Signing out deletes them from this phone for good.',
        result.unsynced), t('Sign out and delete'), t('Cancel'), true);
      if (!ok) return;
      result = await signOut({ force: true });
    }
    onSignedOut();
  } } }, t('Sign out'));

  const checkUpdates = async () => {
    if (!navigator.onLine) { updateState.textContent = t('No network: try again later.'); return; }
    const coming = await checkForUpdate().catch(() => false);
    updateState.textContent = coming ? t('A new version is being prepared.') : t('This is the latest version.');
  };

  const isCollector = ctx.user && ctx.user.role === 'collector';
  const role = ctx.user.role === 'collector' ? t('Collector') : t('Village head');
  view.append(
    header(t('More'), isCollector ? null : '#/'),
    h('div', { class: 'card' }, h('strong', {}, ctx.user.full_name || ctx.user.username),
      h('p', { class: 'sub' }, `${ctx.user.username} · ${role}`)),
    isCollector ? await cashHeld() : null,
    isCollector ? section(t('Group sessions'),
      h('p', { class: 'sub' }, t('Customer conferences and small-group talks.')),
      linkButton('#/groups', t('Group sessions'), 'wide')) : null,
    !isCollector ? section(t('Sync'), linkButton('#/sync', t('Sync'), 'wide')) : null,
    section(t('Language'), h('div', { class: 'actions two' }, langButtons)),
    section(t('Storage'), storage),
    section(t('App version'), h('p', { class: 'sub' }, versions.join(', ') || document.body.dataset.build),
      h('button', { type: 'button', class: 'wide', on: { click: checkUpdates } }, t('Check for updates')),
      updateState),
    section(null, out));
  storageLine().then((text) => { storage.textContent = text; });
  if (!ctx.token) toast(t('Signed out.'));
}
