// Views: the overview (period table, charts, statement) and the finance views of issue 13
// (receivables, reconciliation, audit log), one shown at a time; the choice is kept in the address
// fragment as view=…. A page without the view tabs (the older markup) shows the overview only.

import { $ } from './state.js';
import { partnerOfToken } from './auth.js';

export const VIEWS = ['overview', 'receivables', 'reconciliation', 'audit'];
/** Views a partner token cannot use: the audit log is for finance and admin (SPEC §3.9). */
const STAFF_ONLY = ['audit'];

const shows = {};
let current = null;

function available(name) {
  return VIEWS.includes(name) && !(partnerOfToken() && STAFF_ONLY.includes(name));
}

export function viewFromAddress() {
  const wanted = new URLSearchParams(location.hash.slice(1)).get('view');
  return available(wanted) ? wanted : 'overview';
}

function writeView(name) {
  const fragment = new URLSearchParams(location.hash.slice(1));
  if (name === 'overview') {
    fragment.delete('view');
  } else {
    fragment.set('view', name);
  }
  const hash = fragment.toString();
  history.replaceState(null, '', `${location.pathname}${location.search}${hash ? `#${hash}` : ''}`);
}

/** Shows a view; {@code reload} asks it to read its data again (a new sign-in). */
export function showView(name, reload = false) {
  if (!$('views')) {
    return;
  }
  const view = available(name) ? name : 'overview';
  for (const other of VIEWS) {
    $(`view-${other}`).hidden = other !== view;
  }
  $('views').querySelectorAll('.view-tab').forEach((tab) => {
    tab.hidden = !available(tab.dataset.view);
    if (tab.dataset.view === view) {
      tab.setAttribute('aria-current', 'page');
    } else {
      tab.removeAttribute('aria-current');
    }
  });
  current = view;
  document.body.dataset.view = view;
  writeView(view);
  shows[view]?.(reload);
}

/** {@code views}: view name → show(reload) function of its module. */
export function wireViews(views) {
  if (!$('views')) {
    return;
  }
  Object.assign(shows, views);
  $('views').addEventListener('click', (event) => {
    const tab = event.target.closest('.view-tab');
    if (tab) {
      showView(tab.dataset.view);
    }
  });
  window.addEventListener('hashchange', () => {
    if (new URLSearchParams(location.hash.slice(1)).has('token')) {
      return; // a new token: start() shows the view
    }
    const wanted = viewFromAddress();
    if (wanted !== current) {
      showView(wanted);
    }
  });
}

/** After a sign-in: the view in the address, read afresh (the others reload when shown for a new token). */
export function startViews() {
  showView(viewFromAddress(), true);
}
