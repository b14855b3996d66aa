// revshare finance dashboard: a static page over the reporting API (SPEC §6), the entry module.
//
// Auth: a bearer token pasted by the user or handed over in the URL fragment (#token=…, which a
// browser never sends to a server); kept in sessionStorage only and removed from the address bar.
// Every figure shown comes from the API as an exact decimal string and is formatted from that
// string (money.js); the exact value is on each cell's data-value and title.
//
// One module per section of the page: state.js (constants and mutable state), auth.js, http.js,
// dom.js, periods.js (periods and the address fragment), overview.js, revenue-chart.js,
// daily-chart.js, statement.js (with proof.js), entries.js, freshness.js; the finance views of
// issue 13 in views.js, receivables.js, reconciliation.js and audit.js (config.js tells where the
// ledger's and ingest's APIs are); this module wires them and starts.

import { TOKEN_KEY, FRESHNESS_POLL_MS, MONEY_FIELDS, $, state, charts, timers } from './state.js';
import { takeTokenFromAddress, partnerOfToken, showTokenPanel, signIn } from './auth.js';
import { setMessage } from './dom.js';
import { currentPeriod, shiftPeriod, readFragmentState, writeFragmentState, fillPeriodPicker, choosePeriod, choosePartner } from './periods.js';
import { loadPeriod, renderOverview } from './overview.js';
import { renderRevenue } from './revenue-chart.js';
import { renderStatement, downloadCsv } from './statement.js';
import { closeEntries, loadMoreEntries, renderEntries } from './entries.js';
import { loadFreshness } from './freshness.js';
import { wireViews, startViews } from './views.js';
import { showReceivables, wireReceivables, renderReceivables } from './receivables.js';
import { showReconciliation, wireReconciliation } from './reconciliation.js';
import { showAudit, wireAudit } from './audit.js';

function start() {
  document.body.dataset.state = 'loading';
  const fragmentState = readFragmentState();
  state.period = fragmentState.period ?? currentPeriod();
  state.partner = partnerOfToken() ?? fragmentState.partner;
  fillPeriodPicker();
  writeFragmentState();
  loadFreshness();
  clearInterval(timers.freshness);
  timers.freshness = setInterval(loadFreshness, FRESHNESS_POLL_MS);
  loadPeriod();
  startViews();
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
    renderReceivables();
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
  wireViews({ overview: () => Object.values(charts).forEach((c) => c?.resize()), receivables: showReceivables,
    reconciliation: showReconciliation, audit: showAudit });
  wireReceivables();
  wireReconciliation();
  wireAudit();
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
