// Reconciliation (SPEC §2.6): a partner's control totals from ingest
// (GET /api/v1/partners/{id}/controls?from=&to=) as a strip of UTC hours coloured by the status of
// the controls covering each hour; the reported, received and difference figures of the chosen
// control; and the ledger entries behind its window. The entries come from reporting's entries API
// (SPEC §6), which filters by booking period only: the window's months and the month after (where a
// late event of a closed month is booked) are read and filtered here by eventTime in [from, to).

import * as money from './money.js';
import { API, KIND_LABELS, $, state } from './state.js';
import { partnerOfToken } from './auth.js';
import { getJson, getJsonFrom, describe } from './http.js';
import { el, setMessage, moneyInto, quantityCell } from './dom.js';
import { shiftPeriod } from './periods.js';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
/** Days shown by default, and at most (a control spans at most 744 hours = 31 days). */
const DEFAULT_DAYS = 7;
const MAX_DAYS = 31;
const METRICS = ['input_tokens', 'output_tokens', 'requests'];
/** Which status colours an hour covered by several controls: the one that needs attention first. */
const STATUS_RANK = { SHORT: 4, MISMATCH: 3, OVER: 2, MATCHED: 1 };
/** Reading a window's entries: page size and pages per booking period at most. */
const ENTRY_PAGE_LIMIT = 1000;
const ENTRY_MAX_PAGES = 20;
const WINDOW_KINDS = ['USAGE', 'LATE_USAGE', 'REVERSAL'];

const view = { partners: [], controls: [], selected: null, generation: 0, entriesGeneration: 0, loadedFor: null };

function isoDate(ms) {
  return new Date(ms).toISOString().slice(0, 10);
}

function dayStart(date) {
  return Date.parse(`${date}T00:00:00Z`);
}

/** An instant as the APIs write whole hours: 2026-11-01T12:00:00Z (no milliseconds). */
function isoInstant(ms) {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}

function utc(instant) {
  return instant ? instant.replace('T', ' ').replace(/(:00)?(\.0+)?Z$/, '').replace(/Z$/, '') + ' UTC' : '—';
}

/** Partners to choose from: the ledger's registry for finance and admin, the token's own for a partner. */
export async function partnerIds() {
  const own = partnerOfToken();
  if (own) {
    return [own];
  }
  try {
    const partners = await getJsonFrom('ledger', '/api/v1/partners');
    return partners.map((p) => p.partnerId).sort();
  } catch (error) {
    // the ledger unreachable: the partners reporting knows
    const rows = await getJson(`${API}/freshness`);
    return rows.map((r) => r.partnerId).sort();
  }
}

export async function showReconciliation(reload = false) {
  if (!reload && view.loadedFor === state.token) {
    return;
  }
  view.loadedFor = state.token;
  const from = $('recon-from');
  const to = $('recon-to');
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (!to.value) {
    to.value = isoDate(dayStart(isoDate(Date.now())) + DAY_MS);
  }
  if (!from.value) {
    from.value = isoDate(dayStart(to.value) - DEFAULT_DAYS * DAY_MS);
  }
  let ids;
  try {
    ids = await partnerIds();
  } catch (error) {
    setMessage('recon-message', describe(error), 'error');
    $('reconciliation').dataset.state = 'error';
    return;
  }
  view.partners = ids;
  const select = $('recon-partner');
  const wanted = partnerOfToken() ?? fragment.get('partner') ?? state.partner ?? select.value;
  select.replaceChildren(...ids.map((id) => el('option', { value: id }, id)));
  select.value = ids.includes(wanted) ? wanted : (ids[0] ?? '');
  select.disabled = Boolean(partnerOfToken());
  loadControls();
}

export async function loadControls() {
  const mine = ++view.generation;
  const section = $('reconciliation');
  const partner = $('recon-partner').value;
  let fromDate = $('recon-from').value;
  let toDate = $('recon-to').value;
  if (!partner || !fromDate || !toDate) {
    return;
  }
  if (dayStart(toDate) <= dayStart(fromDate)) {
    toDate = isoDate(dayStart(fromDate) + DAY_MS);
  }
  if (dayStart(toDate) - dayStart(fromDate) > MAX_DAYS * DAY_MS) {
    fromDate = isoDate(dayStart(toDate) - MAX_DAYS * DAY_MS);
  }
  $('recon-from').value = fromDate;
  $('recon-to').value = toDate;
  section.dataset.state = 'loading';
  closeControl();
  const from = `${fromDate}T00:00:00Z`;
  const to = `${toDate}T00:00:00Z`;
  let controls;
  try {
    controls = await getJsonFrom('ingest', `/api/v1/partners/${encodeURIComponent(partner)}/controls?from=${from}&to=${to}`);
  } catch (error) {
    if (mine === view.generation) {
      view.controls = [];
      $('recon-strip').replaceChildren();
      setMessage('recon-message', describe(error), 'error');
      section.dataset.state = 'error';
    }
    return;
  }
  if (mine !== view.generation) {
    return;
  }
  setMessage('recon-message', null);
  view.controls = Array.isArray(controls) ? controls : [];
  view.partner = partner;
  view.from = dayStart(fromDate);
  view.to = dayStart(toDate);
  renderStrip();
  section.dataset.partner = partner;
  section.dataset.from = from;
  section.dataset.to = to;
  section.dataset.controls = String(view.controls.length);
  section.dataset.state = 'ready';
}

function coveringControls(hourMs) {
  return view.controls.filter((c) => Date.parse(c.from) <= hourMs && hourMs < Date.parse(c.to));
}

function worst(controls) {
  return controls.reduce((a, c) => ((STATUS_RANK[c.status] ?? 0) > (STATUS_RANK[a?.status] ?? 0) ? c : a), null);
}

function renderStrip() {
  const strip = $('recon-strip');
  const header = el('div', { className: 'strip-hours', 'aria-hidden': 'true' }, el('span'),
    ...Array.from({ length: 24 }, (_, h) => el('span', {}, h % 3 === 0 ? String(h).padStart(2, '0') : '')));
  const days = [];
  const counts = { MATCHED: 0, SHORT: 0, OVER: 0, MISMATCH: 0 };
  view.controls.forEach((c) => { counts[c.status] = (counts[c.status] ?? 0) + 1; });
  for (let day = view.from; day < view.to; day += DAY_MS) {
    const date = isoDate(day);
    const cells = [];
    for (let h = 0; h < 24; h++) {
      const hour = day + h * HOUR_MS;
      const covering = coveringControls(hour);
      const shown = worst(covering);
      const status = shown?.status ?? 'NONE';
      const label = `${date} ${String(h).padStart(2, '0')}:00 UTC: ${covering.length === 0 ? 'no control'
        : `${status.toLowerCase()} (${covering.length} control${covering.length === 1 ? '' : 's'})`}`;
      cells.push(el('button', {
        type: 'button', className: `strip-hour status-${status}`, title: label, 'aria-label': label,
        'aria-pressed': 'false', disabled: covering.length === 0,
        dataset: { hour: isoInstant(hour), status, control: shown?.controlId ?? '' },
        onclick: () => selectControl(shown, hour),
      }));
    }
    days.push(el('div', { className: 'strip-day', role: 'group', 'aria-label': date },
      el('span', { className: 'strip-day-label' }, date), ...cells));
  }
  strip.replaceChildren(header, ...days);
  $('recon-summary').textContent = view.controls.length === 0
    ? 'No control overlaps these days.'
    : `${view.controls.length} control${view.controls.length === 1 ? '' : 's'} overlap these days: `
      + Object.entries(counts).filter(([, n]) => n > 0).map(([s, n]) => `${n} ${s.toLowerCase()}`).join(', ') + '.';
}

function closeControl() {
  view.selected = null;
  view.entriesGeneration += 1;
  $('control').hidden = true;
  $('control').dataset.state = 'idle';
  $('hour-entries').hidden = true;
  $('hour-entries').dataset.state = 'idle';
}

function figureRow(key, label, values, render) {
  return el('tr', { dataset: { figure: key } }, el('th', { scope: 'row' }, label),
    ...['reported', 'received', 'difference'].map((part) => render(values[part], part)));
}

export function selectControl(control, hourMs) {
  if (!control) {
    return;
  }
  view.selected = control;
  view.entriesGeneration += 1;
  $('hour-entries').hidden = true;
  $('recon-strip').querySelectorAll('.strip-hour').forEach((cell) => {
    cell.setAttribute('aria-pressed', String(cell.dataset.hour === isoInstant(hourMs)));
  });
  const section = $('control');
  section.hidden = false;
  $('control-heading').textContent = `Control · ${view.partner}`;
  $('control-id').textContent = control.controlId;
  $('control-window').textContent = `${utc(control.from)} – ${utc(control.to)}`;
  $('control-reported-at').textContent = utc(control.reportedAt);
  const pill = $('control-status');
  pill.textContent = control.status;
  pill.className = `pill pill-${control.status}`;
  const figures = { reported: control.reported ?? {}, received: control.received ?? {}, difference: control.difference ?? {} };
  const pick = (f) => ({ reported: f(figures.reported), received: f(figures.received), difference: f(figures.difference) });
  const rows = [figureRow('eventCount', 'Usage events', pick((x) => x.eventCount),
    (v, part) => quantityCell(v === undefined || v === null ? null : String(v), part))];
  for (const metric of METRICS) {
    rows.push(figureRow(`quantities.${metric}`, `Quantity · ${metric}`, pick((x) => x.quantities?.[metric]),
      (v, part) => quantityCell(v ?? null, part)));
  }
  const currencies = [...new Set([figures.reported, figures.received, figures.difference]
    .flatMap((x) => Object.keys(x.revenue ?? {})))].sort();
  for (const currency of currencies) {
    rows.push(figureRow(`revenue.${currency}`, `Revenue · ${currency}`, pick((x) => x.revenue?.[currency]),
      (v, part) => moneyInto(el('td'), v ?? null, currency, part)));
  }
  $('control-table').tBodies[0].replaceChildren(...rows);
  const others = coveringControls(hourMs).filter((c) => c !== control);
  $('control-others').textContent = others.length
    ? `Other controls covering this hour: ${others.map((c) => `${c.controlId} (${c.status})`).join(', ')}.` : '';
  section.dataset.control = control.controlId;
  section.dataset.state = 'ready';
}

/** Booking periods that can hold the window's events: its months and the month after. */
function periodsOf(control) {
  const first = control.from.slice(0, 7);
  const last = new Date(Date.parse(control.to) - 1).toISOString().slice(0, 7);
  const periods = [];
  for (let p = first; p <= shiftPeriod(last, 1); p = shiftPeriod(p, 1)) {
    periods.push(p);
  }
  return periods;
}

export async function loadWindowEntries() {
  const control = view.selected;
  if (!control) {
    return;
  }
  const mine = ++view.entriesGeneration;
  const section = $('hour-entries');
  section.hidden = false;
  section.dataset.state = 'loading';
  const from = Date.parse(control.from);
  const to = Date.parse(control.to);
  const rows = [];
  let truncated = false;
  try {
    for (const period of periodsOf(control)) {
      let cursor = null;
      let pages = 0;
      do {
        const query = new URLSearchParams({ period, limit: String(ENTRY_PAGE_LIMIT) });
        if (cursor) {
          query.set('cursor', cursor);
        }
        const page = await getJson(`${API}/partners/${encodeURIComponent(view.partner)}/entries?${query}`);
        if (mine !== view.entriesGeneration) {
          return;
        }
        for (const e of page.entries ?? []) {
          const time = e.eventTime ? Date.parse(e.eventTime) : NaN;
          if (WINDOW_KINDS.includes(e.kind) && time >= from && time < to) {
            rows.push(e);
          }
        }
        cursor = page.nextCursor ?? null;
        pages += 1;
      } while (cursor && pages < ENTRY_MAX_PAGES);
      truncated ||= Boolean(cursor);
    }
  } catch (error) {
    if (mine === view.entriesGeneration) {
      setMessage('hour-entries-message', describe(error), 'error');
      section.dataset.state = 'error';
    }
    return;
  }
  setMessage('hour-entries-message', null);
  rows.sort((a, b) => a.sequence - b.sequence);
  renderWindowEntries(control, rows, truncated);
  section.dataset.control = control.controlId;
  section.dataset.state = 'ready';
  section.scrollIntoView({ behavior: 'instant', block: 'start' });
}

/** Events booked: a USAGE or LATE_USAGE counts +1 for its event, a REVERSAL −1; events left above 0. */
function bookedFigures(rows) {
  const net = new Map();
  const quantities = Object.fromEntries(METRICS.map((m) => [m, 0n]));
  for (const e of rows) {
    const sign = e.kind === 'REVERSAL' ? -1 : 1;
    if (e.usageEventId) {
      net.set(e.usageEventId, (net.get(e.usageEventId) ?? 0) + sign);
    }
    if (e.metric in quantities && e.quantity !== null && e.quantity !== undefined) {
      quantities[e.metric] += BigInt(e.quantity); // a reversal carries the negated quantity
    }
  }
  return { events: [...net.values()].filter((n) => n > 0).length, quantities };
}

function renderWindowEntries(control, rows, truncated) {
  const currency = rows[0]?.currency ?? Object.keys(control.received?.revenue ?? {})[0] ?? 'USD';
  $('hour-entries-heading').textContent = `Entries of ${utc(control.from)} – ${utc(control.to)}`;
  $('hour-entries-caption').textContent = `${view.partner} · USAGE, LATE_USAGE and REVERSAL entries whose event time `
    + `falls in the window, read from reporting's entries of ${periodsOf(control).join(', ')}, in sequence order.`;
  $('hour-entries-table').tBodies[0].replaceChildren(...(rows.length === 0
    ? [el('tr', {}, el('td', { className: 'empty', colspan: 8 }, 'No entries with an event time in this window.'))]
    : rows.map((e) => el('tr', { dataset: { sequence: String(e.sequence), kind: e.kind } },
      el('td', { className: 'num', dataset: { field: 'sequence' } }, String(e.sequence)),
      el('td', { dataset: { field: 'kind' } }, KIND_LABELS[e.kind] ?? e.kind),
      el('td', { className: 'mono' }, e.eventTime ? e.eventTime.replace('T', ' ').replace(/Z$/, '') : '—'),
      el('td', { className: 'mono', title: e.entryId }, e.usageEventId ?? '—'),
      el('td', {}, e.model ? `${e.model} · ${e.metric}` : '—'),
      quantityCell(e.quantity === null || e.quantity === undefined ? null : String(e.quantity), 'quantity'),
      moneyInto(el('td'), e.settlementRevenue, e.currency ?? currency, 'revenue'),
      moneyInto(el('td'), e.amount, e.currency ?? currency, 'amount')))));
  const booked = bookedFigures(rows);
  const received = control.received ?? {};
  const foot = $('hour-entries-foot');
  foot.dataset.bookedEvents = String(booked.events);
  METRICS.forEach((m) => { foot.dataset[`booked_${m}`] = booked.quantities[m].toString(); });
  const same = String(booked.events) === String(received.eventCount)
    && METRICS.every((m) => booked.quantities[m].toString() === String(received.quantities?.[m] ?? '0'));
  foot.textContent = `${rows.length} entr${rows.length === 1 ? 'y' : 'ies'}: ${money.formatQuantity(String(booked.events))} usage `
    + `event${booked.events === 1 ? '' : 's'} booked (ingest received ${money.formatQuantity(String(received.eventCount ?? 0))})`
    + `${same ? ' — the ledger booked every event ingest received in this window.'
      : ' — not all received events are booked yet (parked, unrated or still in flight), or some were re-rated.'}`
    + (truncated ? ' Only the first pages of a period were read.' : '');
}

export function wireReconciliation() {
  if (!$('reconciliation')) {
    return;
  }
  $('recon-partner').addEventListener('change', () => loadControls());
  $('recon-from').addEventListener('change', () => loadControls());
  $('recon-to').addEventListener('change', () => loadControls());
  $('control-entries').addEventListener('click', () => loadWindowEntries());
}
