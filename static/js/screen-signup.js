// Sign-up (enrollment): VSI for one person with the premium worked out live as the collector
// types, or HHI for the household's members with each one's place in the ladder. Amounts come
// from premium.js on the synced parameter sets: the same rules the server checks.

import { ctx, label, provinceOf } from './context.js';
import { formatBp, formatMoney, localMonth } from './format.js';
import { check, formFor, readValues, setValues, showErrors } from './forms.js';
import { t } from './i18n.js';
import { newId } from './ids.js';
import { enqueueAll } from './outbox.js';
import { computePremium, setFor } from './premium.js';
import { allOf, getRecord, membersOf } from './records.js';
import { go } from './router.js';
import { saveFailed } from './savefail.js';
import { expectedPlace, keptAmount, madeMonth, othersOf, signupProblem, supportedBefore } from './signup-rules.js';
import { rebuildTasks } from './tasks.js';
import { empty, h, header, toast } from './ui.js';

const radio = (form, name) => (form.querySelector(`input[name="${name}"]:checked`) || {}).value || '';
const field = (form, name) => form.querySelector(`[name="${name}"]`);

export async function showSignup(view, householdId, query) {
  const hh = await getRecord('household', householdId);
  const members = hh ? await membersOf(householdId) : [];
  if (!hh || !members.length) {
    view.append(header(t('Sign up'), hh ? `#/household/${householdId}` : '#/households'),
      empty(t('Add the household’s members first: a sign-up is for a person.')));
    return;
  }
  const editing = query.edit ? await getRecord('enrollment', query.edit) : null;
  const people = editing ? members.filter((m) => m.id === editing.data.person) : members;
  const allEnrollments = await allOf('enrollment');
  const province = provinceOf(hh.data.area);
  // Ids made now, once: saving twice can only write these records again.
  const vsiId = editing ? editing.id : newId();
  const hhiIds = new Map(people.map((m) => [m.id, editing ? editing.id : newId()]));

  const form = await formFor('enrollment');
  form.id = 'form-enrollment-live';
  form.prepend(h('p', { class: 'form-errors', role: 'alert', hidden: true }));
  const personSelect = field(form, 'person');
  for (const m of people) {
    personSelect.append(new Option(`${m.data.full_name} · ${(m.data.birth_date || '').slice(0, 4)}`, m.id));
  }
  if (people.length === 1 || query.person) personSelect.value = query.person || people[0].id;

  // HHI: one row per member: tick, place in the ladder, amount.
  const proto = form.querySelector('[data-proto="member_order"]');
  const rows = people.map((m) => {
    const tick = h('input', { type: 'checkbox', id: `hhi-${m.id}`, value: m.id });
    const place = proto.cloneNode(true);
    place.hidden = false; place.disabled = false; place.removeAttribute('data-proto'); place.className = 'place';
    place.id = `hhi-place-${m.id}`;
    place.setAttribute('aria-label', `${t('Place in the household')}: ${m.data.full_name}`);
    const amount = h('span', { class: 'row-amount', id: `hhi-amount-${m.id}` });
    const row = h('div', { class: 'member-row', data: { person: m.id } },
      h('label', { class: 'choice', for: `hhi-${m.id}` }, tick, h('span', {}, m.data.full_name,
        m.data.relation ? h('small', {}, ` · ${label('relation', m.data.relation)}`) : null)),
      place, amount);
    return { m, tick, place, amount, row };
  });
  form.querySelector('.member-rows').append(...rows.map((r) => r.row));

  const calc = form.querySelector('[data-calc]');
  const due = form.querySelector('[data-amount-due]');
  const period = field(form, 'period_months');
  let result = null;

  // Members already in HHI this year (not being signed up now) hold the first places.
  const earlierPlaces = (startMonth) => {
    const now = new Set(rows.filter((r) => r.tick.checked).map((r) => r.m.id));
    const ids = new Set(members.map((m) => m.id));
    const year = (startMonth || '').slice(0, 4);
    const earlier = allEnrollments.filter((e) => e.data.scheme === 'hhi' && ids.has(e.data.person)
      && !now.has(e.data.person) && (e.data.start_month || '').slice(0, 4) === year);
    return new Set(earlier.map((e) => e.data.person)).size;
  };
  const renumber = () => {
    let place = earlierPlaces(field(form, 'start_month').value);
    for (const r of rows) {
      r.place.disabled = !r.tick.checked;
      if (r.tick.checked) { place += 1; r.place.value = String(Math.min(place, 5)); }
    }
  };

  const showFieldError = (name, message) => {
    const box = form.querySelector(`[data-field="${name}"]`);
    const hasValue = name === 'member_order' || (field(form, name) && field(form, name).value);
    if (box && hasValue) showErrors(form, { [name]: message });
  };

  const compute = () => {
    const scheme = radio(form, 'scheme');
    const start = field(form, 'start_month').value;
    form.querySelectorAll('.scheme-part').forEach((p) => { p.hidden = p.dataset.scheme !== scheme; });
    const set = setFor(ctx.policy, start);
    const allowed = set && scheme ? set[`${scheme}_periods`].map(String) : null;
    for (const o of period.options) if (o.value) o.hidden = o.disabled = !!allowed && !allowed.includes(o.value);
    if (allowed && period.value && !allowed.includes(period.value)) period.value = '';
    showErrors(form, {});
    result = null;
    calc.textContent = '';
    due.textContent = '—';
    if (!scheme) return;
    const base = { scheme, start_month: start, period_months: period.value, province };
    if (scheme === 'vsi') {
      const inputs = { ...base, monthly_income: field(form, 'monthly_income').value,
        support_group: field(form, 'support_group').value };
      inputs.supported_before = supportedBefore(inputs, othersOf(allEnrollments, personSelect.value, vsiId));
      const r = computePremium(ctx.policy, inputs);
      if (r.error) { showFieldError(r.error, t(r.message, r.params)); return; }
      const months = Number(period.value);
      const kept = keptAmount(editing, { ...inputs, monthly_income: Number(inputs.monthly_income) });
      if (kept !== null) r.amount_due = kept; // a payment keeps its amount (docs/premiums.md §9)
      calc.textContent = [
        t('Income %(income)s × %(rate)s = %(gross)s', {
          income: formatMoney(field(form, 'monthly_income').value),
          rate: formatBp(set.vsi_rate_bp),
          gross: formatMoney(r.monthly_gross),
        }),
        r.supported_months < months
          ? t('State support − %(amount)s for %(supported)s of %(months)s months '
            + '(at most %(cap)s supported months per person)',
          { amount: formatMoney(r.monthly_support), supported: r.supported_months, months, cap: r.cap_months })
          : t('State support − %(amount)s', { amount: formatMoney(r.monthly_support) }),
        t('Per month %(amount)s', { amount: formatMoney(r.monthly_amount) }),
        t('%(months)s months: %(amount)s', { months, amount: formatMoney(r.amount_due) }),
      ].join(' · ');
      due.textContent = formatMoney(r.amount_due);
      result = [{ id: vsiId, person: personSelect.value, premium: r }];
      return;
    }
    const chosen = rows.filter((r) => r.tick.checked);
    for (const r of rows) r.amount.textContent = '';
    if (!chosen.length) return;
    const out = [];
    const hhiGroup = field(form, 'hhi_group').value || null;
    for (const r of chosen) {
      const p = computePremium(ctx.policy, { ...base, member_order: r.place.value, hhi_group: hhiGroup });
      if (p.error) {
        showFieldError(p.error === 'member_order' ? 'member_order' : p.error, t(p.message, p.params));
        return;
      }
      const kept = keptAmount(editing, { ...base, member_order: Number(r.place.value), hhi_group: hhiGroup });
      if (kept !== null) p.amount_due = kept;
      r.amount.textContent = `${formatMoney(p.monthly_amount)}/${t('month')} · ${formatMoney(p.amount_due)}`;
      out.push({ id: hhiIds.get(r.m.id), person: r.m.id, place: Number(r.place.value), premium: p });
    }
    const total = out.reduce((s, x) => s + x.premium.amount_due, 0);
    calc.textContent = t('%(num)s members, %(months)s months', { num: out.length, months: Number(period.value) });
    due.textContent = formatMoney(total);
    result = out;
  };

  form.addEventListener('input', compute);
  form.addEventListener('change', (e) => {
    if (e.target.type === 'checkbox' && e.target.id.startsWith('hhi-')) renumber();
    compute();
  });

  const initial = editing ? editing.data : { start_month: localMonth(), visit: query.visit };
  setValues(form, Object.fromEntries(Object.entries(initial).filter(([, v]) => v !== undefined && v !== null)));
  if (editing) {
    form.querySelectorAll('input[name="scheme"]').forEach((r) => { r.disabled = r.value !== editing.data.scheme; });
    if (editing.data.scheme === 'hhi') {
      rows[0].tick.checked = true;
      renumber();
      rows[0].place.value = String(editing.data.member_order);
    }
  } else if (query.scheme) {
    const r = form.querySelector(`input[name="scheme"][value="${query.scheme}"]`);
    if (r) r.checked = true;
  }
  compute();

  view.append(header(editing ? t('Edit sign-up') : t('Sign up'), `#/household/${householdId}`,
    `${hh.data.head_name} · ${hh.data.address}`), form);

  // The cross-record sign-up rules (signup-rules.js) on what the phone holds, in the server's words.
  const ruleErrors = (scheme) => {
    const start = field(form, 'start_month').value;
    const made = madeMonth(editing, localMonth());
    const common = { scheme, start_month: start, period_months: period.value };
    const problems = scheme === 'vsi'
      ? [signupProblem(ctx.policy, common, { person: people.find((m) => m.id === personSelect.value),
        others: othersOf(allEnrollments, personSelect.value, vsiId), made })]
      : rows.filter((r) => r.tick.checked).map((r, n) => signupProblem(ctx.policy,
        { ...common, member_order: r.place.value }, {
          person: r.m,
          others: othersOf(allEnrollments, r.m.id, hhiIds.get(r.m.id)),
          made,
          place: editing && (editing.data.start_month || '').slice(0, 4) === start.slice(0, 4)
            ? editing.data.member_order : expectedPlace(earlierPlaces(start) + n),
        }));
    const found = problems.find(Boolean);
    if (!found) return {};
    const [name, { message, params }] = Object.entries(found)[0];
    return { [name]: t(message, params) };
  };

  let saving = false;
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (saving) return;
    compute();
    const errors = check(form);
    delete errors.member_order; // per row below
    const scheme = radio(form, 'scheme');
    if (scheme === 'hhi' && !rows.some((r) => r.tick.checked)) errors.member_order = t('Tick at least one member.');
    if (!Object.keys(errors).length) Object.assign(errors, ruleErrors(scheme));
    if (showErrors(form, errors)) return;
    if (!result) {
      showErrors(form, { amount_due: t('The amount cannot be worked out yet: check the fields above.') });
      return;
    }
    const common = readValues(form);
    const own = ['person', 'monthly_income', 'support_group', 'member_order', 'amount_due', 'hhi_group'];
    for (const k of own) delete common[k];
    if (!common.visit) delete common.visit;
    saving = true;
    form.querySelector('button.save').disabled = true;
    const items = result.map((item) => {
      const data = { ...common, person: item.person, scheme, amount_due: item.premium.amount_due };
      if (scheme === 'vsi') {
        Object.assign(data, { monthly_income: Number(field(form, 'monthly_income').value),
          support_group: field(form, 'support_group').value });
      } else {
        data.member_order = item.place;
        if (field(form, 'hhi_group').value) data.hhi_group = field(form, 'hhi_group').value;
      }
      const who = people.find((m) => m.id === item.person);
      const name = `${who ? who.data.full_name : ''} · ${label('scheme', scheme)}`;
      return { type: 'enrollment', id: item.id, data, label: name };
    });
    try {
      await enqueueAll(items); // every member's sign-up in one transaction: all saved or none
    } catch (err) {
      saving = false;
      saveFailed(form, err);
      return;
    }
    rebuildTasks().catch(() => {});
    toast(t('Saved on the phone. It will be sent when there is a network.'));
    go(`/household/${householdId}`, { replace: !editing });
  });
}
