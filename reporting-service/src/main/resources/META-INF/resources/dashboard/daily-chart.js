// Daily line chart: one partner's usage per UTC day of the month.

import * as money from './money.js';
import { API, DAILY_PAGE_LIMIT, DAILY_MAX_PAGES, $, state, generation, charts } from './state.js';
import { getJson, describe } from './http.js';
import { setMessage } from './dom.js';
import { currentPeriod, periodLabel, daysIn } from './periods.js';
import { chartInstance, escapeHtml, axisMoney } from './revenue-chart.js';

/** Kinds that are no charge of the period (SPEC §4 v2): the close, and payments. */
const NO_MONEY_KINDS = ['PERIOD_CLOSED', 'PAYMENT'];

export async function loadDaily() {
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
    if (NO_MONEY_KINDS.includes(entry.kind)) {
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
  const datedCount = entries.length - undatedCount - entries.filter((e) => NO_MONEY_KINDS.includes(e.kind)).length;
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
