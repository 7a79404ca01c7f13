// Households: instant search (head's name with or without diacritics, address, phone,
// personal ID) over the area on the phone, and the way in to adding a household.

import { formatDate } from './format.js';
import { label } from './context.js';
import { t, tn } from './i18n.js';
import { statesOf } from './records.js';
import { searchHouseholds } from './search.js';
import { empty, h, linkButton, stateChip } from './ui.js';

let lastQuery = '';

/** One search result; `pick`: the tap starts a visit instead of opening the household. */
function householdRow(hh, state, pick) {
  const last = hh.lastVisit;
  const lastVisit = last
    ? `${t('Last visit')} ${formatDate(last.data.visited_at)} · ${label('outcome', last.data.outcome)}`
    : t('Not visited yet');
  const href = pick ? `#/visit/new?household=${hh.id}` : `#/household/${hh.id}`;
  return h('li', {}, h('a', { class: 'row', href },
    h('strong', {}, hh.data.head_name, ' ', stateChip(state)),
    h('span', {}, hh.data.address),
    h('small', {}, [hh.data.phone, lastVisit].filter(Boolean).join(' · '))));
}

export async function showHouseholds(view, query) {
  const pick = query.pick === 'visit';
  const input = h('input', { id: 'hh-search', type: 'search', value: query.q ?? lastQuery, autocomplete: 'off',
    placeholder: t('e.g. nguyen van an'), enterkeyhint: 'search' });
  const results = h('ul', { class: 'list', id: 'hh-results' });
  const count = h('p', { class: 'sub', id: 'hh-count', 'aria-live': 'polite' });

  let ticket = 0;
  const run = async () => {
    const mine = ++ticket;
    lastQuery = input.value;
    const { items, total } = await searchHouseholds(input.value);
    if (mine !== ticket) return;
    const states = await statesOf(items.map((i) => i.id));
    results.replaceChildren(...items.map((hh) => householdRow(hh, states.get(hh.id), pick)));
    count.textContent = tn('%(num)s household', '%(num)s households', total)
      + (total > items.length ? ` · ${t('showing the first %(num)s', { num: items.length })}` : '');
    if (!items.length) {
      results.replaceChildren(empty(t('No household found. Check the spelling or add the household.')));
    }
  };
  input.addEventListener('input', run);

  view.append(
    h('header', { class: 'screen-head' }, h('div', {}, h('h1', {}, pick ? t('Which household?') : t('Households')))),
    h('div', { class: 'field search' },
      h('label', { for: 'hh-search' }, t('Search by head of household, address, phone or personal ID')), input),
    count, results,
    h('div', { class: 'actions sticky' },
      linkButton('#/household/new', `+ ${t('Add a household')}`, pick ? 'wide' : 'primary wide')));
  await run();
}
