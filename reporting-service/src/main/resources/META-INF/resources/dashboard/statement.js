// Statement: lines, adjustments, totals and the CSV download of one partner and period.

import * as money from './money.js';
import { API, KIND_LABELS, $, state, generation } from './state.js';
import { request, getJson, describe } from './http.js';
import { el, setMessage, moneyInto, moneyCell, quantityCell } from './dom.js';
import { periodLabel } from './periods.js';
import { openEntries } from './entries.js';
import { loadProof, renderSettlement } from './proof.js';

export async function loadStatement() {
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
  loadProof(statement);
  $('download-csv').disabled = false;
  section.dataset.partner = statement.partnerId;
  section.dataset.period = statement.period;
  section.dataset.state = 'ready';
}

export function renderStatement() {
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
  renderSettlement(s);

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

export async function downloadCsv() {
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
