// Recording a payment (#15), offline like every record: the form is the server's (template
// form-payment), saved to the outbox at once; then the receipt screen the participant can
// photograph. A server task is marked done from its own small screen.

import { ctx, label } from './context.js';
import { addMonths, formatDate, formatMoney, formatMonth, localDate } from './format.js';
import { check, formFor, readValues, setValues, showErrors } from './forms.js';
import { t } from './i18n.js';
import { moneyInWords } from './numwords.js';
import { enqueue } from './outbox.js';
import { allOf, getRecord } from './records.js';
import { go } from './router.js';
import { saveFailed } from './savefail.js';
import { rebuildTasks } from './tasks.js';
import { h, header, toast } from './ui.js';

/** The payment form for sign-up `enrollmentId`, its amount and today filled in. */
export async function showPayment(view, enrollmentId) {
  const enrollment = await getRecord('enrollment', enrollmentId);
  if (!enrollment) { go('/today', { replace: true }); return; }
  const person = await getRecord('person', enrollment.data.person);
  const id = crypto.randomUUID();
  const form = await formFor('payment');
  form.id = 'form-payment-live';
  setValues(form, { enrollment: enrollmentId, amount: enrollment.data.amount_due, paid_on: localDate(),
    method: 'cash' });
  form.prepend(h('p', { class: 'form-errors', role: 'alert', hidden: true }));
  const sub = person ? `${person.data.full_name} · ${label('scheme', enrollment.data.scheme)}` : null;
  view.append(header(t('Record a payment'), person ? `#/household/${person.data.household}` : '#/today', sub), form);
  let saving = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (saving) return;
    if (showErrors(form, check(form))) return;
    const values = readValues(form);
    saving = true;
    try {
      await enqueue('payment', id, values, `${t('Payment')} · ${values.receipt_no}`);
    } catch (err) {
      saving = false;
      saveFailed(form, err);
      return;
    }
    rebuildTasks().catch(() => {});
    toast(t('Saved on the phone. It will be sent when there is a network.'));
    go(`/receipt/${id}`, { replace: true });
  });
}

const monthsBetween = (a, b) => {
  const [ya, ma] = a.split('-').map(Number);
  const [yb, mb] = b.split('-').map(Number);
  return (yb - ya) * 12 + (mb - ma);
};

/** The day an HHI card is valid from, when the payment starts a first card or follows a gap
 *  of 3 months or more (30 days after payment), else null. */
async function cardValidFrom(enrollment, paidOn) {
  if (enrollment.data.scheme !== 'hhi') return null;
  const payments = await allOf('payment');
  const paid = new Set(payments.map((p) => p.data.enrollment));
  const earlier = (await allOf('enrollment')).filter((e) => e.id !== enrollment.id
    && e.data.person === enrollment.data.person && e.data.scheme === 'hhi' && (e.data.paid || paid.has(e.id)));
  const ends = earlier.map((e) => addMonths(e.data.start_month, Number(e.data.period_months) || 1)).sort();
  const end = ends.pop();
  if (end && monthsBetween(end, paidOn.slice(0, 7)) < 3) return null;
  const d = new Date(`${paidOn}T00:00:00`);
  d.setDate(d.getDate() + 30);
  return localDate(d);
}

/** The receipt of payment `id`: what the participant photographs. */
export async function showReceipt(view, id) {
  const payment = await getRecord('payment', id);
  const enrollment = payment ? await getRecord('enrollment', payment.data.enrollment) : null;
  if (!enrollment) { go('/today', { replace: true }); return; }
  const person = await getRecord('person', enrollment.data.person);
  const { data } = payment;
  const start = enrollment.data.start_month;
  const end = addMonths(start, (Number(enrollment.data.period_months) || 1) - 1);
  const validFrom = await cardValidFrom(enrollment, data.paid_on);
  const row = (name, value, cls = '') => [h('dt', {}, name), h('dd', { class: cls }, value)];
  view.append(header(t('Receipt'), person ? `#/household/${person.data.household}` : '#/today'),
    h('section', { class: 'block receipt', 'aria-label': t('Receipt') },
      h('h2', {}, `${t('Receipt number')}: ${data.receipt_no}`),
      h('dl', {},
        ...row(t('Participant'), person ? person.data.full_name : ''),
        ...row(t('Scheme'), label('scheme', enrollment.data.scheme)),
        ...row(t('Period'), `${formatMonth(start)} – ${formatMonth(end)}`),
        ...row(t('Amount'), formatMoney(data.amount), 'amount'),
        ...row(t('In words'), moneyInWords(data.amount), 'words'),
        ...row(t('Paid on'), formatDate(data.paid_on)),
        ...row(t('Paid by'), label('method', data.method)),
        ...row(t('Collector'), ctx.user ? (ctx.user.full_name || ctx.user.username) : ''),
        ...(validFrom ? row(t('Card valid from'), formatDate(validFrom), 'valid-from') : []))),
    h('p', { class: 'hint' }, t('The participant may photograph this screen.')));
}

/** A task the office sent: what to do, and "Done" (the only change a collector sends). */
export async function showTask(view, id) {
  const task = await getRecord('task', id);
  if (!task) { go('/today', { replace: true }); return; }
  const who = task.data.person ? await getRecord('person', task.data.person) : null;
  const hh = await getRecord('household', task.data.household);
  const done = async () => {
    await enqueue('task', id, { ...task.data, done: true }, `${t('Task')} · ${who ? who.data.full_name : ''}`);
    rebuildTasks().catch(() => {});
    toast(t('Saved on the phone. It will be sent when there is a network.'));
    go('/today', { replace: true });
  };
  view.append(header(label('task_kind', task.data.kind), '#/today', hh ? hh.data.head_name : null),
    h('section', { class: 'block' },
      h('p', {}, who ? who.data.full_name : (hh ? hh.data.head_name : '')),
      task.data.amount ? h('p', {}, formatMoney(task.data.amount)) : null,
      task.data.due_on ? h('p', {}, t('by %(date)s', { date: formatDate(task.data.due_on) })) : null,
      task.data.note ? h('p', {}, `“${task.data.note}”`) : null),
    h('div', { class: 'actions sticky' },
      h('a', { class: 'button', href: `#/household/${task.data.household}` }, t('Open the household')),
      h('button', { type: 'button', class: 'primary', on: { click: done } }, t('Done'))));
}

/** "Cash I hold": the collector's cash payments not yet handed to the organization (the
 *  server sets server.remitted_on when a hand-over covers one). */
export async function cashHeld() {
  const held = (await allOf('payment')).filter((p) => p.data.method === 'cash'
    && !(p.server && p.server.remitted_on));
  const total = held.reduce((sum, p) => sum + (Number(p.data.amount) || 0), 0);
  return h('section', { class: 'block', id: 'cash-held' }, h('h2', {}, t('Cash I hold')),
    h('p', {}, h('strong', {}, formatMoney(total))),
    h('p', { class: 'sub' }, t('%(num)s receipts not handed over', { num: held.length })));
}
