// A save the phone's database refused (storage full, private mode, blocked): say so plainly
// and give Save back, so the collector can free space or try again; nothing was half saved.

import { showErrors } from './forms.js';
import { t } from './i18n.js';
import { toast } from './ui.js';

export function saveFailed(form, err) {
  console.error('save failed', err);
  const message = t('Could not save on the phone: storage is full or blocked. Try again.');
  showErrors(form, { _: message });
  const top = form.querySelector('.form-errors');
  if (top) top.scrollIntoView({ block: 'center' });
  toast(message);
  form.querySelector('button.save').disabled = false;
}
