// Freshness: the badge saying how recent the applied ledger data is.

import { API, FRESH_MS, STALE_MS, $, state } from './state.js';
import { getJson, describe } from './http.js';

export function setFreshness(text, level, title) {
  const badge = $('freshness');
  badge.textContent = text;
  badge.className = `badge badge-${level}`;
  badge.title = title;
}

export function ago(ms) {
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

export async function loadFreshness() {
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
