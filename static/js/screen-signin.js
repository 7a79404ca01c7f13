// Sign-in on the phone: pairs this device (a token kept in IndexedDB), then downloads the
// user's area so the app works offline from here on.

import { ctx } from './context.js';
import { getMeta } from './db.js';
import { t, tn } from './i18n.js';
import { signIn } from './session.js';
import { confirmDialog, h } from './ui.js';

/** Ask before signing in over another user's unsent records; true: delete them. */
const confirmDiscard = (unsynced, owner) => confirmDialog(tn(
  '%(num)s record of %(user)s has not been sent yet. Signing in as someone else deletes it from this phone.',
  '%(num)s records of %(user)s have not been sent yet. Signing in as someone else deletes them from this phone.',
  unsynced, { user: owner }), t('Delete and sign in'), t('Cancel'), true);

/** What to tell the user when the server refused the sign-in or could not be reached. */
function failureMessage(err) {
  if (err.status === 401) return t('Wrong username or password.');
  if (err.status === 429) return t('Too many attempts. Please wait a few minutes and try again.');
  if (err.code === 'wrong_role') {
    return t('This app is for collectors and village heads. Supervisors use the web workspace.');
  }
  if (err.status === 0) return t('No connection to the server. Check the network and try again.');
  return err.message;
}

/** Draw the sign-in form; `done()` runs after a successful sign-in. */
export async function showSignIn(view, done) {
  const expired = await getMeta('expired_user');
  const status = h('p', { class: 'form-errors', role: 'alert', hidden: true });
  const user = h('input', { id: 'signin-username', name: 'username', autocomplete: 'username',
    autocapitalize: 'none', required: true, maxlength: '64', value: expired ? expired.username : '' });
  const pass = h('input', { id: 'signin-password', name: 'password', type: 'password',
    autocomplete: 'current-password', required: true, maxlength: '200' });
  const button = h('button', { type: 'submit', class: 'primary wide' }, t('Sign in'));
  const form = h('form', { class: 'signin', novalidate: true },
    h('div', { class: 'field' }, h('label', { for: 'signin-username' }, t('Username')), user),
    h('div', { class: 'field' }, h('label', { for: 'signin-password' }, t('Password')), pass),
    status, h('div', { class: 'actions' }, button));

  const fail = (msg) => { status.textContent = msg; status.hidden = false; button.disabled = false; };

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!user.value.trim() || !pass.value) { fail(t('Enter your username and password.')); return; }
    if (!navigator.onLine) {
      fail(t('The first sign-in needs a network. Afterwards the app works without one.'));
      return;
    }
    button.disabled = true;
    status.hidden = true;
    button.textContent = t('Signing in…');
    try {
      let result = await signIn(user.value, pass.value);
      if (result.blocked) {
        const ok = await confirmDiscard(result.unsynced, result.blocked);
        if (!ok) {
          button.textContent = t('Sign in');
          fail(t('Sign in as %(user)s to send those records first.', { user: result.blocked }));
          return;
        }
        result = await signIn(user.value, pass.value, { discardOthers: true });
      }
      await done(result.user);
    } catch (err) {
      button.textContent = t('Sign in');
      fail(failureMessage(err));
    }
  });

  view.append(
    h('div', { class: 'signin-head' },
      h('img', { src: '/static/icons/icon-192.png', alt: '', width: '72', height: '72' }),
      h('h1', {}, t('Field app')),
      h('p', { class: 'sub' }, t('Voluntary social insurance and household health insurance'))),
    expired && !ctx.token ? h('p', { class: 'notice' },
      t('This phone was signed out by the server. Sign in again: records waiting on the phone are kept.')) : null,
    form,
    h('p', { class: 'hint' }, t('Sign in once with a network; after that the app opens and works offline.')));
}
