// Revenue-share chart: 12 months of the summary stacked per partner; shared chart helpers.

import * as money from './money.js';
import { API, CHART_MONTHS, PALETTE, $, state, generation, charts } from './state.js';
import { getJson, describe } from './http.js';
import { el, setMessage } from './dom.js';
import { shiftPeriod, periodLabel, choosePeriod, choosePartner } from './periods.js';

export async function currencyOf(partnerId, period) {
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

export async function loadRevenue() {
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

export function markCurrencyChips() {
  $('revenue-currencies').querySelectorAll('.chip').forEach((chip) => {
    chip.setAttribute('aria-pressed', String(chip.textContent === state.chartCurrency));
  });
}

export function chartInstance(name, node) {
  if (!window.echarts) {
    node.textContent = 'The charting library did not load.';
    return null;
  }
  if (!charts[name]) {
    charts[name] = window.echarts.init(node, null, { renderer: 'canvas' });
  }
  return charts[name];
}

export function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));
}

export function axisMoney(currency) {
  let format;
  try {
    format = new Intl.NumberFormat(undefined, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 });
  } catch (e) {
    format = new Intl.NumberFormat(undefined, { notation: 'compact', maximumFractionDigits: 1 });
  }
  return (value) => format.format(value);
}

export function renderRevenue() {
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
