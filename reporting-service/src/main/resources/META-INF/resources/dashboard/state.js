// Dashboard constants and the page's mutable state, shared by every module.

export const TOKEN_KEY = 'revshare.token';
/** The reporting API, resolved from this module's URL so the page may live at / or under /dashboard/. */
export const API = new URL('../api/v1/reports', import.meta.url).pathname;
/** Months offered by the period picker, counting back from the current one. */
export const PERIOD_CHOICES = 36;
/** Months in the revenue-share chart, ending at the selected period. */
export const CHART_MONTHS = 12;
/** Page size and page limit when reading a month's entries for the daily chart. */
export const DAILY_PAGE_LIMIT = 1000;
export const DAILY_MAX_PAGES = 50;
/** Rows added per "Load more" in the entries view, and pages read at most to find them. */
export const ENTRIES_PAGE_LIMIT = 100;
export const ENTRIES_MAX_PAGES_PER_CLICK = 20;
export const FRESHNESS_POLL_MS = 30_000;
export const FRESH_MS = 5 * 60_000;
export const STALE_MS = 60 * 60_000;
export const PALETTE = ['#1f5fbf', '#2e9e6b', '#e0892b', '#7a4fd0', '#d0474f', '#1aa3b8', '#8c8f2a', '#c0569b',
  '#5b6b7f', '#a0522d', '#3b8bd9', '#6bbf59'];
export const KIND_LABELS = {
  USAGE: 'Usage',
  LATE_USAGE: 'Late usage',
  REVERSAL: 'Reversal',
  TIER_TRUE_UP: 'Tier true-up',
  MINIMUM_TRUE_UP: 'Minimum true-up',
  CAP_ADJUSTMENT: 'Cap adjustment',
  MANUAL_ADJUSTMENT: 'Manual adjustment',
  PERIOD_CLOSED: 'Period closed',
  PAYMENT: 'Payment',
};
export const MONEY_FIELDS = ['usageAmount', 'adjustmentsAmount', 'total', 'amountDue'];

export const $ = (id) => document.getElementById(id);

export const state = {
  token: null,
  claims: null,
  period: null,
  partner: null,
  exact: false,
  sort: { key: 'amountDue', direction: -1 },
  rows: [],
  currencies: new Map(),
  revenue: null,
  chartCurrency: null,
  statement: null,
  entries: null,
  renderDailyNote: null,
};
/** Per-loader request generations: a late answer for an older choice is dropped. */
export const generation = { overview: 0, revenue: 0, daily: 0, statement: 0, entries: 0 };
export const charts = { revenue: null, daily: null };
/** Timers that outlive one call (a module's `let` cannot be reassigned by its importers). */
export const timers = { freshness: null };
