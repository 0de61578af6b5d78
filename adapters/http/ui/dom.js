// Building the page: every node is made with createElement and every string from the server
// goes in as text, never as HTML.

export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

const SVG_NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attributes = {}, ...children) {
  const node = document.createElementNS(SVG_NS, tag);
  setAttributes(node, attributes);
  append(node, children);
  return node;
}

function setAttributes(node, attributes) {
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : String(value));
  }
}

function append(node, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
}

export function clear(node) {
  while (node.firstChild) node.firstChild.remove();
}

// Replaces the children of `node`.
export function fill(node, ...children) {
  clear(node);
  append(node, children);
  return node;
}

export const STATUSES = ['PENDING', 'SCHEDULED', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED'];

export function isFinished(status) {
  return status === 'COMPLETED' || status === 'FAILED' || status === 'CANCELLED';
}

export function statusBadge(status) {
  const known = STATUSES.includes(status) ? status.toLowerCase() : 'unknown';
  return el('span', { class: 'status status-' + known }, status || '?');
}

export function jobLink(job) {
  return el('a', { href: '#/jobs/' + encodeURIComponent(job.id) }, job.name || job.id);
}

export function pipelineLink(id, text) {
  return el('a', { href: '#/pipelines/' + encodeURIComponent(id) }, text || id);
}

// "2026-11-23 15:33:26" in the browser's time zone, with the UTC original as a tooltip.
export function time(value) {
  if (!value) return '';
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return el('span', {}, value);
  const pad = (n) => String(n).padStart(2, '0');
  const text = `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ` +
               `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  return el('time', { datetime: value, title: value }, text);
}

export function duration(ms) {
  if (ms === undefined || ms === null) return '';
  if (ms < 1000) return ms + ' ms';
  if (ms < 60000) return (ms / 1000).toFixed(1) + ' s';
  return Math.floor(ms / 60000) + ' min ' + Math.round((ms % 60000) / 1000) + ' s';
}

export function json(value) {
  return el('pre', { class: 'json' }, JSON.stringify(value, null, 2));
}

// A table of `rows`, each an array of cells (strings or nodes).
export function table(headers, rows, attributes = {}) {
  return el('table', attributes,
    el('thead', {}, el('tr', {}, headers.map((h) => el('th', {}, h)))),
    el('tbody', {}, rows.map((cells) => el('tr', {}, cells.map((c) => el('td', {}, c))))));
}

// "Label: value" pairs as a description list.
export function details(pairs) {
  return el('dl', { class: 'details' },
    pairs.filter(([, value]) => value !== undefined && value !== null && value !== '')
      .map(([label, value]) => [el('dt', {}, label), el('dd', {}, value)]));
}
