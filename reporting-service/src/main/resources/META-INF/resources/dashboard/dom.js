// DOM helpers: element building, messages, exact money and quantity cells.

import * as money from './money.js';
import { $, state } from './state.js';

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) {
      continue;
    }
    if (key === 'className') {
      node.className = value;
    } else if (key === 'dataset') {
      Object.assign(node.dataset, value);
    } else if (key.startsWith('on')) {
      node.addEventListener(key.slice(2), value);
    } else {
      node.setAttribute(key, value === true ? '' : value);
    }
  }
  node.append(...children.filter((c) => c !== null && c !== undefined));
  return node;
}

export function setMessage(id, text, kind = 'warn') {
  const node = $(id);
  node.textContent = text ?? '';
  node.hidden = !text;
  node.classList.toggle('message-error', kind === 'error');
}

/** A cell (or any element) showing an exact amount: text formatted, exact value kept on data-value. */
export function moneyInto(node, value, currency, field) {
  node.classList.add('num', 'money');
  if (field) {
    node.dataset.field = field;
  }
  if (value === null || value === undefined) {
    node.textContent = '—';
    node.removeAttribute('data-value');
    return node;
  }
  const formatted = money.formatMoney(value, currency, { exact: state.exact });
  node.textContent = formatted.text;
  node.title = formatted.title;
  node.dataset.value = String(value);
  node.dataset.currency = currency;
  node.classList.toggle('negative', formatted.sign < 0);
  return node;
}

export function moneyCell(value, currency, field) {
  return moneyInto(el('td'), value, currency, field);
}

export function quantityCell(value, field) {
  return el('td', { className: 'num', dataset: { field, value: value ?? '' } }, money.formatQuantity(value));
}

export function statusPill(status) {
  return el('span', { className: `pill ${status === 'CLOSED' ? 'pill-closed' : 'pill-open'}` }, status ?? '—');
}
