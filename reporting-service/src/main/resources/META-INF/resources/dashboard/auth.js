// Auth: the token from the address fragment or the sign-in panel, its claims, signing in and out.

import { TOKEN_KEY, $, state, timers } from './state.js';
import { el, setMessage } from './dom.js';
import { setFreshness } from './freshness.js';

export class HttpError extends Error {
  constructor(status, problem) {
    super(problem?.detail || problem?.title || `HTTP ${status}`);
    this.status = status;
    this.problem = problem;
  }
}

export function decodeClaims(token) {
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
export function takeTokenFromAddress() {
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

export function partnerOfToken() {
  const groups = state.claims?.groups ?? [];
  const isStaff = groups.includes('finance') || groups.includes('admin');
  return !isStaff && groups.includes('partner') ? state.claims.partner_id ?? null : null;
}

export function showTokenPanel(message) {
  state.token = null;
  state.claims = null;
  sessionStorage.removeItem(TOKEN_KEY);
  clearInterval(timers.freshness);
  $('dashboard').hidden = true;
  $('who').hidden = true;
  $('sign-out').hidden = true;
  $('token-panel').hidden = false;
  setMessage('token-message', message, 'error');
  setFreshness('Signed out', 'muted', '');
  document.body.dataset.state = 'signed-out';
  $('token-input').focus();
}

export function signIn(token) {
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
