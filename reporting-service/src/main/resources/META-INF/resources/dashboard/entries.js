// Entries: the drill-down behind a statement line, paged by nextCursor.

import * as money from './money.js';
import { API, ENTRIES_PAGE_LIMIT, ENTRIES_MAX_PAGES_PER_CLICK, KIND_LABELS, $, state, generation } from './state.js';
import { getJson, describe } from './http.js';
import { el, setMessage, moneyInto, moneyCell, quantityCell } from './dom.js';

export function openEntries(spec) {
  const s = state.statement;
  generation.entries += 1;
  state.entries = {
    ...spec, partner: s.partnerId, period: s.period, currency: s.currency, cursor: null, started: false, rows: [],
  };
  $('entries').hidden = false;
  $('entries-heading').textContent = `Entries · ${spec.title}`;
  $('entries-caption').textContent = `${s.partnerId} · ${s.period}`
    + (spec.kind ? ` · kind ${spec.kind}` : ' · USAGE and REVERSAL entries of this model and metric')
    + ' · in sequence order';
  $('entries-table').tBodies[0].replaceChildren();
  setMessage('entries-message', null);
  loadMoreEntries().then(() => $('entries').scrollIntoView({ behavior: 'instant', block: 'start' }));
}

export function closeEntries() {
  generation.entries += 1;
  state.entries = null;
  $('entries').hidden = true;
  $('entries').dataset.state = 'idle';
}

export async function loadMoreEntries() {
  const view = state.entries;
  if (!view) {
    return;
  }
  const mine = generation.entries;
  const section = $('entries');
  section.dataset.state = 'loading';
  $('entries-more').disabled = true;
  let added = 0;
  let pages = 0;
  try {
    do {
      const query = new URLSearchParams({ period: view.period, limit: String(ENTRIES_PAGE_LIMIT) });
      if (view.kind) {
        query.set('kind', view.kind);
      }
      if (view.cursor) {
        query.set('cursor', view.cursor);
      }
      const page = await getJson(`${API}/partners/${encodeURIComponent(view.partner)}/entries?${query}`);
      if (mine !== generation.entries) {
        return;
      }
      const matching = (page.entries ?? []).filter((e) => !view.filter || view.filter(e));
      view.rows.push(...matching);
      added += matching.length;
      view.cursor = page.nextCursor ?? null;
      view.started = true;
      pages += 1;
    } while (view.cursor && added < ENTRIES_PAGE_LIMIT && pages < ENTRIES_MAX_PAGES_PER_CLICK);
  } catch (error) {
    if (mine === generation.entries) {
      setMessage('entries-message', describe(error), 'error');
      section.dataset.state = 'error';
      $('entries-more').disabled = false;
    }
    return;
  }
  renderEntries();
  section.dataset.state = 'ready';
}

export function renderEntries() {
  const view = state.entries;
  if (!view) {
    return;
  }
  const currency = view.currency;
  $('entries-table').tBodies[0].replaceChildren(...(view.rows.length === 0
    ? [el('tr', {}, el('td', { className: 'empty', colspan: 9 }, 'No entries.'))]
    : view.rows.map((e) => el('tr', { dataset: { sequence: String(e.sequence), kind: e.kind }, title: e.memo ? `memo: ${e.memo}` : null },
      el('td', { className: 'num', dataset: { field: 'sequence' } }, String(e.sequence)),
      el('td', { dataset: { field: 'kind' } }, KIND_LABELS[e.kind] ?? e.kind),
      el('td', { className: 'mono' }, e.eventTime ? e.eventTime.replace('T', ' ').replace(/Z$/, '') : '—'),
      el('td', { className: 'mono', title: e.entryId }, e.usageEventId ?? (e.memo ? `“${e.memo}”` : '—')),
      el('td', {}, e.model ? `${e.model} · ${e.metric}` : '—'),
      quantityCell(e.quantity === null || e.quantity === undefined ? null : String(e.quantity), 'quantity'),
      moneyCell(e.settlementRevenue, currency, 'revenue'),
      moneyCell(e.amount, currency, 'amount'),
      el('td', {}, e.ruleId ? `v${e.agreementVersion ?? '?'} · ${e.ruleId}` : (e.actor ? `by ${e.actor}` : '—'))))));
  const shown = money.sum(view.rows.map((e) => e.amount));
  const count = $('entries-count');
  count.replaceChildren(`${view.rows.length} entr${view.rows.length === 1 ? 'y' : 'ies'} shown, sum `,
    moneyInto(el('span', { className: 'money-inline' }), money.toPlainString(shown), currency, 'entriesSum'),
    view.cursor ? ' · more entries exist' : ` · all loaded${view.lineAmount !== undefined ? ' (equals the statement figure)' : ''}`);
  if (!view.cursor && view.lineAmount !== undefined
      && money.compare(shown, money.parseDecimal(view.lineAmount)) !== 0) {
    setMessage('entries-message', 'These entries do not add up to the statement figure: reporting may still be catching up.');
  }
  const more = $('entries-more');
  more.hidden = !view.cursor;
  more.disabled = false;
}
