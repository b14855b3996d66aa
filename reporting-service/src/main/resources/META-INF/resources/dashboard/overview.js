// Overview table and totals: one row per partner of the period, exact per-currency sums, KPIs.

import * as money from './money.js';
import { API, MONEY_FIELDS, $, state, generation } from './state.js';
import { partnerOfToken } from './auth.js';
import { getJson, describe } from './http.js';
import { el, setMessage, moneyInto, moneyCell, quantityCell, statusPill } from './dom.js';
import { periodLabel, writeFragmentState, choosePartner } from './periods.js';
import { loadRevenue } from './revenue-chart.js';
import { loadDaily } from './daily-chart.js';
import { loadStatement } from './statement.js';

export async function loadPeriod() {
  loadOverview();
  loadRevenue();
}

export async function loadOverview() {
  const mine = ++generation.overview;
  const table = $('partners');
  table.dataset.state = 'loading';
  table.dataset.period = state.period;
  $('period-status').textContent = 'Loading…';
  let rows;
  try {
    rows = await getJson(`${API}/periods/${state.period}`);
  } catch (error) {
    if (mine !== generation.overview) {
      return;
    }
    state.rows = [];
    renderOverview();
    setMessage('partners-message', describe(error), 'error');
    table.dataset.state = 'error';
    $('period-status').textContent = '';
    return;
  }
  if (mine !== generation.overview) {
    return;
  }
  setMessage('partners-message', null);
  state.rows = Array.isArray(rows) ? rows : [];
  state.rows.forEach((row) => state.currencies.set(row.partnerId, row.currency));
  const own = partnerOfToken();
  if (own) {
    state.partner = own;
  } else if (!state.partner || !state.rows.some((r) => r.partnerId === state.partner)) {
    state.partner = sortedRows()[0]?.partnerId ?? null;
  }
  writeFragmentState();
  renderOverview();
  table.dataset.state = 'ready';
  document.body.dataset.state = 'ready';
  const closed = state.rows.filter((r) => r.status === 'CLOSED').length;
  $('period-status').textContent = state.rows.length === 0 ? 'No entries booked in this period'
    : `${closed} of ${state.rows.length} partner periods closed`;
  loadStatement();
  loadDaily();
}

export function compareRows(a, b, key) {
  if (MONEY_FIELDS.includes(key)) {
    return money.compare(money.parseDecimal(a[key]), money.parseDecimal(b[key]));
  }
  if (key === 'eventCount') {
    const x = BigInt(a[key] ?? 0);
    const y = BigInt(b[key] ?? 0);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return String(a[key] ?? '').localeCompare(String(b[key] ?? ''));
}

export function sortedRows() {
  const { key, direction } = state.sort;
  return [...state.rows].sort((a, b) => direction * compareRows(a, b, key) || a.partnerId.localeCompare(b.partnerId));
}

export function renderOverview() {
  const table = $('partners');
  table.querySelectorAll('th[data-sort]').forEach((th) => {
    if (th.dataset.sort === state.sort.key) {
      th.setAttribute('aria-sort', state.sort.direction > 0 ? 'ascending' : 'descending');
    } else {
      th.removeAttribute('aria-sort');
    }
  });
  const body = table.tBodies[0];
  if (state.rows.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { className: 'empty', colspan: 8 }, 'No partner has entries booked in this period.')));
  } else {
    body.replaceChildren(...sortedRows().map((row) => el('tr', { dataset: { partner: row.partnerId }, onclick: () => choosePartner(row.partnerId) },
      el('td', { dataset: { field: 'partnerId' } },
        el('button', { className: 'link', type: 'button', title: `Statement of ${row.partnerId}` }, row.partnerId)),
      el('td', { dataset: { field: 'status', value: row.status } }, statusPill(row.status)),
      el('td', { dataset: { field: 'currency' } }, row.currency),
      quantityCell(row.eventCount, 'eventCount'),
      moneyCell(row.usageAmount, row.currency, 'usageAmount'),
      moneyCell(row.adjustmentsAmount, row.currency, 'adjustmentsAmount'),
      moneyCell(row.total, row.currency, 'total'),
      moneyInto(el('td', { className: 'amount-due' }), row.amountDue, row.currency, 'amountDue'))));
  }
  const foot = table.tFoot;
  foot.replaceChildren(...totalsByCurrency().map((t) => el('tr', { dataset: { currency: t.currency } },
    el('td', { colspan: 3 }, `Total ${t.currency} · ${t.count} partner${t.count === 1 ? '' : 's'}`),
    quantityCell(t.eventCount.toString(), 'eventCount'),
    moneyCell(money.toPlainString(t.usageAmount), t.currency, 'usageAmount'),
    moneyCell(money.toPlainString(t.adjustmentsAmount), t.currency, 'adjustmentsAmount'),
    moneyCell(money.toPlainString(t.total), t.currency, 'total'),
    moneyCell(money.toPlainString(t.amountDue), t.currency, 'amountDue'))));
  $('partners-caption').textContent = state.rows.length ? `${periodLabel(state.period)} · click a partner for its statement` : '';
  markSelectedRow();
  renderKpis();
}

/** Exact sums per currency (amounts of different currencies are never added together). */
export function totalsByCurrency() {
  const byCurrency = new Map();
  for (const row of state.rows) {
    if (!byCurrency.has(row.currency)) {
      byCurrency.set(row.currency, {
        currency: row.currency, count: 0, eventCount: 0n,
        usageAmount: money.ZERO, adjustmentsAmount: money.ZERO, total: money.ZERO, amountDue: money.ZERO,
      });
    }
    const t = byCurrency.get(row.currency);
    t.count += 1;
    t.eventCount += BigInt(row.eventCount ?? 0);
    for (const field of MONEY_FIELDS) {
      t[field] = money.add(t[field], money.parseDecimal(row[field]));
    }
  }
  return [...byCurrency.values()].sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
}

export function renderKpis() {
  const totals = totalsByCurrency();
  const kpi = (label, valueNode, className = '') => el('div', { className: `kpi ${className}` },
    el('div', { className: 'kpi-label' }, label), valueNode);
  const moneyKpi = (value, currency, field) => moneyInto(el('div', { className: 'kpi-value', dataset: { currency } }),
    money.toPlainString(value), currency, field);
  const cards = [
    kpi('Partners with entries', el('div', { className: 'kpi-value', dataset: { field: 'partners' } }, String(state.rows.length))),
    kpi('Usage events', el('div', { className: 'kpi-value', dataset: { field: 'eventCount' } },
      money.formatQuantity(totals.reduce((acc, t) => acc + t.eventCount, 0n).toString()))),
  ];
  // one row of three figures per currency, under each other (amounts of different currencies are never added)
  totals.forEach((t, index) => {
    const suffix = totals.length > 1 ? ` · ${t.currency}` : '';
    cards.push(kpi(`Usage${suffix}`, moneyKpi(t.usageAmount, t.currency, 'usageAmount'), index > 0 ? 'kpi-next-currency' : ''));
    cards.push(kpi(`Adjustments${suffix}`, moneyKpi(t.adjustmentsAmount, t.currency, 'adjustmentsAmount')));
    cards.push(kpi(`Amount due${suffix}`, moneyKpi(t.amountDue, t.currency, 'amountDue'), 'kpi-due'));
  });
  $('kpis').replaceChildren(...cards);
}

export function markSelectedRow() {
  $('partners').tBodies[0].querySelectorAll('tr[data-partner]').forEach((tr) => {
    tr.classList.toggle('selected', tr.dataset.partner === state.partner);
  });
}
