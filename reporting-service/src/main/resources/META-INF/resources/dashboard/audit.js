// Audit log (SPEC §3.9): the ledger's GET /api/v1/audit?partnerId=&from=&to=&cursor=&limit=, oldest
// first, paged by nextCursor. The API filters by partner and time. SPEC §5 names no action
// parameter: the action is sent as action= (the ledger filters by it where it has one) and also
// applied here, reading further pages until a page of matches is shown, so either way it holds.

import { $, state } from './state.js';
import { getJsonFrom, describe } from './http.js';
import { el, setMessage } from './dom.js';
import { partnerIds } from './reconciliation.js';

const PAGE_LIMIT = 100;
const MAX_PAGES_PER_CLICK = 20;
const DAY_MS = 86_400_000;

const view = { rows: [], cursor: null, filters: null, generation: 0, loadedFor: null };

export async function showAudit(reload = false) {
  if (!reload && view.loadedFor === state.token) {
    return;
  }
  view.loadedFor = state.token;
  partnerIds().then((ids) => $('audit-partners').replaceChildren(...ids.map((id) => el('option', { value: id }))))
    .catch(() => {});
  applyFilters();
}

function readFilters() {
  const partnerId = $('audit-partner').value.trim();
  const from = $('audit-from').value;
  const to = $('audit-to').value;
  return {
    partnerId: partnerId || null,
    action: $('audit-action').value || null,
    // dates are UTC days; the API's from is inclusive and to exclusive, so "to" is the next day's start
    from: from ? `${from}T00:00:00Z` : null,
    to: to ? `${new Date(Date.parse(`${to}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10)}T00:00:00Z` : null,
  };
}

export function applyFilters() {
  view.generation += 1;
  view.filters = readFilters();
  view.rows = [];
  view.cursor = null;
  $('audit-table').tBodies[0].replaceChildren();
  setMessage('audit-message', null);
  loadMoreAudit();
}

export async function loadMoreAudit() {
  const mine = view.generation;
  const { filters } = view;
  const section = $('audit');
  section.dataset.state = 'loading';
  $('audit-more').disabled = true;
  let added = 0;
  let pages = 0;
  try {
    do {
      const query = new URLSearchParams({ limit: String(PAGE_LIMIT) });
      for (const key of ['partnerId', 'from', 'to', 'action']) {
        if (filters[key]) {
          query.set(key, filters[key]);
        }
      }
      if (view.cursor) {
        query.set('cursor', view.cursor);
      }
      const page = await getJsonFrom('ledger', `/api/v1/audit?${query}`);
      if (mine !== view.generation) {
        return;
      }
      const matching = (page.records ?? []).filter((r) => !filters.action || r.action === filters.action);
      view.rows.push(...matching);
      added += matching.length;
      view.cursor = page.nextCursor ?? null;
      pages += 1;
    } while (view.cursor && added < PAGE_LIMIT && pages < MAX_PAGES_PER_CLICK);
  } catch (error) {
    if (mine === view.generation) {
      setMessage('audit-message', describe(error), 'error');
      section.dataset.state = 'error';
      $('audit-more').disabled = false;
    }
    return;
  }
  renderAudit();
  section.dataset.filters = JSON.stringify(filters);
  section.dataset.state = 'ready';
}

function json(value) {
  return value === null || value === undefined ? 'null' : JSON.stringify(value, null, 2);
}

function changeCell(record) {
  if ((record.before === null || record.before === undefined) && (record.after === null || record.after === undefined)) {
    return el('td', { className: 'muted' }, '—');
  }
  const what = record.before === null || record.before === undefined ? 'created'
    : record.after === null || record.after === undefined ? 'removed' : 'before → after';
  return el('td', { className: 'audit-change' }, el('details', {},
    el('summary', {}, what),
    el('div', { className: 'small muted' }, 'before'), el('pre', { dataset: { field: 'before' } }, json(record.before)),
    el('div', { className: 'small muted' }, 'after'), el('pre', { dataset: { field: 'after' } }, json(record.after))));
}

function renderAudit() {
  const rows = view.rows;
  $('audit-table').tBodies[0].replaceChildren(...(rows.length === 0
    ? [el('tr', {}, el('td', { className: 'empty', colspan: 7 }, 'No audit record matches these filters.'))]
    : rows.map((r, index) => el('tr', { dataset: { index: String(index), action: r.action, partner: r.partnerId ?? '' } },
      el('td', { className: 'mono', dataset: { field: 'at', value: r.at } }, (r.at ?? '').replace('T', ' ').replace(/Z$/, '')),
      el('td', { dataset: { field: 'actor' } }, r.actor ?? '—'),
      el('td', { dataset: { field: 'action' } }, r.action),
      el('td', { dataset: { field: 'partnerId' } }, r.partnerId ?? '—'),
      el('td', { className: 'mono', dataset: { field: 'subject' } }, r.subject ?? '—'),
      el('td', { dataset: { field: 'memo' } }, r.memo ?? ''),
      changeCell(r)))));
  $('audit-count').textContent = `${rows.length} record${rows.length === 1 ? '' : 's'} shown, oldest first`
    + (view.cursor ? ' · more exist' : ' · all loaded');
  const more = $('audit-more');
  more.hidden = !view.cursor;
  more.disabled = false;
}

export function wireAudit() {
  if (!$('audit')) {
    return;
  }
  $('audit-filters').addEventListener('submit', (event) => {
    event.preventDefault();
    applyFilters();
  });
  $('audit-action').addEventListener('change', applyFilters);
  $('audit-more').addEventListener('click', loadMoreAudit);
}
