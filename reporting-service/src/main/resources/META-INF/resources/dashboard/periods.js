// Periods and the address fragment: month arithmetic, the period picker, choosing a period or partner.

import { PERIOD_CHOICES, $, state } from './state.js';
import { el } from './dom.js';
import { loadPeriod, markSelectedRow } from './overview.js';
import { loadDaily } from './daily-chart.js';
import { loadStatement } from './statement.js';
import { closeEntries } from './entries.js';

export function currentPeriod() {
  const now = new Date();
  return `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function shiftPeriod(period, months) {
  const [year, month] = period.split('-').map(Number);
  const index = year * 12 + (month - 1) + months;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function periodLabel(period, style = 'long') {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, 1)).toLocaleDateString(undefined, {
    year: style === 'long' ? 'numeric' : '2-digit', month: style, timeZone: 'UTC',
  });
}

export function daysIn(period) {
  const [year, month] = period.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

export function readFragmentState() {
  const fragment = new URLSearchParams(location.hash.slice(1));
  const period = fragment.get('period');
  const partner = fragment.get('partner');
  return {
    period: /^\d{4}-(0[1-9]|1[0-2])$/.test(period ?? '') ? period : null,
    partner: /^[a-z0-9][a-z0-9-]{1,62}$/.test(partner ?? '') ? partner : null,
  };
}

export function writeFragmentState() {
  const fragment = new URLSearchParams();
  fragment.set('period', state.period);
  if (state.partner) {
    fragment.set('partner', state.partner);
  }
  // the chosen view (views.js) stays in the address
  const view = new URLSearchParams(location.hash.slice(1)).get('view');
  if (view) {
    fragment.set('view', view);
  }
  history.replaceState(null, '', `${location.pathname}${location.search}#${fragment}`);
}

export function fillPeriodPicker() {
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

export function choosePeriod(period) {
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

export function choosePartner(partnerId) {
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
