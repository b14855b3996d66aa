// Proof and settlement on a statement (SPEC §4.1, §6 v2): reporting's own proof of the period
// (entry count, sequences, SHA-256 over its entries) beside the ledger's proof
// (GET /api/v1/partners/{id}/periods/{period}/proof, finance and admin) with replayMatches, whether
// the two hashes agree, and the statement's settlement block (due date, allocated, outstanding).

import { $, state } from './state.js';
import { partnerOfToken } from './auth.js';
import { getJsonFrom, describe } from './http.js';
import { moneyInto } from './dom.js';

let generation = 0;

function verdict(node, ok, yes, no) {
  node.textContent = ok ? yes : no;
  node.className = ok ? 'verdict-ok' : 'verdict-bad';
  node.dataset.value = String(ok);
}

/** The settlement figures (re-rendered when "exact amounts" changes). */
export function renderSettlement(statement) {
  if (!$('statement-settlement')) {
    return;
  }
  const settlement = statement.settlement ?? null;
  $('settlement-due-on').textContent = settlement?.dueOn ?? (statement.status === 'CLOSED' ? '—' : 'not billed while open');
  $('settlement-due-on').dataset.value = settlement?.dueOn ?? '';
  moneyInto($('settlement-allocated'), settlement?.allocated ?? null, statement.currency, 'allocated');
  moneyInto($('settlement-outstanding'), settlement?.outstanding ?? null, statement.currency, 'outstanding');
}

/** Reporting's proof at once, then the ledger's; {@code statement} is the reporting statement JSON. */
export async function loadProof(statement) {
  const block = $('statement-proof');
  if (!block) {
    return;
  }
  const mine = ++generation;
  const proof = statement.proof ?? null;
  $('proof-entry-count').textContent = proof ? String(proof.entryCount) : '—';
  $('proof-entry-count').dataset.value = proof ? String(proof.entryCount) : '';
  $('proof-sequences').textContent = proof?.firstSequence ? `${proof.firstSequence} – ${proof.lastSequence}` : '—';
  $('proof-sha256').textContent = proof?.sha256 ?? '—';
  $('proof-sha256').dataset.value = proof?.sha256 ?? '';
  const ledgerHash = $('proof-ledger-sha256');
  const replay = $('proof-replay');
  const agree = $('proof-agree');
  for (const node of [ledgerHash, replay, agree]) {
    node.textContent = '…';
    node.className = node === ledgerHash ? 'mono hash' : '';
    node.dataset.value = '';
  }
  block.dataset.state = 'loading';
  if (partnerOfToken()) {
    for (const node of [ledgerHash, replay, agree]) {
      node.textContent = '—';
    }
    $('proof-note').textContent = 'The ledger\'s proof is for finance and admin tokens; the hash above is reporting\'s.';
    block.dataset.state = 'ready';
    return;
  }
  let ledger;
  try {
    ledger = await getJsonFrom('ledger', `/api/v1/partners/${encodeURIComponent(statement.partnerId)}`
      + `/periods/${statement.period}/proof`);
  } catch (error) {
    if (mine === generation) {
      for (const node of [ledgerHash, replay, agree]) {
        node.textContent = '—';
      }
      $('proof-note').textContent = `The ledger's proof could not be read: ${describe(error)}`;
      block.dataset.state = 'error';
    }
    return;
  }
  if (mine !== generation || state.statement !== statement) {
    return;
  }
  ledgerHash.textContent = ledger.sha256;
  ledgerHash.dataset.value = ledger.sha256;
  verdict(replay, ledger.replayMatches === true, 'replay matches the stored entries',
    'replay differs from the stored entries');
  const same = Boolean(proof) && proof.sha256 === ledger.sha256 && Number(proof.entryCount) === Number(ledger.entryCount);
  verdict(agree, same, 'agree', 'differ');
  $('proof-note').textContent = `SHA-256 over the period's ${ledger.entryCount} entries (all kinds, payments and the close `
    + 'included), one line per entry in sequence order (SPEC §4.1). The ledger re-derives them from its recorded '
    + 'inputs for the replay; reporting hashes the entries it holds.'
    + (same ? '' : ' Differing hashes while reporting catches up are expected; a lasting difference is a defect.');
  block.dataset.state = 'ready';
}
