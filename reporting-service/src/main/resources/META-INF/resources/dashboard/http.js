// HTTP: requests with the bearer token, problem details turned into messages.

import { state } from './state.js';
import { HttpError, showTokenPanel } from './auth.js';
import { serviceUrl } from './config.js';

/** {@code service} names whose API a failed connection is about: reporting (same origin), ledger or ingest. */
export async function request(path, accept = 'application/json', service = 'reporting') {
  let response;
  try {
    response = await fetch(path, {
      headers: { Authorization: `Bearer ${state.token}`, Accept: accept },
      cache: 'no-store',
      credentials: 'omit',
    });
  } catch (e) {
    throw new HttpError(0, { detail: `The ${service} service cannot be reached.` });
  }
  if (!response.ok) {
    let problem = null;
    try {
      problem = await response.json();
    } catch (e) {
      // not problem+json
    }
    if (response.status === 401) {
      showTokenPanel('The service rejected the token (401): it expired or was not signed by this deployment\'s key.');
    }
    throw new HttpError(response.status, problem);
  }
  return response;
}

export async function getJson(path) {
  return (await request(path)).json();
}

/** A JSON GET on the ledger's or ingest's API (another origin, allowed by CORS); path starts with /api/. */
export async function getJsonFrom(service, path) {
  const base = await serviceUrl(service);
  return (await request(`${base}${path}`, 'application/json', service)).json();
}

export function describe(error) {
  if (!(error instanceof HttpError)) {
    return `Unexpected error: ${error.message}`;
  }
  switch (error.status) {
    case 0:
      return error.message;
    case 401:
      return 'Not signed in (401).';
    case 403:
      return 'This token may not see this data (403).';
    case 404:
      return `Not found (404)${error.problem?.detail ? `: ${error.problem.detail}` : '.'}`;
    default:
      return `${error.status} ${error.problem?.title ?? 'error'}${error.problem?.detail ? `: ${error.problem.detail}` : ''}`;
  }
}
