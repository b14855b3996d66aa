// revshare finance dashboard: a static page over the reporting API (SPEC §6).
//
// Auth: a bearer token pasted by the user or handed over in the URL fragment (#token=…, which a
// browser never sends to a server); kept in sessionStorage only and removed from the address bar.
// Every figure shown comes from the API as an exact decimal string and is formatted from that
// string (money.js); the exact value is on each cell's data-value and title.

import * as money from './money.js';

const TOKEN_KEY = 'revshare.token';
const API = 'api/v1/reports';
/** Months offered by the period picker, counting back from the current one. */
const PERIOD_CHOICES = 36;
/** Months in the revenue-share chart, ending at the selected period. */
const CHART_MONTHS = 12;
/** Page size and page limit when reading a month's entries for the daily chart. */
const DAILY_PAGE_LIMIT = 1000;
const DAILY_MAX_PAGES = 50;
/** Rows added per "Load more" in the entries view, and pages read at most to find them. */
const ENTRIES_PAGE_LIMIT = 100;
const ENTRIES_MAX_PAGES_PER_CLICK = 20;
const FRESHNESS_POLL_MS = 30_000;
const FRESH_MS = 5 * 60_000;
const STALE_MS = 60 * 60_000;
const PALETTE = ['#1f5fbf', '#2e9e6b', '#e0892b', '#7a4fd0', '#d0474f', '#1aa3b8', '#8c8f2a', '#c0569b',
  '#5b6b7f', '#a0522d', '#3b8bd9', '#6bbf59'];
const KIND_LABELS = {
  USAGE: 'Usage',
  LATE_USAGE: 'Late usage',
  REVERSAL: 'Reversal',
  TIER_TRUE_UP: 'Tier true-up',
  MINIMUM_TRUE_UP: 'Minimum true-up',
  CAP_ADJUSTMENT: 'Cap adjustment',
  MANUAL_ADJUSTMENT: 'Manual adjustment',
  PERIOD_CLOSED: 'Period closed',
};
const MONEY_FIELDS = ['usageAmount', 'adjustmentsAmount', 'total', 'amountDue'];

const $ = (id) => document.getElementById(id);

const state = {
  token: null,
  claims: null,
  period: null,
  partner: null,
  exact: false,
  sort: { key: 'amountDue', direction: -1 },
  rows: [],
  currencies: new Map(),
  revenue: null,
  chartCurrency: null,
  statement: null,
  entries: null,
  renderDailyNote: null,
};
/** Per-loader request generations: a late answer for an older choice is dropped. */
const generation = { overview: 0, revenue: 0, daily: 0, statement: 0, entries: 0 };
const charts = { revenue: null, daily: null };
let freshnessTimer = null;

// ---------------------------------------------------------------- auth

class HttpError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

function decodeClaims(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const padded = payload.padEnd(Math.ceil(payload.length / 4) * 4, '=');
    const bytes = Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
    return JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return null;
  }
}

/**
 * Takes a token from the fragment (#token=…) into sessionStorage and removes it from the address
 * bar; a token in the query string is refused (it would reach the server's logs) and removed too.
 * Returns a warning to show, or null.
 */
function takeTokenFromAddress() {
  const query = new URLSearchParams(location.search);
  const fragment = new URLSearchParams(location.hash.slice(1));
  let warning = null;
  let changed = false;
  if (query.has('token')) {
    query.delete('token');
    changed = true;
    warning = 'A token in the query string was ignored and removed from the address: query strings reach '
      + 'server logs. Paste the token or use the #token= fragment.';
  }
  const token = fragment.get('token');
  if (token) {
    sessionStorage.setItem(TOKEN_KEY, token.trim());
    fragment.delete('token');
    changed = true;
  }
  if (changed) {
    const search = query.toString();
    const hash = fragment.toString();
    history.replaceState(null, '', location.pathname + (search ? `?${search}` : '') + (hash ? `#${hash}` : ''));
  }
  return warning;
}

function partnerOfToken() {
  const groups = state.claims?.groups ?? [];
  const isStaff = groups.includes('finance') || groups.includes('admin');
  return !isStaff && groups.includes('partner') ? state.claims.partner_id ?? null : null;
}

function showTokenPanel(message) {
  state.token = null;
  state.claims = null;
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(freshnessTimer);
  $('dashboard').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('token-panel').hidden = false;
  setMessage('token-message', message, 'error');
  setFreshness('Signed out', 'muted', '');
  document.body.dataset.state = 'signed-out';
  $('token-input').focus();
}

function signIn(token) {
  state.token = token;
  state.claims = decodeClaims(token);
  if (!state.claims) {
    showTokenPanel('That is not a JWT (three base64url parts separated by dots).');
    return false;
  }
  if (typeof state.claims.exp === 'number' && state.claims.exp * 1000 < Date.now()) {
    showTokenPanel(`That token expired on ${new Date(state.claims.exp * 1000).toISOString()}.`);
    return false;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  $('token-panel').hidden = true;
  $('dashboard').hidden = false;
  const who = $('who');
  who.replaceChildren();
  const partner = partnerOfToken();
  const role = partner ? `partner ${partner}` : (state.claims.groups ?? []).join(', ') || 'no role';
  who.append('Signed in as ', el('strong', {}, state.claims.sub ?? '?'), ` (${role})`);
  who.hidden = false;
  $('sign-out').hidden = false;
  return true;
}

// ---------------------------------------------------------------- HTTP

async function request(path, accept = 'application/json') {
  let response;
  try {
    response = await fetch(path, {
      headers: { Authorization: `Bearer ${state.token}`, Accept: accept },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new HttpError(0, { detail: 'The reporting service cannot be reached.' });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      // not problem+json
    }
    if (response.status === 401) {
      showTokenPanel('The service rejected the token (401): it expired or was not signed by this deployment\'s key.');
    }
    throw new HttpError(response.status, problem);
  }
  return response;
}

async function getJson(path) {
  return (await request(path)).json();
}

function describe(error) {
  if (!(error instanceof HttpError)) {
    return `Unexpected error: ${error.message}`;
  }
  switch (error.status) {
    case 0:
      return error.message;
    case 401:
      return 'Not signed in (401).';
    case 403:
      return 'This token may not see this data (403).';
    case 404:
      return `Not found (404)${error.problem?.detail ? `: ${error.problem.detail}` : '.'}`;
    default:
      return `${error.status} ${error.problem?.title ?? 'error'}${error.problem?.detail ? `: ${error.problem.detail}` : ''}`;
  }
}

// ---------------------------------------------------------------- DOM helpers

function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'className') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : value);
    }
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

function setMessage(id, text, kind = 'warn') {
  const node = $(id);
  node.textContent = text ?? '';
  node.hidden = !text;
  node.classList.toggle('message-error', kind === 'error');
}

/** A cell (or any element) showing an exact amount: text formatted, exact value kept on data-value. */
function moneyInto(node, value, currency, field) {
  node.classList.add('num', 'money');
  if (field) {
    node.dataset.field = field;
  }
  if (value === null || value === undefined) {
    node.textContent = '—';
    node.removeAttribute('data-value');
    return node;
  }
  const formatted = money.formatMoney(value, currency, { exact: state.exact });
  node.textContent = formatted.text;
  node.title = formatted.title;
  node.dataset.value = String(value);
  node.dataset.currency = currency;
  node.classList.toggle('negative', formatted.sign < 0);
  return node;
}

function moneyCell(value, currency, field) {
  return moneyInto(el('td'), value, currency, field);
}

function quantityCell(value, field) {
  return el('td', { className: 'num', dataset: { field, value: value ?? '' } }, money.formatQuantity(value));
}

function statusPill(status) {
  return el('span', { className: `pill ${status === 'CLOSED' ? 'pill-closed' : 'pill-open'}` }, status ?? '—');
}

// ---------------------------------------------------------------- periods and the address fragment

function currentPeriod() {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

function shiftPeriod(period, months) {
  const [year, month] = period.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

function periodLabel(period, style = 'long') {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString(undefined, {
    year: style === 'long' ? 'numeric' : '2-digit', month: style, timeZone: 'UTC',
  });
}

function daysIn(period) {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function readFragmentState() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const period = fragment.get('period');
  const partner = fragment.get('partner');
  return {
    period: /^\d{4}-(0[1-9]|1[0-2])$/.test(period ?? '') ? period : null,
    partner: /^[a-z0-9][a-z0-9-]{1,62}$/.test(partner ?? '') ? partner : null,
  };
}

function writeFragmentState() {
  const fragment = new URLSearchParams();
  fragment.set('period', state.period);
  if (state.partner) {
    fragment.set('partner', state.partner);
  }
  history.replaceState(null, '', `${location.pathname}${location.search}#${fragment}`);
}

function fillPeriodPicker() {
  const select = $('period');
  const current = currentPeriod();
  const periods = [];
  for (let i = 0; i < PERIOD_CHOICES; i++) {
    periods.push(shiftPeriod(current, -i));
  }
  if (!periods.includes(state.period)) {
    periods.push(state.period);
    periods.sort().reverse();
  }
  select.replaceChildren(...periods.map((p) => el('option', { value: p }, `${periodLabel(p)}${p === current ? ' (current)' : ''}`)));
  select.value = state.period;
}

function choosePeriod(period) {
  if (!period || period === state.period) {
    return;
  }
  state.period = period;
  if (![...$('period').options].some((o) => o.value === period)) {
    fillPeriodPicker();
  }
  $('period').value = period;
  writeFragmentState();
  closeEntries();
  loadPeriod();
}

function choosePartner(partnerId) {
  if (!partnerId || partnerId === state.partner) {
    return;
  }
  state.partner = partnerId;
  writeFragmentState();
  markSelectedRow();
  closeEntries();
  loadStatement();
  loadDaily();
}

// ---------------------------------------------------------------- overview table and totals

async function loadPeriod() {
  loadOverview();
  loadRevenue();
}

async function loadOverview() {
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

function compareRows(a, b, key) {
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

function sortedRows() {
  const { key, direction } = state.sort;
  return [...state.rows].sort((a, b) => direction * compareRows(a, b, key) || a.partnerId.localeCompare(b.partnerId));
}

function renderOverview() {
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
function totalsByCurrency() {
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

function renderKpis() {
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

function markSelectedRow() {
  $('partners').tBodies[0].querySelectorAll('tr[data-partner]').forEach((tr) => {
    tr.classList.toggle('selected', tr.dataset.partner === state.partner);
  });
}

// ---------------------------------------------------------------- revenue-share chart

async function currencyOf(partnerId, period) {
  if (state.currencies.has(partnerId)) {
    return state.currencies.get(partnerId);
  }
  // the summary carries no currency: one entry of the partner in that period tells it
  try {
    const page = await getJson(`${API}/partners/${encodeURIComponent(partnerId)}/entries?period=${period}&limit=1`);
    const currency = page.entries?.[0]?.currency ?? null;
    if (currency) {
      state.currencies.set(partnerId, currency);
    }
    return currency;
  } catch (e) {
    return null;
  }
}

async function loadRevenue() {
  const mine = ++generation.revenue;
  const node = $('revenue-chart');
  node.dataset.state = 'loading';
  const to = state.period;
  const from = shiftPeriod(to, -(CHART_MONTHS - 1));
  let rows;
  try {
    rows = await getJson(`${API}/summary?from=${from}&to=${to}&groupBy=partner,period`);
  } catch (error) {
    if (mine === generation.revenue) {
      setMessage('revenue-message', describe(error), 'error');
      node.dataset.state = 'error';
      charts.revenue?.clear();
    }
    return;
  }
  const months = [];
  for (let i = 0; i < CHART_MONTHS; i++) {
    months.push(shiftPeriod(from, i));
  }
  const amounts = new Map();
  for (const row of rows) {
    if (!row.partnerId || !row.period) {
      continue;
    }
    if (!amounts.has(row.partnerId)) {
      amounts.set(row.partnerId, new Map());
    }
    const previous = amounts.get(row.partnerId).get(row.period);
    amounts.get(row.partnerId).set(row.period,
      previous ? money.toPlainString(money.add(money.parseDecimal(previous), money.parseDecimal(row.amount))) : row.amount);
  }
  const partners = [...amounts.keys()].sort();
  const currencies = new Map();
  for (const partner of partners) {
    const somePeriod = [...amounts.get(partner).keys()].sort().pop();
    currencies.set(partner, (await currencyOf(partner, somePeriod)) ?? '???');
  }
  if (mine !== generation.revenue) {
    return;
  }
  setMessage('revenue-message', null);
  state.revenue = { months, partners, amounts, currencies };
  const counts = new Map();
  currencies.forEach((c) => counts.set(c, (counts.get(c) ?? 0) + 1));
  const ordered = [...counts.keys()].sort((a, b) => counts.get(b) - counts.get(a) || a.localeCompare(b));
  if (!ordered.includes(state.chartCurrency)) {
    state.chartCurrency = ordered[0] ?? null;
  }
  $('revenue-currencies').replaceChildren(...(ordered.length > 1 ? ordered.map((c) => el('button', {
    className: 'chip', type: 'button', 'aria-pressed': String(c === state.chartCurrency),
    onclick: () => { state.chartCurrency = c; markCurrencyChips(); renderRevenue(); },
  }, c)) : []));
  renderRevenue();
}

function markCurrencyChips() {
  $('revenue-currencies').querySelectorAll('.chip').forEach((chip) => {
    chip.setAttribute('aria-pressed', String(chip.textContent === state.chartCurrency));
  });
}

function chartInstance(name, node) {
  if (!window.echarts) {
    node.textContent = 'The charting library did not load.';
    return null;
  }
  if (!charts[name]) {
    charts[name] = window.echarts.init(node, null, { renderer: 'canvas' });
  }
  return charts[name];
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

function axisMoney(currency) {
  let format;
  try {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
  } catch (e) {
    format = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
  }
  return (value) => format.format(value);
}

function renderRevenue() {
  const node = $('revenue-chart');
  const chart = chartInstance('revenue', node);
  if (!chart || !state.revenue) {
    return;
  }
  const { months, amounts, currencies } = state.revenue;
  const currency = state.chartCurrency;
  const partners = state.revenue.partners.filter((p) => currencies.get(p) === currency);
  const color = (p) => PALETTE[state.revenue.partners.indexOf(p) % PALETTE.length];
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    color: partners.map(color),
    grid: { left: 64, right: 12, top: 56, bottom: 28 },
    legend: { top: 0, left: 0, type: 'scroll', icon: 'roundRect', itemWidth: 12, itemHeight: 12, data: partners },
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      formatter: (params) => {
        const period = months[params[0]?.dataIndex ?? 0];
        const lines = params.filter((p) => amounts.get(p.seriesName)?.has(period)).map((p) => {
          const exact = amounts.get(p.seriesName).get(period);
          return `${p.marker}${escapeHtml(p.seriesName)}&nbsp;&nbsp;<b style="float:right;margin-left:16px">${
            escapeHtml(money.formatMoney(exact, currency, { exact: state.exact }).text)}</b>`;
        });
        const total = money.sum(partners.map((p) => amounts.get(p)?.get(period)).filter(Boolean));
        return `<div style="min-width:200px"><b>${escapeHtml(periodLabel(period))}</b><br>${lines.join('<br>')}`
          + `<hr style="border:0;border-top:1px solid #ddd;margin:4px 0">Total<b style="float:right">${
            escapeHtml(money.formatMoney(total, currency, { exact: state.exact }).text)}</b></div>`;
      },
    },
    xAxis: {
      type: 'category',
      data: months.map((m) => periodLabel(m, 'short')),
      axisTick: { alignWithLabel: true },
      axisLabel: {
        color: '#5f6b7a',
        interval: 0,
        // the selected period (the last bar) in bold
        formatter: (label, index) => (months[index] === state.period ? `{picked|${label}}` : label),
        rich: { picked: { color: '#1b2430', fontWeight: 'bold' } },
      },
    },
    yAxis: { type: 'value', axisLabel: { formatter: axisMoney(currency), color: '#5f6b7a' }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    series: partners.map((p) => ({
      name: p,
      type: 'bar',
      stack: 'share',
      barMaxWidth: 42,
      emphasis: { focus: 'series' },
      data: months.map((m) => (amounts.get(p).has(m) ? money.toChartNumber(amounts.get(p).get(m)) : 0)),
    })),
  }, { notMerge: true });
  chart.off('click');
  chart.on('click', (event) => {
    choosePartner(event.seriesName);
    choosePeriod(months[event.dataIndex]);
  });
  node.dataset.partners = partners.join(',');
  node.dataset.currency = currency ?? '';
  node.dataset.from = months[0];
  node.dataset.to = months[months.length - 1];
  node.dataset.state = 'ready';
}

// ---------------------------------------------------------------- daily line chart

async function loadDaily() {
  const mine = ++generation.daily;
  const node = $('daily-chart');
  state.renderDailyNote = null;
  const partner = state.partner;
  const period = state.period;
  $('daily-heading').textContent = partner ? `Daily amounts · ${partner}` : 'Daily amounts';
  $('daily-caption').textContent = partner ? periodLabel(period) : '';
  if (!partner) {
    charts.daily?.clear();
    node.dataset.state = 'idle';
    $('daily-note').textContent = 'Choose a partner in the table.';
    return;
  }
  node.dataset.state = 'loading';
  const entries = [];
  let cursor = null;
  let pages = 0;
  try {
    do {
      const page = await getJson(`${API}/partners/${encodeURIComponent(partner)}/entries?period=${period}`
        + `&limit=${DAILY_PAGE_LIMIT}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      if (mine !== generation.daily) {
        return;
      }
      entries.push(...(page.entries ?? []));
      cursor = page.nextCursor ?? null;
      pages += 1;
    } while (cursor && pages < DAILY_MAX_PAGES);
  } catch (error) {
    if (mine === generation.daily) {
      setMessage('daily-message', describe(error), 'error');
      node.dataset.state = 'error';
      charts.daily?.clear();
      $('daily-note').textContent = '';
    }
    return;
  }
  setMessage('daily-message', null);
  const currency = entries[0]?.currency ?? state.currencies.get(partner) ?? 'USD';
  const days = daysIn(period);
  const perDay = Array.from({ length: days }, () => money.ZERO);
  let undated = money.ZERO;
  let undatedCount = 0;
  for (const entry of entries) {
    if (entry.kind === 'PERIOD_CLOSED') {
      continue;
    }
    const amount = money.parseDecimal(entry.amount);
    const time = entry.eventTime ? new Date(entry.eventTime) : null;
    const inMonth = time && !Number.isNaN(time.getTime())
      && `${time.getUTCFullYear()}-${String(time.getUTCMonth() + 1).padStart(2, '0')}` === period;
    if ((entry.kind === 'USAGE' || entry.kind === 'REVERSAL') && inMonth) {
      perDay[time.getUTCDate() - 1] = money.add(perDay[time.getUTCDate() - 1], amount);
    } else {
      undated = money.add(undated, amount);
      undatedCount += 1;
    }
  }
  const today = new Date();
  const lastDay = period === currentPeriod() ? today.getUTCDate() : days;
  const chart = chartInstance('daily', node);
  if (!chart) {
    return;
  }
  const exactByDay = perDay.map((d) => money.toPlainString(d));
  chart.setOption({
    animation: false,
    textStyle: { fontFamily: getComputedStyle(document.body).fontFamily },
    color: ['#1f5fbf'],
    grid: { left: 64, right: 12, top: 20, bottom: 28 },
    tooltip: {
      trigger: 'axis',
      formatter: (params) => {
        const index = params[0]?.dataIndex ?? 0;
        return `<b>${escapeHtml(period)}-${String(index + 1).padStart(2, '0')}</b><br>${
          escapeHtml(money.formatMoney(exactByDay[index], currency, { exact: state.exact }).text)}`;
      },
    },
    xAxis: {
      type: 'category', boundaryGap: false, data: perDay.map((_, i) => String(i + 1)),
      axisLabel: { color: '#5f6b7a' },
    },
    yAxis: { type: 'value', axisLabel: { formatter: axisMoney(currency), color: '#5f6b7a' }, splitLine: { lineStyle: { color: '#eef1f5' } } },
    series: [{
      name: partner,
      type: 'line',
      smooth: false,
      symbolSize: 5,
      areaStyle: { opacity: 0.08 },
      data: perDay.map((d, i) => (i < lastDay ? money.toChartNumber(d) : null)),
    }],
  }, { notMerge: true });
  const dated = money.sum(perDay);
  const datedCount = entries.length - undatedCount - entries.filter((e) => e.kind === 'PERIOD_CLOSED').length;
  const truncated = Boolean(cursor);
  state.renderDailyNote = () => {
    const format = (d) => money.formatMoney(d, currency, { exact: state.exact }).text;
    $('daily-note').textContent = `Usage and reversals by the UTC day of their event: ${format(dated)} over `
      + `${datedCount} entries. Not dated in this month (adjustments, true-ups, late usage): ${format(undated)} `
      + `over ${undatedCount} entries.${truncated ? ` Only the first ${entries.length} entries are charted.` : ''}`;
  };
  state.renderDailyNote();
  node.dataset.partner = partner;
  node.dataset.period = period;
  node.dataset.datedTotal = money.toPlainString(dated);
  node.dataset.undatedTotal = money.toPlainString(undated);
  node.dataset.state = 'ready';
}

// ---------------------------------------------------------------- statement

async function loadStatement() {
  const mine = ++generation.statement;
  const section = $('statement');
  const partner = state.partner;
  const period = state.period;
  $('download-csv').disabled = true;
  if (!partner) {
    state.statement = null;
    section.dataset.state = 'idle';
    $('statement-body').hidden = true;
    $('statement-empty').hidden = false;
    return;
  }
  section.dataset.state = 'loading';
  let statement;
  try {
    statement = await getJson(`${API}/partners/${encodeURIComponent(partner)}/statements/${period}`);
  } catch (error) {
    if (mine === generation.statement) {
      state.statement = null;
      setMessage('statement-message', describe(error), 'error');
      $('statement-body').hidden = true;
      $('statement-empty').hidden = true;
      section.dataset.state = 'error';
    }
    return;
  }
  if (mine !== generation.statement) {
    return;
  }
  setMessage('statement-message', null);
  state.statement = statement;
  state.currencies.set(statement.partnerId, statement.currency);
  renderStatement();
  $('download-csv').disabled = false;
  section.dataset.partner = statement.partnerId;
  section.dataset.period = statement.period;
  section.dataset.state = 'ready';
}

function renderStatement() {
  const s = state.statement;
  if (!s) {
    return;
  }
  $('statement-empty').hidden = true;
  $('statement-body').hidden = false;
  $('statement-heading').textContent = `Statement · ${s.partnerId} · ${periodLabel(s.period)}`;
  $('statement-partner').textContent = s.partnerId;
  $('statement-period').textContent = s.period;
  const status = $('statement-status');
  status.textContent = s.status;
  status.className = `pill ${s.status === 'CLOSED' ? 'pill-closed' : 'pill-open'}`;
  $('statement-closed-at').textContent = s.closedAt ? `on ${s.closedAt.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC')}` : '';
  $('statement-currency').textContent = s.currency;
  const events = $('statement-event-count');
  events.textContent = money.formatQuantity(s.eventCount);
  events.dataset.value = String(s.eventCount ?? '');
  moneyInto($('statement-total'), s.total, s.currency, 'total');
  moneyInto($('statement-amount-due'), s.amountDue, s.currency, 'amountDue');

  const lines = s.lines ?? [];
  $('statement-lines').tBodies[0].replaceChildren(...(lines.length === 0
    ? [el('tr', {}, el('td', { className: 'empty', colspan: 6 }, 'No usage in this period.'))]
    : lines.map((line, index) => el('tr', { dataset: { line: String(index), model: line.model ?? '', metric: line.metric ?? '' } },
      el('td', { dataset: { field: 'model' } }, line.model ?? '—'),
      el('td', { dataset: { field: 'metric' } }, line.metric ?? '—'),
      quantityCell(line.quantity, 'quantity'),
      moneyCell(line.revenue, s.currency, 'revenue'),
      moneyCell(line.amount, s.currency, 'amount'),
      el('td', { className: 'action' }, el('button', {
        className: 'link entries-link', type: 'button',
        onclick: () => openEntries({
          title: `${line.model} · ${line.metric}`,
          lineAmount: line.amount,
          filter: (e) => (e.kind === 'USAGE' || e.kind === 'REVERSAL') && e.model === line.model && e.metric === line.metric,
        }),
      }, 'Entries →'))))));
  const usage = money.sum(lines.map((l) => l.amount));
  $('statement-lines').tFoot.replaceChildren(el('tr', {},
    el('td', { colspan: 4 }, `Usage · ${lines.length} line${lines.length === 1 ? '' : 's'}`),
    moneyCell(money.toPlainString(usage), s.currency, 'usageSubtotal'),
    el('td')));

  const adjustments = s.adjustments ?? [];
  $('statement-adjustments').tBodies[0].replaceChildren(...(adjustments.length === 0
    ? [el('tr', {}, el('td', { className: 'empty', colspan: 3 }, 'No adjustments in this period.'))]
    : adjustments.map((adjustment) => el('tr', { dataset: { kind: adjustment.kind } },
      el('td', { dataset: { field: 'kind' }, title: adjustment.kind }, KIND_LABELS[adjustment.kind] ?? adjustment.kind),
      moneyCell(adjustment.amount, s.currency, 'amount'),
      el('td', { className: 'action' }, el('button', {
        className: 'link entries-link', type: 'button',
        onclick: () => openEntries({ title: KIND_LABELS[adjustment.kind] ?? adjustment.kind, kind: adjustment.kind, lineAmount: adjustment.amount }),
      }, 'Entries →'))))));
}

async function downloadCsv() {
  const s = state.statement;
  if (!s) {
    return;
  }
  const button = $('download-csv');
  button.disabled = true;
  try {
    const response = await request(`${API}/partners/${encodeURIComponent(s.partnerId)}/statements/${s.period}.csv`, 'text/csv');
    const blob = await response.blob();
    const url = URL.createObjectURL(blob);
    const link = el('a', { href: url, download: `statement-${s.partnerId}-${s.period}.csv` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 60_000);
    $('statement').dataset.downloaded = `statement-${s.partnerId}-${s.period}.csv`;
  } catch (error) {
    setMessage('statement-message', `CSV download failed: ${describe(error)}`, 'error');
  } finally {
    button.disabled = false;
  }
}

// ---------------------------------------------------------------- entries (drill-down, paged by nextCursor)

function openEntries(spec) {
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

function closeEntries() {
  generation.entries += 1;
  state.entries = null;
  $('entries').hidden = true;
  $('entries').dataset.state = 'idle';
}

async function loadMoreEntries() {
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

function renderEntries() {
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

// ---------------------------------------------------------------- freshness

function setFreshness(text, level, title) {
  const badge = $('freshness');
  badge.textContent = text;
  badge.className = `badge badge-${level}`;
  badge.title = title;
}

function ago(ms) {
  const minutes = Math.round(ms / 60_000);
  if (ms < 60_000) {
    return 'under a minute ago';
  }
  if (minutes < 120) {
    return `${minutes} min ago`;
  }
  const hours = Math.round(minutes / 60);
  return hours < 48 ? `${hours} h ago` : `${Math.round(hours / 24)} days ago`;
}

async function loadFreshness() {
  if (!state.token) {
    return;
  }
  let rows;
  try {
    rows = await getJson(`${API}/freshness`);
  } catch (error) {
    setFreshness(error.status === 403 ? 'Freshness not visible to this token' : 'Freshness unknown',
      error.status === 403 ? 'muted' : 'bad', describe(error));
    return;
  }
  const badge = $('freshness');
  if (!Array.isArray(rows) || rows.length === 0) {
    setFreshness('No ledger entries applied yet', 'muted', '');
    badge.dataset.latest = '';
    return;
  }
  const latest = rows.map((r) => r.postedAt).filter(Boolean).sort((a, b) => Date.parse(a) - Date.parse(b)).pop();
  const age = Date.now() - Date.parse(latest);
  const level = age <= FRESH_MS ? 'ok' : age <= STALE_MS ? 'warn' : 'muted';
  const title = 'Last ledger entry applied per partner (sequence, posted at):\n'
    + rows.map((r) => `${r.partnerId}: #${r.sequence} at ${r.postedAt}`).join('\n');
  setFreshness(`Ledger data through ${latest.slice(0, 16).replace('T', ' ')} UTC · ${ago(Math.max(0, age))}`, level, title);
  badge.dataset.latest = latest;
}

// ---------------------------------------------------------------- start

function start() {
  document.body.dataset.state = 'loading';
  const fragmentState = readFragmentState();
  state.period = fragmentState.period ?? currentPeriod();
  state.partner = partnerOfToken() ?? fragmentState.partner;
  fillPeriodPicker();
  writeFragmentState();
  loadFreshness();
  clearInterval(freshnessTimer);
  freshnessTimer = setInterval(loadFreshness, FRESHNESS_POLL_MS);
  loadPeriod();
}

function wire() {
  $('token-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const token = $('token-input').value.trim().replace(/^Bearer\s+/i, '');
    $('token-input').value = '';
    if (signIn(token)) {
      start();
    }
  });
  $('sign-out').addEventListener('click', () => showTokenPanel(null));
  $('period').addEventListener('change', (event) => choosePeriod(event.target.value));
  $('period-prev').addEventListener('click', () => choosePeriod(shiftPeriod(state.period, -1)));
  $('period-next').addEventListener('click', () => choosePeriod(shiftPeriod(state.period, 1)));
  $('exact').addEventListener('change', (event) => {
    state.exact = event.target.checked;
    renderOverview();
    renderStatement();
    renderEntries();
    state.renderDailyNote?.();
    if (state.revenue) {
      renderRevenue();
    }
  });
  $('partners').tHead.addEventListener('click', (event) => {
    const th = event.target.closest('th[data-sort]');
    if (!th) {
      return;
    }
    const key = th.dataset.sort;
    state.sort = { key, direction: state.sort.key === key ? -state.sort.direction : (MONEY_FIELDS.includes(key) || key === 'eventCount' ? -1 : 1) };
    renderOverview();
  });
  $('download-csv').addEventListener('click', downloadCsv);
  $('entries-more').addEventListener('click', loadMoreEntries);
  $('entries-close').addEventListener('click', closeEntries);
  window.addEventListener('resize', () => Object.values(charts).forEach((c) => c?.resize()));
  window.addEventListener('hashchange', () => {
    const wanted = readFragmentState();
    if (new URLSearchParams(location.hash.slice(1)).has('token')) {
      // a new token handed over while the page is open
      takeTokenFromAddress();
      if (signIn(sessionStorage.getItem(TOKEN_KEY))) {
        start();
      }
      return;
    }
    if (wanted.partner && !partnerOfToken()) {
      choosePartner(wanted.partner);
    }
    if (wanted.period) {
      choosePeriod(wanted.period);
    }
  });
}

function main() {
  const warning = takeTokenFromAddress();
  wire();
  const token = sessionStorage.getItem(TOKEN_KEY);
  if (!token) {
    showTokenPanel(warning);
    return;
  }
  if (signIn(token)) {
    if (warning) {
      setMessage('global-message', warning);
    }
    start();
  }
}

main();
