// Receivables (SPEC §3.8, §6): per partner billed, paid, outstanding and unallocated as of a date,
// the outstanding amount aged by days past due (table and stacked bars), and the table as CSV.
// Every figure is the API's exact string; totals are exact sums per currency (money.js).

import * as money from './money.js';
import { API, $, state, charts } from './state.js';
import { getJson, describe } from './http.js';
import { el, setMessage, moneyInto, moneyCell } from './dom.js';
import { chartInstance, escapeHtml, axisMoney } from './revenue-chart.js';

export const BUCKETS = ['current', '1-30', '31-60', '61-90', '90+'];
const BUCKET_LABELS = { current: 'Current', '1-30': '1–30 days', '31-60': '31–60 days', '61-90': '61–90 days', '90+': '90+ days' };
const BUCKET_COLORS = ['#2e9e6b', '#d8b62a', '#e0892b', '#d0474f', '#8b1f2a'];
const FIELDS = ['billed', 'paid', 'outstanding', 'unallocated'];
const CSV_HEADER = ['partnerId', 'currency', 'asOf', ...FIELDS, ...BUCKETS];

const view = { rows: [], asOf: null, currency: null, generation: 0, loadedFor: null };

export function todayUtc() {
  return new Date().toISOString().slice(0, 10);
}

export function showReceivables(reload = false) {
  const input = $('receivables-as-of');
  if (!input.value) {
    input.value = todayUtc();
  }
  if (reload || view.loadedFor !== state.token) {
    loadReceivables();
  } else {
    charts.aging?.resize();
  }
}

export async function loadReceivables() {
  const mine = ++view.generation;
  const section = $('receivables');
  const input = $('receivables-as-of');
  const asOf = /^\d{4}-\d{2}-\d{2}$/.test(input.value) ? input.value : todayUtc();
  input.value = asOf;
  section.dataset.state = 'loading';
  $('receivables-csv').disabled = true;
  let rows;
  try {
    rows = await getJson(`${API}/receivables?asOf=${asOf}`);
  } catch (error) {
    if (mine === view.generation) {
      view.rows = [];
      renderReceivables();
      setMessage('receivables-message', describe(error), 'error');
      section.dataset.state = 'error';
    }
    return;
  }
  if (mine !== view.generation) {
    return;
  }
  setMessage('receivables-message', null);
  view.rows = (Array.isArray(rows) ? rows : []).slice().sort((a, b) => a.partnerId.localeCompare(b.partnerId));
  view.asOf = asOf;
  view.loadedFor = state.token;
  renderReceivables();
  $('receivables-csv').disabled = view.rows.length === 0;
  section.dataset.asOf = asOf;
  section.dataset.state = 'ready';
}

function totalsByCurrency() {
  const byCurrency = new Map();
  for (const row of view.rows) {
    if (!byCurrency.has(row.currency)) {
      byCurrency.set(row.currency, { currency: row.currency, count: 0, values: {} });
    }
    const t = byCurrency.get(row.currency);
    t.count += 1;
    for (const field of FIELDS) {
      t.values[field] = money.add(t.values[field] ?? money.ZERO, money.parseDecimal(row[field]));
    }
    for (const bucket of BUCKETS) {
      t.values[bucket] = money.add(t.values[bucket] ?? money.ZERO, money.parseDecimal(row.aging?.[bucket] ?? '0'));
    }
  }
  return [...byCurrency.values()].sort((a, b) => b.count - a.count || a.currency.localeCompare(b.currency));
}

export function renderReceivables() {
  const table = $('receivables-table');
  if (!table) {
    return;
  }
  const body = table.tBodies[0];
  if (view.rows.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { className: 'empty', colspan: 11 },
      'No partner has a billed period or a payment as of this date.')));
  } else {
    body.replaceChildren(...view.rows.map((row) => el('tr', { dataset: { partner: row.partnerId } },
      el('th', { scope: 'row', dataset: { field: 'partnerId' } }, row.partnerId),
      el('td', { dataset: { field: 'currency' } }, row.currency),
      ...FIELDS.map((field) => moneyCell(row[field], row.currency, field)),
      ...BUCKETS.map((bucket) => moneyCell(row.aging?.[bucket] ?? null, row.currency, `aging.${bucket}`)))));
  }
  const totals = totalsByCurrency();
  table.tFoot.replaceChildren(...totals.map((t) => el('tr', { dataset: { currency: t.currency } },
    el('td', { colspan: 2 }, `Total ${t.currency} · ${t.count} partner${t.count === 1 ? '' : 's'}`),
    ...[...FIELDS, ...BUCKETS].map((field) => moneyCell(money.toPlainString(t.values[field]), t.currency,
      FIELDS.includes(field) ? field : `aging.${field}`)))));
  $('receivables-caption').textContent = view.asOf
    ? `As of ${view.asOf} (UTC): periods closed on or before that day are billed, payments received by then are paid; `
      + 'billed − paid = outstanding − unallocated.'
    : '';
  renderAgingChips(totals.map((t) => t.currency));
  renderAgingChart();
}

function renderAgingChips(currencies) {
  if (!currencies.includes(view.currency)) {
    view.currency = currencies[0] ?? null;
  }
  $('aging-currencies').replaceChildren(...(currencies.length > 1 ? currencies.map((c) => el('button', {
    className: 'chip', type: 'button', 'aria-pressed': String(c === view.currency),
    onclick: () => { view.currency = c; renderReceivables(); },
  }, c)) : []));
}

function renderAgingChart() {
  const node = $('aging-chart');
  const chart = chartInstance('aging', node);
  if (!chart) {
    return;
  }
  const currency = view.currency;
  const rows = view.rows.filter((r) => r.currency === currency);
  const partners = rows.map((r) => r.partnerId);
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    color: BUCKET_COLORS,
    grid: { left: 64, right: 12, top: 40, bottom: 28 },
    legend: { top: 0, left: 0, icon: 'roundRect', itemWidth: 12, itemHeight: 12, data: BUCKETS.map((b) => BUCKET_LABELS[b]) },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const row = rows[params[0]?.dataIndex ?? 0];
        if (!row) {
          return '';
        }
        const format = (v) => escapeHtml(money.formatMoney(v, currency, { exact: state.exact }).text);
        return `<b>${escapeHtml(row.partnerId)}</b><br>${BUCKETS.map((b, i) => `${params[i]?.marker ?? ''}${BUCKET_LABELS[b]}`
          + `<b style="float:right;margin-left:16px">${format(row.aging?.[b] ?? '0')}</b>`).join('<br>')}`
          + `<hr style="border:0;border-top:1px solid #ddd;margin:4px 0">Outstanding<b style="float:right">${format(row.outstanding)}</b>`;
      },
    },
    xAxis: { type: 'category', data: partners, axisLabel: { color: '#5f6b7a', interval: 0 } },
    yAxis: { type: 'value', axisLabel: { formatter: axisMoney(currency ?? 'USD'), color: '#5f6b7a' }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    series: BUCKETS.map((bucket) => ({
      name: BUCKET_LABELS[bucket],
      type: 'bar',
      stack: 'aging',
      barMaxWidth: 42,
      data: rows.map((r) => money.toChartNumber(r.aging?.[bucket] ?? '0')),
    })),
  }, { notMerge: true });
  chart.resize();
  node.dataset.partners = partners.join(',');
  node.dataset.currency = currency ?? '';
  node.dataset.state = 'ready';
}

function csvField(text) {
  const value = String(text ?? '');
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** The table as CSV: one row per partner, the API's exact strings, header {@link CSV_HEADER}. */
export function receivablesCsv() {
  const lines = [CSV_HEADER.join(',')];
  for (const row of view.rows) {
    lines.push([row.partnerId, row.currency, row.asOf ?? view.asOf, ...FIELDS.map((f) => row[f]),
      ...BUCKETS.map((b) => row.aging?.[b] ?? '')].map(csvField).join(','));
  }
  return `${lines.join('\n')}\n`;
}

function downloadCsv() {
  if (!view.asOf) {
    return;
  }
  const name = `receivables-${view.asOf}.csv`;
  const url = URL.createObjectURL(new Blob([receivablesCsv()], { type: 'text/csv' }));
  const link = el('a', { href: url, download: name });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  $('receivables').dataset.downloaded = name;
}

export function wireReceivables() {
  if (!$('receivables')) {
    return;
  }
  $('receivables-as-of').addEventListener('change', () => loadReceivables());
  $('receivables-csv').addEventListener('click', downloadCsv);
}
