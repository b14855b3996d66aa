// Where the ledger's and ingest's APIs are: GET /dashboard/config.json (public, served by reporting's
// DashboardConfigResource), read once per page. The reporting API is this page's own origin.

import { HttpError } from './auth.js';

let loaded = null;

async function fetchConfig() {
  let response;
  try {
    response = await fetch(new URL('config.json', import.meta.url), { cache: 'no-store', credentials: 'omit' });
  } catch (e) {
    throw new HttpError(0, { detail: 'The dashboard configuration (config.json) cannot be read.' });
  }
  if (!response.ok) {
    throw new HttpError(response.status, { detail: 'The dashboard configuration (config.json) cannot be read.' });
  }
  return response.json();
}

/** {ledgerUrl, ingestUrl}; a failed read is retried on the next call. */
export function dashboardConfig() {
  if (!loaded) {
    loaded = fetchConfig().catch((error) => {
      loaded = null;
      throw error;
    });
  }
  return loaded;
}

/** The base URL (no trailing slash) of 'ledger' or 'ingest'. */
export async function serviceUrl(service) {
  const config = await dashboardConfig();
  const url = service === 'ledger' ? config.ledgerUrl : service === 'ingest' ? config.ingestUrl : null;
  if (!url) {
    throw new HttpError(0, { detail: `No ${service} URL in the dashboard configuration.` });
  }
  return url.replace(/\/+$/, '');
}
