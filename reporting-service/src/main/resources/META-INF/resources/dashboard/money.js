// Exact decimal arithmetic and money formatting for the dashboard.
//
// The reporting API sends amounts as decimal strings with their exact scale ("1234.56000000").
// A JavaScript number cannot hold them exactly, so sums and rounding here work on BigInt units
// at an explicit scale, and formatting writes the digits of the string itself; Intl.NumberFormat
// only supplies the locale's pattern (currency symbol, sign, separators). Number() is used for
// chart heights only (see toChartNumber).

const DECIMAL = /^([+-])?(\d+)(?:\.(\d+))?$/;

/** Parses a decimal string (or an integer number) into {units: BigInt, scale}. */
export function parseDecimal(value) {
  const text = String(value ?? '').trim();
  const match = DECIMAL.exec(text);
  if (!match) {
    throw new Error(`not a decimal: ${text}`);
  }
  const fraction = match[3] ?? '';
  const magnitude = BigInt(match[2] + fraction);
  return { units: match[1] === '-' ? -magnitude : magnitude, scale: fraction.length };
}

function rescale(d, scale) {
  return scale === d.scale ? d : { units: d.units * 10n ** BigInt(scale - d.scale), scale };
}

export const ZERO = Object.freeze({ units: 0n, scale: 0 });

export function add(a, b) {
  const scale = Math.max(a.scale, b.scale);
  return { units: rescale(a, scale).units + rescale(b, scale).units, scale };
}

export function sum(values) {
  return values.reduce((acc, v) => add(acc, typeof v === 'object' ? v : parseDecimal(v)), ZERO);
}

export function compare(a, b) {
  const scale = Math.max(a.scale, b.scale);
  const x = rescale(a, scale).units;
  const y = rescale(b, scale).units;
  return x < y ? -1 : x > y ? 1 : 0;
}

export function signum(d) {
  return d.units < 0n ? -1 : d.units > 0n ? 1 : 0;
}

/** Rounds HALF_EVEN to {@code scale} fraction digits (the SPEC's rounding mode); never widens. */
export function roundHalfEven(d, scale) {
  if (scale >= d.scale) {
    return d;
  }
  const factor = 10n ** BigInt(d.scale - scale);
  let quotient = d.units / factor;
  const remainder = d.units % factor;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice > factor || (twice === factor && quotient % 2n !== 0n)) {
    quotient += d.units < 0n ? -1n : 1n;
  }
  return { units: quotient, scale };
}

/** Drops trailing fraction zeros, but keeps at least {@code minScale} fraction digits. */
export function stripZeros(d, minScale) {
  let { units, scale } = d;
  while (scale > minScale && units % 10n === 0n) {
    units /= 10n;
    scale -= 1;
  }
  return scale < minScale ? rescale({ units, scale }, minScale) : { units, scale };
}

/** The plain decimal string, e.g. "-12.50000000". */
export function toPlainString(d) {
  const negative = d.units < 0n;
  const digits = (negative ? -d.units : d.units).toString().padStart(d.scale + 1, '0');
  const integer = digits.slice(0, digits.length - d.scale);
  const fraction = digits.slice(digits.length - d.scale);
  return (negative ? '-' : '') + integer + (d.scale > 0 ? '.' + fraction : '');
}

/** For chart heights only: the nearest double. Never used for a figure shown as text. */
export function toChartNumber(value) {
  return Number(toPlainString(typeof value === 'object' ? value : parseDecimal(value)));
}

const minorUnitCache = new Map();

/** ISO 4217 minor unit of a currency (USD 2, JPY 0, BHD 3), as the browser's ICU knows it. */
export function minorUnit(currency) {
  if (!minorUnitCache.has(currency)) {
    let digits = 2;
    try {
      digits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits;
    } catch (e) {
      // unknown code: keep two digits
    }
    minorUnitCache.set(currency, digits);
  }
  return minorUnitCache.get(currency);
}

const patternCache = new Map();

function pattern(currency, digits, negative) {
  const key = `${currency}|${digits}|${negative}`;
  if (!patternCache.has(key)) {
    let parts;
    try {
      parts = new Intl.NumberFormat(undefined, {
        style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits,
      }).formatToParts(negative ? -1 : 1);
    } catch (e) {
      parts = [
        ...(negative ? [{ type: 'minusSign', value: '-' }] : []),
        { type: 'integer', value: '1' },
        ...(digits > 0 ? [{ type: 'decimal', value: '.' }, { type: 'fraction', value: '0'.repeat(digits) }] : []),
        { type: 'literal', value: '\u00a0' }, { type: 'currency', value: currency },
      ];
    }
    patternCache.set(key, parts);
  }
  return patternCache.get(key);
}

let groupSeparatorCache;

function groupSeparator() {
  if (groupSeparatorCache === undefined) {
    const part = new Intl.NumberFormat(undefined).formatToParts(1234567).find((p) => p.type === 'group');
    groupSeparatorCache = part ? part.value : ',';
  }
  return groupSeparatorCache;
}

function groupDigits(digits) {
  const separator = groupSeparator();
  let out = '';
  for (let i = 0; i < digits.length; i++) {
    if (i > 0 && (digits.length - i) % 3 === 0) {
      out += separator;
    }
    out += digits[i];
  }
  return out;
}

/**
 * Formats an exact decimal string as money in the browser's locale.
 * Default: rounded HALF_EVEN to the currency's minor unit (JPY without decimals).
 * exact: every significant digit of the value (trailing zeros past the minor unit dropped).
 * Returns {text, sign, title} where sign is -1, 0 or 1 of the value shown.
 */
export function formatMoney(value, currency, { exact = false } = {}) {
  const d = typeof value === 'object' ? value : parseDecimal(value);
  const minor = minorUnit(currency);
  const fixed = exact ? stripZeros(d, minor) : rescale(roundHalfEven(d, minor), minor);
  const sign = signum(fixed);
  const plain = toPlainString(fixed).replace('-', '');
  const [integer, fraction = ''] = plain.split('.');
  const text = pattern(currency, fixed.scale, sign < 0)
    .map((part) => {
      if (part.type === 'integer') {
        return groupDigits(integer);
      }
      if (part.type === 'group') {
        return '';
      }
      if (part.type === 'fraction') {
        return fraction;
      }
      return part.value;
    })
    .join('');
  return { text, sign, title: `${toPlainString(d)} ${currency}` };
}

/** Formats a quantity (a string of digits, possibly past 2^53, or a sign) with grouping. */
export function formatQuantity(value) {
  if (value === null || value === undefined) {
    return '';
  }
  const text = String(value);
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  if (!/^\d+$/.test(digits)) {
    return text;
  }
  const minus = new Intl.NumberFormat(undefined).formatToParts(-1).find((p) => p.type === 'minusSign');
  return (negative ? (minus ? minus.value : '-') : '') + groupDigits(digits.replace(/^0+(?=\d)/, ''));
}
