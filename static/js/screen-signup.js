// Sign-up (enrollment): VSI for one person with the premium worked out live as the collector
// types, or HHI for the household's members with each one's place in the ladder. Amounts come
// from premium.js on the synced parameter sets: the same rules the server checks.

import { ctx, label, provinceOf } from './context.js';
import { formatBp, formatMoney, localMonth } from './format.js';
import { check, formFor, moneyValue, readValues, setValues, showErrors } from './forms.js';
import { t, tn } from './i18n.js';
import { newId } from './ids.js';
import { enqueueAll, entry as outboxEntry } from './outbox.js';
import { computePremium, setFor } from './premium.js';
import { allOf, getRecord, householdOrder, membersOf } from './records.js';
import { leave } from './router.js';
import { judge, runChecks } from './rules.js';
import { saveFailed } from './savefail.js';
import { expectedPlace, keptAmount, madeMonth, othersOf, signupProblem, supportedBefore } from './signup-rules.js';
import { rebuildTasks } from './tasks.js';
import { empty, h, header, linkButton, toast } from './ui.js';

const radio = (form, name) => (form.querySelector(`input[name="${name}"]:checked`) || {}).value || '';
const field = (form, name) => form.querySelector(`[name="${name}"]`);
const income = (form) => moneyValue(field(form, 'monthly_income').value);

// Coverage that already includes health insurance: ticking such a member for HHI pays twice.
const COVERED = new Set(['household_hi', 'other_hi', 'compulsory_si']);

export async function showSignup(view, householdId, query) {
  const hh = await getRecord('household', householdId);
  // The household's own order (head first, then by age), as the household screen lists them.
  const members = hh ? (await membersOf(householdId)).sort(householdOrder) : [];
  if (!hh || !members.length) {
    // A new household's first member is its head: the form opens prefilled (nothing saved yet).
    const add = hh ? linkButton(`#/person/new?household=${householdId}&name=${encodeURIComponent(hh.data.head_name)}`,
      `+ ${t('Add a member')}`, 'primary wide') : null;
    view.append(header(t('Sign up'), hh ? `#/household/${householdId}` : '#/households'),
      empty(t('Add the household’s members first: a sign-up is for a person.')), add);
    return;
  }
  const editing = query.edit ? await getRecord('enrollment', query.edit) : null;
  const pending = editing ? await outboxEntry(editing.id) : null;
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
  const year = () => (field(form, 'start_month').value || '').slice(0, 4);
  const inHhi = (m) => allEnrollments.some((e) => e.data.person === m.id && e.data.scheme === 'hhi'
    && e.id !== (editing && editing.id) && (e.data.start_month || '').slice(0, 4) === year());
  const rows = people.map((m) => {
    const tick = h('input', { type: 'checkbox', id: `hhi-${m.id}`, value: m.id });
    const covered = m.data.coverage && COVERED.has(m.data.coverage);
    const warn = h('small', { class: 'row-warn', id: `hhi-warn-${m.id}`, hidden: true });
    const why = h('small', { class: 'row-why', id: `hhi-why-${m.id}` });
    const place = proto.cloneNode(true);
    place.hidden = false; place.disabled = false; place.removeAttribute('data-proto'); place.className = 'place';
    place.id = `hhi-place-${m.id}`;
    place.setAttribute('aria-label', `${t('Place in the household')}: ${m.data.full_name}`);
    const amount = h('span', { class: 'row-amount', id: `hhi-amount-${m.id}` });
    const row = h('div', { class: 'member-row', data: { person: m.id } },
      h('label', { class: 'choice', for: `hhi-${m.id}` }, tick, h('span', {}, m.data.full_name,
        m.data.relation ? h('small', {}, ` · ${label('relation', m.data.relation)}`) : null)),
      place, amount, warn, why);
    tick.setAttribute('aria-describedby', `hhi-warn-${m.id} hhi-why-${m.id}`);
    return { m, tick, place, amount, row, warn, why, covered };
  });
  // Say it before the tick: a member already covered (by the phone's records or as recorded).
  const showCovered = () => {
    for (const r of rows) {
      const already = inHhi(r.m);
      const text = already ? t('Already signed up for household health insurance in %(year)s.', { year: year() })
        : r.covered ? t('Already covered: %(coverage)s. Check the card before ticking.',
          { coverage: label('coverage', r.m.data.coverage) }) : '';
      r.warn.textContent = text ? `⚠ ${text}` : '';
      r.warn.hidden = !text;
      r.row.classList.toggle('covered', !!text);
    }
  };
  form.querySelector('.member-rows').append(...rows.map((r) => r.row));

  const calc = form.querySelector('[data-calc]');
  const due = form.querySelector('[data-amount-due]');
  const dueBar = form.querySelector('.due-bar');
  dueBar.addEventListener('click', () => {
    calc.hidden = !calc.hidden;
    dueBar.setAttribute('aria-expanded', String(!calc.hidden));
  });
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
  // Places follow the household's order; say for each ticked member which place and why.
  const renumber = () => {
    let place = earlierPlaces(field(form, 'start_month').value);
    const before = members.filter((m) => !rows.some((r) => r.m.id === m.id && r.tick.checked) && inHhi(m))
      .map((m) => m.data.full_name);
    for (const r of rows) {
      r.place.disabled = !r.tick.checked;
      r.why.textContent = '';
      if (!r.tick.checked) continue;
      place += 1;
      r.place.value = String(Math.min(place, 5));
      explain(r, before);
      before.push(r.m.data.full_name);
    }
  };
  function explain(r, before) {
    const placeText = label('member_order', r.place.value);
    r.why.textContent = before.length
      ? `${placeText}: ${t('after %(names)s', { names: before.join(', ') })}`
      : `${placeText}: ${t('nobody in the household comes before')}`;
  }

  // The premium's own complaint ({field: message}), kept so Save shows it where it belongs.
  let premiumError = {};
  const showFieldError = (name, message) => {
    premiumError = { [name]: message };
    const box = form.querySelector(`[data-field="${name}"]`);
    const hasValue = name === 'member_order' || (field(form, name) && field(form, name).value);
    if (box && hasValue) showErrors(form, premiumError, null, { focus: false });
  };

  const compute = () => {
    const scheme = radio(form, 'scheme');
    const start = field(form, 'start_month').value;
    form.querySelectorAll('.scheme-part').forEach((p) => { p.hidden = p.dataset.scheme !== scheme; });
    const set = setFor(ctx.policy, start);
    const allowed = set && scheme ? set[`${scheme}_periods`].map(String) : null;
    for (const o of period.options) if (o.value) o.hidden = o.disabled = !!allowed && !allowed.includes(o.value);
    if (allowed && period.value && !allowed.includes(period.value)) period.value = '';
    showErrors(form, {}, null, { focus: false });
    premiumError = {};
    result = null;
    calc.textContent = '';
    due.textContent = '—';
    if (!scheme) return;
    const base = { scheme, start_month: start, period_months: period.value, province };
    if (scheme === 'vsi') {
      const inputs = { ...base, monthly_income: income(form),
        support_group: field(form, 'support_group').value };
      inputs.supported_before = supportedBefore(inputs, othersOf(allEnrollments, personSelect.value, vsiId));
      const r = computePremium(ctx.policy, inputs);
      if (r.error) { showFieldError(r.error, t(r.message, r.params)); return; }
      const months = Number(period.value);
      const kept = keptAmount(editing, { ...inputs, monthly_income: Number(inputs.monthly_income) });
      if (kept !== null) r.amount_due = kept; // a payment keeps its amount (docs/premiums.md §9)
      calc.textContent = [
        t('Income %(income)s × %(rate)s = %(gross)s', {
          income: formatMoney(income(form)),
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
    const hhiGroup = radio(form, 'hhi_group') || null;
    for (const r of chosen) {
      const p = computePremium(ctx.policy, { ...base, member_order: r.place.value, hhi_group: hhiGroup });
      if (p.error) {
        showFieldError(p.error === 'member_order' ? 'member_order' : p.error, t(p.message, p.params));
        return;
      }
      const kept = keptAmount(editing, { ...base, member_order: Number(r.place.value), hhi_group: hhiGroup });
      if (kept !== null) p.amount_due = kept;
      explain(r, chosen.slice(0, chosen.indexOf(r)).map((x) => x.m.data.full_name));
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
    if (e.target.name === 'start_month') showCovered();
    const tick = e.target.type === 'checkbox' && e.target.id.startsWith('hhi-');
    if (tick || e.target.name === 'start_month') renumber();
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
  showCovered();
  compute();

  view.append(header(editing ? t('Edit sign-up') : t('Sign up'), `#/household/${householdId}`,
    `${hh.data.head_name} · ${hh.data.address}`), pending && pending.state === 'rejected'
    ? h('div', { class: 'banner bad', role: 'alert' }, h('strong', {}, t('Needs attention')), ' ',
      t('The server did not accept this record. Fix what is marked and save to send it again.')) : null, form);
  if (pending && pending.state === 'rejected') showErrors(form, pending.errors || {});

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
    const errors = { ...check(form), ...premiumError };
    delete errors.amount_due; // worked out here, never typed
    delete errors.member_order; // per row below
    const scheme = radio(form, 'scheme');
    if (scheme === 'hhi' && !rows.some((r) => r.tick.checked)) errors.member_order = t('Tick at least one member.');
    if (premiumError.member_order) errors.member_order = premiumError.member_order;
    if (!Object.keys(errors).length) Object.assign(errors, ruleErrors(scheme));
    if (!Object.keys(errors).length && !result) {
      const where = scheme === 'vsi' ? 'monthly_income' : 'period_months';
      errors[where] = t('The amount cannot be worked out yet: check the fields above.');
    }
    if (showErrors(form, errors)) return;
    const common = readValues(form);
    const own = ['person', 'monthly_income', 'support_group', 'member_order', 'amount_due', 'hhi_group'];
    for (const k of own) delete common[k];
    if (!common.visit) delete common.visit;
    saving = true;
    form.querySelector('button.save').disabled = true;
    const items = result.map((item) => {
      const data = { ...common, person: item.person, scheme, amount_due: item.premium.amount_due };
      if (scheme === 'vsi') {
        Object.assign(data, { monthly_income: income(form),
          support_group: field(form, 'support_group').value });
      } else {
        data.member_order = item.place;
        if (radio(form, 'hhi_group')) data.hhi_group = radio(form, 'hhi_group');
      }
      const who = people.find((m) => m.id === item.person);
      const name = `${who ? who.data.full_name : ''} · ${label('scheme', scheme)}`;
      return { type: 'enrollment', id: item.id, data, label: name };
    });
    // Every record exactly as it will be stored, judged by the server's rules, then the checks
    // against the phone's other records; nothing is saved unless all of them pass.
    for (const item of items) {
      const found = { ...judge(form, item.data), ...await runChecks('enrollment', item.data,
        { id: item.id, form, others: items.map((x) => x.data) }) };
      if (Object.keys(found).length) {
        saving = false;
        form.querySelector('button.save').disabled = false;
        showErrors(form, found);
        return;
      }
    }
    try {
      await enqueueAll(items); // every member's sign-up in one transaction: all saved or none
    } catch (err) {
      saving = false;
      saveFailed(form, err);
      return;
    }
    rebuildTasks().catch(() => {});
    toast(t('Saved on the phone. It will be sent when there is a network.'));
    leave(`/household/${householdId}`);
  });
}
