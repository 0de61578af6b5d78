// Overview: jobs by status, the last hour's throughput and failure rate, the queue's depth and
// the workers busy.

import { get } from '../api.js';
import { throughputChart } from '../chart.js';
import { el, fill, STATUSES, statusBadge } from '../dom.js';

const REFRESH_MS = 5000;

function card(label, value, id) {
  return el('div', { class: 'card', id }, el('div', { class: 'card-value' }, value),
    el('div', { class: 'card-label' }, label));
}

export async function render(page) {
  const statusCards = el('div', { class: 'cards', id: 'status-counts' });
  const systemCards = el('div', { class: 'cards', id: 'system' });
  const chart = el('div', { class: 'chart-box', id: 'throughput' });
  page.main.append(
    el('h1', {}, 'Overview'),
    el('h2', {}, 'Jobs by status'), statusCards,
    el('h2', {}, 'Last hour'), systemCards, chart,
    el('p', { class: 'legend' },
      el('span', { class: 'swatch bar-completed' }), ' completed per minute ',
      el('span', { class: 'swatch bar-failed' }), ' failed per minute ',
      el('span', { class: 'swatch rate' }), ' failure rate (right axis); counted by this valetd'));

  page.every(REFRESH_MS, async () => {
    const [stats, list] = await Promise.all([get('api/stats'), get('api/jobs')]);
    const counts = Object.fromEntries(STATUSES.map((status) => [status, 0]));
    for (const job of list.jobs) counts[job.status] = (counts[job.status] || 0) + 1;
    fill(statusCards, STATUSES.map((status) =>
      el('a', { class: 'card', href: '#/jobs?status=' + status, 'data-status': status },
        el('div', { class: 'card-value' }, String(counts[status])),
        el('div', { class: 'card-label' }, statusBadge(status)))));
    const rate = stats.completed + stats.failed > 0
      ? (100 * stats.failure_rate).toFixed(1) + '%' : '–';
    fill(systemCards,
      card('completed', String(stats.completed), 'completed-last-hour'),
      card('failed', String(stats.failed), 'failed-last-hour'),
      card('failure rate', rate, 'failure-rate'),
      card('queue depth', stats.queue_depth === undefined ? '?' : String(stats.queue_depth),
        'queue-depth'),
      card('workers busy', `${stats.workers_busy} / ${stats.workers}`, 'workers-busy'));
    fill(chart, throughputChart(stats.minutes));
  });
}
